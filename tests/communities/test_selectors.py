"""Who sees which communities and sessions, and list pages in a constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community, Membership
from communities.selectors import (
    communities_visible_to,
    community_directory,
    community_for_viewer,
    membership_of,
)
from events.models import Rsvp
from events.sessions.selectors import session_for_viewer, sessions_upcoming, sessions_visible_to
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    UserFactory,
)


@pytest.fixture
def landscape(community, private_community):
    """A public, a private, an archived public and an archived private community."""
    return {
        "public": community,
        "private": private_community,
        "archived_public": CommunityFactory(name="Oud", slug="oud", archived=True),
        "archived_private": CommunityFactory(
            name="Oud geheim", slug="oud-geheim", archived=True, visibility="private"
        ),
    }


def _slugs(queryset) -> list[str]:
    return sorted(queryset.values_list("slug", flat=True))


# --- communities_visible_to / community_directory -------------------------------------------


def test_communities_visible_to_anonymous_is_empty(landscape):
    assert _slugs(communities_visible_to(AnonymousUser())) == []
    assert _slugs(community_directory(AnonymousUser())) == []


def test_communities_visible_to_non_member_shows_only_public(landscape, member):
    assert _slugs(communities_visible_to(member)) == ["python-gilde"]


def test_communities_visible_to_active_member_includes_private(landscape, member):
    MembershipFactory(user=member, community=landscape["private"])
    assert _slugs(communities_visible_to(member)) == ["python-gilde", "security-champions"]


@pytest.mark.parametrize(
    "state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT]
)
def test_communities_visible_to_inactive_membership_grants_no_private_access(
    landscape, member, state
):
    MembershipFactory(user=member, community=landscape["private"], state=state)
    assert _slugs(communities_visible_to(member)) == ["python-gilde"]


def test_communities_visible_to_hides_archived_even_from_members(landscape, member):
    MembershipFactory(user=member, community=landscape["archived_public"])
    MembershipFactory(user=member, community=landscape["archived_private"])
    assert _slugs(communities_visible_to(member)) == ["python-gilde"]


def test_communities_visible_to_marks_membership(landscape, member):
    MembershipFactory(user=member, community=landscape["private"])
    MembershipFactory(user=member, community=landscape["public"], state=Membership.State.PENDING)
    assert dict(communities_visible_to(member).values_list("slug", "is_member")) == {
        "python-gilde": False,
        "security-champions": True,
    }


def test_community_directory_counts_active_members_and_sorts_by_name(landscape, member):
    zeta = CommunityFactory(name="Zeta", slug="zeta")
    alpha = CommunityFactory(name="Alpha", slug="alpha")
    MembershipFactory.create_batch(3, community=alpha)
    MembershipFactory(community=alpha, state=Membership.State.PENDING)
    MembershipFactory(community=alpha, state=Membership.State.LEFT)
    MembershipFactory(community=zeta)

    rows = list(community_directory(member).values_list("name", "member_count"))

    assert rows == [("Alpha", 3), ("Python-gilde", 0), ("Zeta", 1)]


def test_community_for_viewer_hides_private_from_non_members(landscape, member, coordinator):
    assert community_for_viewer(user=member, slug="security-champions") is None
    assert community_for_viewer(user=member, slug="oud") is None
    assert community_for_viewer(user=AnonymousUser(), slug="python-gilde") is None
    found = community_for_viewer(user=coordinator, slug="security-champions")
    assert (found.pk, found.is_member) == (landscape["private"].pk, True)


def test_community_for_viewer_lists_only_active_leads(landscape, coordinator, member):
    public = landscape["public"]
    MembershipFactory(community=public, role=Membership.Role.COORDINATOR, state="left")
    MembershipFactory(community=public, role=Membership.Role.MEMBER)
    facilitator = MembershipFactory(community=public, role=Membership.Role.FACILITATOR).user

    found = community_for_viewer(user=member, slug="python-gilde")

    assert sorted(lead.user.email for lead in found.leads) == sorted(
        [coordinator.email, facilitator.email]
    )


def test_membership_of_returns_the_persons_row_in_any_state(landscape, member):
    pending = MembershipFactory(
        user=member, community=landscape["private"], state=Membership.State.PENDING
    )
    assert membership_of(user=member, community=landscape["private"]).pk == pending.pk
    assert membership_of(user=member, community=landscape["public"]) is None
    assert membership_of(user=AnonymousUser(), community=landscape["private"]) is None


# --- sessions_visible_to ---------------------------------------------------------------------


@pytest.fixture
def sessions(landscape):
    return {
        key: SessionFactory(community=community, title=key)
        for key, community in {**landscape, "organisation": None}.items()
    }


def _titles(queryset) -> list[str]:
    return sorted(queryset.values_list("title", flat=True))


def test_sessions_visible_to_anonymous_is_empty(sessions):
    assert _titles(sessions_visible_to(AnonymousUser())) == []


def test_sessions_visible_to_non_member_sees_public_and_organisation(sessions, member):
    assert _titles(sessions_visible_to(member)) == ["organisation", "public"]


def test_sessions_visible_to_member_sees_private_community(sessions, member, landscape):
    MembershipFactory(user=member, community=landscape["private"])
    assert _titles(sessions_visible_to(member)) == ["organisation", "private", "public"]


@pytest.mark.parametrize(
    "state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT]
)
def test_sessions_visible_to_inactive_membership_grants_no_private_access(
    sessions, member, landscape, state
):
    MembershipFactory(user=member, community=landscape["private"], state=state)
    assert _titles(sessions_visible_to(member)) == ["organisation", "public"]


def test_sessions_visible_to_hides_archived_communities_even_from_members(
    sessions, member, landscape
):
    MembershipFactory(user=member, community=landscape["archived_public"])
    MembershipFactory(user=member, community=landscape["archived_private"])
    assert _titles(sessions_visible_to(member)) == ["organisation", "public"]


def test_sessions_visible_to_someone_elses_membership_grants_nothing(
    sessions, member, other_user, landscape
):
    MembershipFactory(user=other_user, community=landscape["private"])
    assert _titles(sessions_visible_to(member)) == ["organisation", "public"]


def test_sessions_upcoming_skips_ended_and_counts_going(member, community):
    now = timezone.now()
    SessionFactory(
        community=community,
        title="ended",
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
    )
    running = SessionFactory(
        community=community,
        title="running",
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
    )
    later = SessionFactory(
        community=community,
        title="later",
        start=now + timedelta(days=1),
        end=now + timedelta(days=1, hours=1),
    )
    RsvpFactory.create_batch(2, session=later, status=Rsvp.Status.GOING)
    RsvpFactory(session=later, status=Rsvp.Status.MAYBE)
    RsvpFactory(session=later, status=Rsvp.Status.DECLINED)
    RsvpFactory(session=later, status=Rsvp.Status.WAITLISTED, position=1)
    RsvpFactory(session=running, status=Rsvp.Status.GOING)

    rows = list(sessions_upcoming(member, now=now).values_list("title", "going_count"))

    assert rows == [("running", 1), ("later", 2)]


def test_session_for_viewer_hides_private_sessions(sessions, member, coordinator):
    private = sessions["private"]
    assert session_for_viewer(user=member, session_id=private.pk) is None
    assert session_for_viewer(user=coordinator, session_id=private.pk).pk == private.pk
    assert session_for_viewer(user=AnonymousUser(), session_id=sessions["public"].pk) is None


# --- constant number of queries on list pages -----------------------------------------------


def _queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add_communities(count: int, viewer) -> None:
    for _ in range(count):
        community = CommunityFactory(visibility=Community.Visibility.PRIVATE)
        MembershipFactory(user=viewer, community=community)
        MembershipFactory(community=community, role=Membership.Role.COORDINATOR)
        CommunityFactory()


def _add_sessions(count: int, community) -> None:
    for _ in range(count):
        session = SessionFactory(community=community)
        session.hosts.add(UserFactory())
        RsvpFactory(session=session)
        SessionFactory(community=None)


@pytest.mark.parametrize("path", ["/communities/", "/"])
def test_community_list_queries_do_not_grow_with_communities(client, member, path):
    client.force_login(member)
    _add_communities(3, member)
    few = _queries_for(client, path)

    _add_communities(27, member)
    many = _queries_for(client, path)

    assert many == few


@pytest.mark.parametrize("path", ["/sessions/", "/communities/python-gilde/"])
def test_session_list_queries_do_not_grow_with_sessions(client, member, community, path):
    client.force_login(member)
    _add_sessions(3, community)
    few = _queries_for(client, path)

    _add_sessions(27, community)
    many = _queries_for(client, path)

    assert many == few
