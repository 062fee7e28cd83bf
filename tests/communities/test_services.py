"""Every write of communities.services: what it changes, and that a refusal changes nothing.

Refusals are DomainErrors with a clear (English, here) message; ``assert_refused`` compares a
snapshot of every community table and the outbox before and after, so a refusal that leaves a
half-written change behind fails.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.models import Community, Invitation, Membership, MembershipEvent, Topic
from communities.selectors import communities_led_alone
from communities.services.accounts import account_erase, user_deactivate
from communities.services.communities import (
    community_archive,
    community_create,
    community_restore,
    community_update,
)
from communities.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    invitation_token_hash,
)
from communities.services.memberships import (
    membership_approve,
    membership_decline,
    membership_join,
    membership_leave,
    membership_remove,
    membership_request,
    membership_set_role,
    membership_withdraw,
)
from tests.factories import (
    CommunityFactory,
    IntervisionGroupFactory,
    MembershipFactory,
    TopicFactory,
    UserFactory,
)

Role = Membership.Role
State = Membership.State
Kind = MembershipEvent.Kind


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot() -> dict:
    """Everything a community service may write."""
    return {
        "communities": sorted(
            Community.objects.values_list(
                "id",
                "name",
                "slug",
                "kind",
                "purpose",
                "description",
                "cadence",
                "visibility",
                "join_policy",
                "archived",
                "archived_at",
                "created_by_id",
            )
        ),
        "topics": sorted(Topic.objects.values_list("id", "slug", "name")),
        "community_topics": sorted(
            Community.topics.through.objects.values_list("community_id", "topic_id")
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "id",
                "user_id",
                "community_id",
                "role",
                "state",
                "joined_at",
                "left_at",
                "motivation",
                "requested_at",
            )
        ),
        "events": sorted(
            MembershipEvent.objects.values_list("id", "membership_id", "kind", "actor_id", "role")
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "id", "community_id", "email", "state", "invited_by_id", "accepted_by_id"
            )
        ),
        "outbox": sorted(OutboxMessage.objects.values_list("dedupe_key", "kind", "to_email")),
    }


def assert_refused(call, message: str, code: str | None = None) -> DomainError:
    before = snapshot()
    with pytest.raises(DomainError) as raised:
        call()
    assert raised.value.message == message
    if code is not None:
        assert raised.value.code == code
    assert snapshot() == before
    return raised.value


def events_of(membership: Membership) -> list[tuple[str, str | None, str]]:
    """(kind, actor's e-mail, role) of a membership's history, oldest first."""
    return [
        (event.kind, event.actor.email if event.actor else None, event.role)
        for event in membership.events.select_related("actor")
    ]


def outbox_rows() -> list[tuple[str, str, str, int | None]]:
    return sorted(
        OutboxMessage.objects.values_list("dedupe_key", "kind", "to_email", "recipient_id")
    )


@pytest.fixture
def clock(time_machine):
    """Time stands still at 'now' until a test shifts it."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def stamp(moment) -> str:
    return moment.strftime("%Y%m%dT%H%M%S%f")


@pytest.fixture
def approval_community(db, coordinator):
    """An approval-only guild led by two coordinators; a third one left long ago."""
    guild = CommunityFactory(
        name="Architectuurgilde",
        slug="architectuurgilde",
        kind=Community.Kind.GUILD,
        join_policy=Community.JoinPolicy.APPROVAL,
    )
    MembershipFactory(user=coordinator, community=guild, role=Role.COORDINATOR)
    second = UserFactory(email="cas@example.org", display_name="Cas Coordinator", language="en")
    MembershipFactory(user=second, community=guild, role=Role.COORDINATOR)
    MembershipFactory(community=guild, role=Role.COORDINATOR, state=State.LEFT)
    MembershipFactory(community=guild, role=Role.MEMBER)
    return guild


@pytest.fixture
def second_coordinator(approval_community):
    return Membership.objects.get(community=approval_community, user__email="cas@example.org").user


@pytest.fixture
def request_of_member(approval_community, member):
    return membership_request(user=member, community=approval_community, motivation="Ik wil leren")


@pytest.fixture
def group(db):
    """An intervision group led by one facilitator."""
    group = IntervisionGroupFactory(name="Intervisie Noord", slug="intervisie-noord")
    facilitator = UserFactory(email="fenna@example.org", display_name="Fenna Facilitator")
    MembershipFactory(user=facilitator, community=group, role=Role.FACILITATOR)
    return group


def facilitator_of(group: Community):
    return Membership.objects.get(community=group, role=Role.FACILITATOR).user


# --- community_create ------------------------------------------------------------------------


def test_community_create_makes_the_creator_coordinator(member):
    community = community_create(
        creator=member,
        name="  Data   community ",
        kind=Community.Kind.COMMUNITY_OF_PRACTICE,
        purpose=" Samen leren over data ",
        description="**Welkom**",
        topics=["Data", " data ", "SQL"],
        cadence=" Elke maand ",
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.APPROVAL,
    )

    community.refresh_from_db()
    assert (
        community.name,
        community.slug,
        community.kind,
        community.purpose,
        community.description,
        community.cadence,
        community.visibility,
        community.join_policy,
        community.archived,
        community.created_by,
    ) == (
        "Data community",
        "data-community",
        "community_of_practice",
        "Samen leren over data",
        "**Welkom**",
        "Elke maand",
        "public",
        "approval",
        False,
        member,
    )
    assert sorted(community.topics.values_list("slug", "name")) == [
        ("data", "Data"),
        ("sql", "SQL"),
    ]
    membership = Membership.objects.get(community=community)
    assert (membership.user, membership.role, membership.state) == (
        member,
        Role.COORDINATOR,
        State.ACTIVE,
    )
    assert membership.joined_at is not None
    assert events_of(membership) == [("joined", "member@example.org", "coordinator")]


def test_community_create_reuses_existing_topics(member):
    existing = TopicFactory(name="Python", slug="python")

    community = community_create(
        creator=member, name="Py", kind=Community.Kind.GUILD, topics=["PYTHON", "Testing"]
    )

    assert sorted(community.topics.values_list("pk", flat=True))[0] == existing.pk
    assert sorted(Topic.objects.values_list("name", flat=True)) == ["Python", "Testing"]


def test_community_create_intervision_group_has_a_facilitator_and_is_private_invite_only(member):
    group = community_create(
        creator=member,
        name="Intervisie Zuid",
        kind=Community.Kind.INTERVISION_GROUP,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
    )

    group.refresh_from_db()
    assert (group.visibility, group.join_policy) == ("private", "invite")
    assert list(Membership.objects.filter(community=group).values_list("user", "role")) == [
        (member.pk, "facilitator")
    ]


def test_community_create_refuses_a_duplicate_name_case_insensitively(member, community):
    assert_refused(
        lambda: community_create(
            creator=member, name="python-GILDE", slug="andere-gilde", kind=Community.Kind.GUILD
        ),
        "A community called “python-GILDE” already exists.",
        "name_taken",
    )


def test_community_create_refuses_a_duplicate_slug(member, community):
    assert_refused(
        lambda: community_create(
            creator=member, name="Python guild", slug="Python-Gilde", kind=Community.Kind.GUILD
        ),
        "The web address “python-gilde” is already taken.",
        "slug_taken",
    )


@pytest.mark.parametrize(("name", "slug"), [("New", ""), ("Nieuwe gilde", "new")])
def test_community_create_refuses_a_reserved_slug(member, name, slug):
    assert_refused(
        lambda: community_create(creator=member, name=name, slug=slug, kind=Community.Kind.GUILD),
        "“new” is a reserved word; choose another web address.",
        "slug_reserved",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "A community needs a name."), ("!!! ???", "Choose a name with letters or digits.")],
)
def test_community_create_refuses_a_name_without_letters(member, name, message):
    assert_refused(
        lambda: community_create(creator=member, name=name, kind=Community.Kind.GUILD), message
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 121, "Name: Ensure this value has at most 120 characters (it has 121)."),
        (
            "purpose",
            "p" * 281,
            "Purpose: Ensure this value has at most 280 characters (it has 281).",
        ),
        (
            "cadence",
            "c" * 121,
            "Cadence: Ensure this value has at most 120 characters (it has 121).",
        ),
        ("kind", "club", "Kind: Value 'club' is not a valid choice."),
        ("visibility", "secret", "Visibility: Value 'secret' is not a valid choice."),
        ("join_policy", "anyone", "Join policy: Value 'anyone' is not a valid choice."),
    ],
)
def test_community_create_refuses_overlong_text_and_unknown_choices(member, field, value, message):
    fields = {"name": "Frontend chapter", "slug": "frontend", "kind": Community.Kind.GUILD}
    fields[field] = value

    assert_refused(lambda: community_create(creator=member, **fields), message, "invalid")


def test_community_create_refuses_more_than_ten_topics_and_creates_no_topic(member):
    assert_refused(
        lambda: community_create(
            creator=member,
            name="Alles",
            kind=Community.Kind.GUILD,
            topics=[f"onderwerp {n}" for n in range(11)],
        ),
        "At most 10 topics per community.",
        "topics",
    )


def test_community_create_by_staff_only_when_the_setting_says_so(settings, member, staff):
    settings.COMMUNITY_CREATION = "staff"

    assert_refused(
        lambda: community_create(creator=member, name="Eigen club", kind=Community.Kind.GUILD),
        "Only staff may create communities here.",
        "forbidden",
    )
    community = community_create(creator=staff, name="Eigen club", kind=Community.Kind.GUILD)
    assert Membership.objects.get(community=community).user == staff


def test_community_create_by_everyone_by_default(member):
    community = community_create(creator=member, name="Eigen club", kind=Community.Kind.GUILD)
    assert community.slug == "eigen-club"


# --- community_update ------------------------------------------------------------------------


def _update(community, actor, **changes):
    fields = {
        "name": community.name,
        "purpose": community.purpose,
        "description": community.description,
        "topics": list(community.topics.values_list("name", flat=True)),
        "cadence": community.cadence,
        "visibility": community.visibility,
        "join_policy": community.join_policy,
        **changes,
    }
    return community_update(community=community, actor=actor, **fields)


def test_community_update_changes_the_details_and_replaces_the_topics(coordinator, community):
    community.topics.set([TopicFactory(name="Oud", slug="oud")])

    _update(
        community,
        coordinator,
        name="Python Guild",
        purpose="Beter Python",
        description="# Hallo",
        topics=["Typing", "Testing"],
        cadence="Wekelijks",
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.APPROVAL,
    )

    community.refresh_from_db()
    assert (
        community.name,
        community.slug,
        community.purpose,
        community.description,
        community.cadence,
        community.visibility,
        community.join_policy,
    ) == (
        "Python Guild",
        "python-gilde",
        "Beter Python",
        "# Hallo",
        "Wekelijks",
        "private",
        "approval",
    )
    assert sorted(community.topics.values_list("name", flat=True)) == ["Testing", "Typing"]


def test_community_update_may_keep_its_own_name_in_another_case(coordinator, community):
    _update(community, coordinator, name="PYTHON-gilde")
    community.refresh_from_db()
    assert community.name == "PYTHON-gilde"


def test_community_update_refuses_the_name_of_another_community(coordinator, community):
    CommunityFactory(name="Data community")
    assert_refused(
        lambda: _update(community, coordinator, name="data COMMUNITY"),
        "A community called “data COMMUNITY” already exists.",
        "name_taken",
    )


def test_community_update_refuses_overlong_text_and_changes_nothing(coordinator, community):
    assert_refused(
        lambda: _update(community, coordinator, name="Nieuw", purpose="p" * 281, topics=["X"]),
        "Purpose: Ensure this value has at most 280 characters (it has 281).",
        "invalid",
    )


def test_community_update_keeps_an_intervision_group_private_and_invite_only(group):
    _update(
        group,
        facilitator_of(group),
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
    )
    group.refresh_from_db()
    assert (group.visibility, group.join_policy) == ("private", "invite")


def test_community_update_by_a_plain_member_is_refused(member, community, coordinator):
    MembershipFactory(user=member, community=community)
    assert_refused(
        lambda: _update(community, member, name="Gekaapt"),
        "Only the coordinators can do that.",
        "forbidden",
    )


def test_community_update_of_an_archived_community_is_refused(coordinator, community):
    community_archive(community=community, actor=coordinator)
    assert_refused(
        lambda: _update(community, coordinator, name="Nieuw"),
        "This community is archived.",
        "archived",
    )


# --- community_archive / community_restore ---------------------------------------------------


def test_community_archive_hides_it_and_keeps_the_history(coordinator, community, member):
    membership = membership_join(user=member, community=community)

    community_archive(community=community, actor=coordinator)

    community.refresh_from_db()
    assert community.archived is True
    assert community.archived_at is not None
    membership.refresh_from_db()
    assert membership.state == State.ACTIVE
    assert events_of(membership) == [("joined", "member@example.org", "member")]


def test_community_archive_twice_keeps_the_first_date(coordinator, community, clock):
    community_archive(community=community, actor=coordinator)
    first = Community.objects.get(pk=community.pk).archived_at
    clock.shift(timedelta(days=3))

    community_archive(community=community, actor=coordinator)

    assert Community.objects.get(pk=community.pk).archived_at == first


def test_community_archive_by_a_member_is_refused(member, community, coordinator):
    MembershipFactory(user=member, community=community)
    assert_refused(
        lambda: community_archive(community=community, actor=member),
        "Only the coordinators can do that.",
        "forbidden",
    )


def test_community_archive_by_staff_only_for_public_communities(
    staff, community, private_community
):
    assert_refused(
        lambda: community_archive(community=private_community, actor=staff),
        "Only the coordinators can do that.",
    )
    community_archive(community=community, actor=staff)
    assert Community.objects.get(pk=community.pk).archived is True


def test_community_restore_brings_it_back_and_joining_works_again(coordinator, community, member):
    community_archive(community=community, actor=coordinator)
    assert_refused(
        lambda: membership_join(user=member, community=community), "This community is archived."
    )

    community_restore(community=community, actor=coordinator)

    community.refresh_from_db()
    assert (community.archived, community.archived_at) == (False, None)
    assert membership_join(user=member, community=community).state == State.ACTIVE


@pytest.mark.parametrize(
    "action",
    ["join", "request", "approve", "decline", "remove", "set_role", "invite", "accept"],
)
def test_archived_community_refuses_every_membership_change(
    action, approval_community, coordinator, member, other_user
):
    """Archived means read-only: every change is refused with the same message."""
    pending = membership_request(user=other_user, community=approval_community, motivation="")
    plain = Membership.objects.get(community=approval_community, role=Role.MEMBER, state="active")
    _invitation, token = invitation_create(
        community=approval_community, actor=coordinator, email=member.email
    )
    community_archive(community=approval_community, actor=coordinator)
    calls = {
        "join": lambda: membership_join(user=member, community=approval_community),
        "request": lambda: membership_request(
            user=member, community=approval_community, motivation=""
        ),
        "approve": lambda: membership_approve(
            community=approval_community, actor=coordinator, membership_id=pending.pk
        ),
        "decline": lambda: membership_decline(
            community=approval_community, actor=coordinator, membership_id=pending.pk
        ),
        "remove": lambda: membership_remove(
            community=approval_community, actor=coordinator, membership_id=plain.pk
        ),
        "set_role": lambda: membership_set_role(
            community=approval_community,
            actor=coordinator,
            membership_id=plain.pk,
            role=Role.COORDINATOR,
        ),
        "invite": lambda: invitation_create(
            community=approval_community, actor=coordinator, email="nieuw@example.org"
        ),
        "accept": lambda: invitation_accept(token=token, user=member),
    }

    assert_refused(calls[action], "This community is archived.", "archived")


# --- membership_join -------------------------------------------------------------------------


def test_membership_join_makes_an_active_member(member, community):
    membership = membership_join(user=member, community=community)

    membership.refresh_from_db()
    assert (membership.role, membership.state, membership.left_at) == ("member", "active", None)
    assert membership.joined_at is not None
    assert events_of(membership) == [("joined", "member@example.org", "member")]


def test_membership_join_twice_is_refused(member, community):
    membership_join(user=member, community=community)
    assert_refused(
        lambda: membership_join(user=member, community=community),
        "You are already a member.",
        "already_member",
    )


@pytest.mark.parametrize("policy", [Community.JoinPolicy.APPROVAL, Community.JoinPolicy.INVITE])
def test_membership_join_of_a_community_that_is_not_open_is_refused(member, policy):
    closed = CommunityFactory(join_policy=policy)
    assert_refused(
        lambda: membership_join(user=member, community=closed),
        "This community is not open: ask to join instead.",
        "not_open",
    )


def test_membership_join_after_leaving_reuses_the_row_and_keeps_the_history(
    member, community, clock
):
    first = membership_join(user=member, community=community)
    first_joined = Membership.objects.get(pk=first.pk).joined_at
    clock.shift(timedelta(days=1))
    membership_leave(user=member, community=community)
    left = Membership.objects.get(pk=first.pk)
    assert (left.state, left.left_at is not None) == ("left", True)
    clock.shift(timedelta(days=1))

    again = membership_join(user=member, community=community)

    assert again.pk == first.pk
    assert Membership.objects.filter(user=member, community=community).count() == 1
    again.refresh_from_db()
    assert (again.state, again.role, again.left_at) == ("active", "member", None)
    assert again.joined_at > first_joined
    assert [kind for kind, _actor, _role in events_of(again)] == ["joined", "left", "joined"]


# --- membership_request / membership_withdraw ------------------------------------------------


def test_membership_request_is_pending_and_tells_each_active_coordinator(
    approval_community, member, coordinator, second_coordinator
):
    member.language = "en"
    member.save(update_fields=["language"])

    membership = membership_request(
        user=member, community=approval_community, motivation="  Ik wil leren  "
    )

    membership.refresh_from_db()
    assert (membership.state, membership.role, membership.motivation) == (
        "pending",
        "member",
        "Ik wil leren",
    )
    assert events_of(membership) == [("requested", "member@example.org", "member")]
    key = f"join-request:{membership.pk}:{stamp(membership.requested_at)}"
    assert outbox_rows() == [
        (f"{key}:{coordinator.pk}", "join_request", "coordinator@example.org", coordinator.pk),
        (
            f"{key}:{second_coordinator.pk}",
            "join_request",
            "cas@example.org",
            second_coordinator.pk,
        ),
    ]
    mail = OutboxMessage.objects.get(recipient=second_coordinator)
    assert mail.subject == "Mia Member would like to join Architectuurgilde"
    assert "Ik wil leren" in mail.body_text
    assert "/communities/architectuurgilde/members/" in mail.body_text


def test_membership_request_with_500_characters_of_motivation_is_accepted(
    approval_community, member
):
    membership = membership_request(user=member, community=approval_community, motivation="m" * 500)
    assert len(Membership.objects.get(pk=membership.pk).motivation) == 500


def test_membership_request_with_a_motivation_over_500_characters_is_refused(
    approval_community, member
):
    assert_refused(
        lambda: membership_request(user=member, community=approval_community, motivation="m" * 501),
        "Keep your motivation under 500 characters.",
        "too_long",
    )


def test_membership_request_twice_is_refused(approval_community, request_of_member, member):
    assert_refused(
        lambda: membership_request(
            user=member, community=approval_community, motivation="Nog eens"
        ),
        "You have already asked to join; the coordinators will answer.",
        "pending",
    )


def test_membership_request_by_a_member_is_refused(approval_community, coordinator):
    assert_refused(
        lambda: membership_request(user=coordinator, community=approval_community, motivation=""),
        "You are already a member.",
        "already_member",
    )


@pytest.mark.parametrize("policy", [Community.JoinPolicy.OPEN, Community.JoinPolicy.INVITE])
def test_membership_request_to_a_community_without_approval_is_refused(member, policy):
    other = CommunityFactory(join_policy=policy)
    assert_refused(
        lambda: membership_request(user=member, community=other, motivation=""),
        "This community does not take requests.",
        "no_requests",
    )


def test_membership_withdraw_ends_the_request(approval_community, request_of_member, member):
    membership_withdraw(user=member, community=approval_community)

    request_of_member.refresh_from_db()
    assert request_of_member.state == State.LEFT
    assert [kind for kind, _actor, _role in events_of(request_of_member)] == [
        "requested",
        "withdrawn",
    ]


def test_membership_withdraw_without_a_request_is_refused(approval_community, member):
    assert_refused(
        lambda: membership_withdraw(user=member, community=approval_community),
        "You have no open request for this community.",
        "no_request",
    )


def test_membership_request_after_a_withdrawal_reuses_the_row_and_mails_again(
    approval_community, request_of_member, member, clock
):
    membership_withdraw(user=member, community=approval_community)
    clock.shift(timedelta(minutes=5))

    again = membership_request(user=member, community=approval_community, motivation="Toch wel")

    assert again.pk == request_of_member.pk
    assert Membership.objects.filter(user=member, community=approval_community).count() == 1
    assert OutboxMessage.objects.filter(kind="join_request").count() == 4  # 2 coordinators × 2


# --- membership_approve / membership_decline -------------------------------------------------


def test_membership_approve_activates_and_tells_the_requester(
    approval_community, request_of_member, member, coordinator
):
    member.language = "en"
    member.save(update_fields=["language"])
    before = set(outbox_rows())

    membership_approve(
        community=approval_community, actor=coordinator, membership_id=request_of_member.pk
    )

    request_of_member.refresh_from_db()
    assert (request_of_member.state, request_of_member.role) == ("active", "member")
    assert request_of_member.joined_at is not None
    assert events_of(request_of_member) == [
        ("requested", "member@example.org", "member"),
        ("approved", "coordinator@example.org", "member"),
    ]
    key = f"join-decision:{request_of_member.pk}:{stamp(request_of_member.requested_at)}"
    assert sorted(set(outbox_rows()) - before) == [
        (key, "join_decision", "member@example.org", member.pk)
    ]
    assert OutboxMessage.objects.get(dedupe_key=key).subject == "Welcome to Architectuurgilde"


def test_membership_approve_twice_is_refused_as_already_answered(
    approval_community, request_of_member, coordinator, second_coordinator
):
    membership_approve(
        community=approval_community, actor=coordinator, membership_id=request_of_member.pk
    )
    assert_refused(
        lambda: membership_approve(
            community=approval_community,
            actor=second_coordinator,
            membership_id=request_of_member.pk,
        ),
        "This request has already been answered.",
        "answered",
    )
    assert OutboxMessage.objects.filter(kind="join_decision").count() == 1


def test_membership_approve_of_another_communitys_request_is_not_found(
    approval_community, request_of_member, coordinator, community
):
    """The coordinator of python-gilde acts on an architectuurgilde request id."""
    assert_refused(
        lambda: membership_approve(
            community=community, actor=coordinator, membership_id=request_of_member.pk
        ),
        "There is no such request in this community.",
        "not_found",
    )


def test_membership_approve_of_an_unknown_id_is_not_found(approval_community, coordinator):
    assert_refused(
        lambda: membership_approve(
            community=approval_community, actor=coordinator, membership_id=987654
        ),
        "There is no such request in this community.",
        "not_found",
    )


def test_membership_approve_by_a_plain_member_is_refused(
    approval_community, request_of_member, other_user
):
    MembershipFactory(user=other_user, community=approval_community)
    assert_refused(
        lambda: membership_approve(
            community=approval_community, actor=other_user, membership_id=request_of_member.pk
        ),
        "Only the coordinators can do that.",
        "forbidden",
    )


def test_membership_decline_ends_the_request_and_tells_the_requester(
    approval_community, request_of_member, member, coordinator
):
    member.language = "en"
    member.save(update_fields=["language"])

    membership_decline(
        community=approval_community, actor=coordinator, membership_id=request_of_member.pk
    )

    request_of_member.refresh_from_db()
    assert request_of_member.state == State.LEFT
    assert events_of(request_of_member)[-1] == ("declined", "coordinator@example.org", "member")
    decision = OutboxMessage.objects.get(kind="join_decision")
    assert (decision.dedupe_key, decision.to_email, decision.subject) == (
        f"join-decision:{request_of_member.pk}:{stamp(request_of_member.requested_at)}",
        "member@example.org",
        "Your request to join Architectuurgilde",
    )


def test_membership_decline_after_approval_is_refused(
    approval_community, request_of_member, coordinator
):
    membership_approve(
        community=approval_community, actor=coordinator, membership_id=request_of_member.pk
    )
    assert_refused(
        lambda: membership_decline(
            community=approval_community, actor=coordinator, membership_id=request_of_member.pk
        ),
        "This request has already been answered.",
        "answered",
    )


# --- membership_leave ------------------------------------------------------------------------


def test_membership_leave_ends_the_membership(member, community):
    membership = membership_join(user=member, community=community)

    membership_leave(user=member, community=community)

    membership.refresh_from_db()
    assert (membership.state, membership.role) == ("left", "member")
    assert membership.left_at is not None
    assert events_of(membership)[-1] == ("left", "member@example.org", "member")


def test_membership_leave_when_not_a_member_is_refused(member, community):
    assert_refused(
        lambda: membership_leave(user=member, community=community),
        "You are not a member of this community.",
        "not_member",
    )


def test_membership_leave_twice_is_refused(member, community):
    membership_join(user=member, community=community)
    membership_leave(user=member, community=community)
    assert_refused(
        lambda: membership_leave(user=member, community=community),
        "You are not a member of this community.",
    )


def test_membership_leave_by_the_last_coordinator_is_refused(coordinator, community, member):
    MembershipFactory(user=member, community=community)  # members do not count
    MembershipFactory(community=community, role=Role.COORDINATOR, state=State.LEFT)
    assert_refused(
        lambda: membership_leave(user=coordinator, community=community),
        "You are the last coordinator: make someone else coordinator before you leave.",
        "last_coordinator",
    )


def test_a_deactivated_co_coordinator_leads_nothing_so_every_rule_refuses_alike(
    coordinator, community, staff
):
    """One definition of "another lead exists": leaving, demoting oneself, erasing the account
    and the staff's hand-over list all agree that a co-coordinator who left the organisation
    does not count."""
    gone = UserFactory(email="gone@example.org", is_active=False)
    MembershipFactory(user=gone, community=community, role=Role.COORDINATOR)
    own = Membership.objects.get(user=coordinator, community=community)

    assert_refused(
        lambda: membership_leave(user=coordinator, community=community),
        "You are the last coordinator: make someone else coordinator before you leave.",
        "last_coordinator",
    )
    assert_refused(
        lambda: membership_set_role(
            community=community, actor=coordinator, membership_id=own.pk, role="member"
        ),
        "A community keeps at least one coordinator: appoint another one first.",
        "last_coordinator",
    )
    with pytest.raises(DomainError) as refused:
        account_erase(user=coordinator)
    assert refused.value.message == (
        "Hand over coordination first: you are the only coordinator of Python-gilde, "
        "Security Champions."
    )
    # The fixture's private community is theirs alone as well.
    assert [c.slug for c in communities_led_alone(coordinator)] == [
        "python-gilde",
        "security-champions",
    ]
    assert [c.slug for c in user_deactivate(actor=staff, user=coordinator)] == [
        "python-gilde",
        "security-champions",
    ]


def test_an_active_co_coordinator_lets_the_other_leave(coordinator, community, member):
    MembershipFactory(user=member, community=community, role=Role.COORDINATOR)

    membership_leave(user=coordinator, community=community)

    assert communities_led_alone(member) == [community]
    assert [c.slug for c in communities_led_alone(coordinator)] == ["security-champions"]


def test_membership_leave_by_a_coordinator_with_a_successor_records_the_old_role(
    approval_community, coordinator
):
    membership_leave(user=coordinator, community=approval_community)

    membership = Membership.objects.get(user=coordinator, community=approval_community)
    assert (membership.state, membership.role) == ("left", "member")
    assert events_of(membership)[-1] == ("left", "coordinator@example.org", "coordinator")
    assert (
        Membership.objects.filter(
            community=approval_community, state=State.ACTIVE, role=Role.COORDINATOR
        ).count()
        == 1
    )


def test_membership_leave_counts_a_facilitator_as_lead_in_an_intervision_group(group, member):
    facilitator = facilitator_of(group)
    assert_refused(
        lambda: membership_leave(user=facilitator, community=group),
        "You are the last coordinator: make someone else coordinator before you leave.",
    )
    # With a second facilitator (no coordinator at all) the first may go.
    MembershipFactory(user=member, community=group, role=Role.FACILITATOR)

    membership_leave(user=facilitator, community=group)

    assert list(
        Membership.objects.filter(community=group, state=State.ACTIVE).values_list("user", "role")
    ) == [(member.pk, "facilitator")]


# --- membership_remove -----------------------------------------------------------------------


def test_membership_remove_ends_the_membership_with_the_coordinator_as_actor(
    coordinator, community, member
):
    membership = MembershipFactory(user=member, community=community)

    membership_remove(community=community, actor=coordinator, membership_id=membership.pk)

    membership.refresh_from_db()
    assert (membership.state, membership.role) == ("left", "member")
    assert membership.left_at is not None
    assert events_of(membership) == [("removed", "coordinator@example.org", "member")]


def test_membership_remove_of_the_last_coordinator_is_refused(coordinator, community):
    own = Membership.objects.get(user=coordinator, community=community)
    assert_refused(
        lambda: membership_remove(community=community, actor=coordinator, membership_id=own.pk),
        "A community keeps at least one coordinator: appoint another one first.",
        "last_coordinator",
    )


def test_membership_remove_of_someone_who_is_not_a_member_is_refused(
    coordinator, community, private_community, member
):
    elsewhere = MembershipFactory(user=member, community=private_community)
    gone = MembershipFactory(community=community, state=State.LEFT)
    for membership_id in (elsewhere.pk, gone.pk, 987654):
        assert_refused(
            lambda membership_id=membership_id: membership_remove(
                community=community, actor=coordinator, membership_id=membership_id
            ),
            "That person is not a member of this community.",
            "not_member",
        )


def test_membership_remove_by_a_plain_member_is_refused(community, coordinator, member):
    MembershipFactory(user=member, community=community)
    victim = MembershipFactory(community=community)
    assert_refused(
        lambda: membership_remove(community=community, actor=member, membership_id=victim.pk),
        "Only the coordinators can do that.",
        "forbidden",
    )


# --- membership_set_role ---------------------------------------------------------------------


def test_membership_set_role_promotes_and_records_it(coordinator, community, member):
    membership = MembershipFactory(user=member, community=community)

    membership_set_role(
        community=community, actor=coordinator, membership_id=membership.pk, role="coordinator"
    )

    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    assert events_of(membership) == [("role_changed", "coordinator@example.org", "coordinator")]


def test_membership_set_role_to_the_same_role_records_nothing(coordinator, community, member):
    membership = MembershipFactory(user=member, community=community, role=Role.AMBASSADOR)
    membership_set_role(
        community=community, actor=coordinator, membership_id=membership.pk, role="ambassador"
    )
    assert events_of(membership) == []


def test_membership_set_role_demoting_the_last_coordinator_is_refused(coordinator, community):
    own = Membership.objects.get(user=coordinator, community=community)
    assert_refused(
        lambda: membership_set_role(
            community=community, actor=coordinator, membership_id=own.pk, role="member"
        ),
        "A community keeps at least one coordinator: appoint another one first.",
        "last_coordinator",
    )


def test_membership_set_role_demotes_a_coordinator_who_has_a_successor(
    coordinator, community, member
):
    successor = MembershipFactory(user=member, community=community)
    membership_set_role(
        community=community, actor=coordinator, membership_id=successor.pk, role="coordinator"
    )
    own = Membership.objects.get(user=coordinator, community=community)

    membership_set_role(community=community, actor=coordinator, membership_id=own.pk, role="member")

    assert sorted(
        Membership.objects.filter(community=community).values_list("user__email", "role")
    ) == [("coordinator@example.org", "member"), ("member@example.org", "coordinator")]


def test_membership_set_role_demoting_the_last_facilitator_of_a_group_is_refused(group):
    facilitator = facilitator_of(group)
    own = Membership.objects.get(user=facilitator, community=group)
    assert_refused(
        lambda: membership_set_role(
            community=group, actor=facilitator, membership_id=own.pk, role="member"
        ),
        "A community keeps at least one coordinator: appoint another one first.",
    )


def test_membership_set_role_refuses_an_unknown_role(coordinator, community, member):
    membership = MembershipFactory(user=member, community=community)
    assert_refused(
        lambda: membership_set_role(
            community=community, actor=coordinator, membership_id=membership.pk, role="king"
        ),
        "Unknown role.",
        "role",
    )


# --- invitations -----------------------------------------------------------------------------


def test_invitation_create_sends_a_one_time_link_to_the_address(coordinator, private_community):
    invitation, token = invitation_create(
        community=private_community, actor=coordinator, email="  New.Person@Example.org "
    )

    invitation.refresh_from_db()
    assert (invitation.email, invitation.state, invitation.invited_by) == (
        "new.person@example.org",
        "pending",
        coordinator,
    )
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )
    assert outbox_rows() == [
        (f"invitation:{invitation.pk}", "invitation", "new.person@example.org", None)
    ]
    mail = OutboxMessage.objects.get(kind="invitation")
    assert f"/invitations/{token}/" in mail.body_text
    # Nobody has this address yet: the mail says how to sign up.
    assert "account" in mail.body_text


def test_invitation_create_to_a_known_person_links_the_outbox_row_to_them(
    coordinator, private_community, other_user
):
    invitation, _token = invitation_create(
        community=private_community, actor=coordinator, email="OTHER@example.org"
    )
    assert outbox_rows() == [
        (f"invitation:{invitation.pk}", "invitation", "other@example.org", other_user.pk)
    ]


def test_invitation_accept_makes_a_member_and_the_token_works_once(
    coordinator, private_community, other_user
):
    invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )

    membership = invitation_accept(token=token, user=other_user)

    membership.refresh_from_db()
    assert (membership.community, membership.state, membership.role) == (
        private_community,
        "active",
        "member",
    )
    assert events_of(membership) == [("accepted", "other@example.org", "member")]
    invitation.refresh_from_db()
    assert (invitation.state, invitation.accepted_by) == ("accepted", other_user)
    assert invitation.answered_at is not None
    assert_refused(
        lambda: invitation_accept(token=token, user=other_user),
        "This invitation has already been answered.",
        "answered",
    )


def test_invitation_accept_after_leaving_reuses_the_membership_row(
    coordinator, private_community, other_user
):
    old = MembershipFactory(user=other_user, community=private_community, state=State.LEFT)
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )

    membership = invitation_accept(token=token, user=other_user)

    assert membership.pk == old.pk
    assert Membership.objects.filter(user=other_user, community=private_community).count() == 1


def test_invitation_accept_by_someone_with_another_address_is_refused(
    coordinator, private_community, other_user, member
):
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    assert_refused(
        lambda: invitation_accept(token=token, user=member),
        "This invitation was sent to another e-mail address.",
        "other_address",
    )


def test_invitation_accept_after_it_expired_is_refused(
    coordinator, private_community, other_user, clock
):
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    clock.shift(timedelta(days=14, seconds=1))
    assert_refused(
        lambda: invitation_accept(token=token, user=other_user),
        "This invitation has expired; ask for a new one.",
        "expired",
    )


def test_invitation_accept_of_a_revoked_invitation_is_refused(
    coordinator, private_community, other_user
):
    invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    invitation_revoke(community=private_community, actor=coordinator, invitation_id=invitation.pk)
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.REVOKED

    assert_refused(
        lambda: invitation_accept(token=token, user=other_user),
        "This invitation has already been answered.",
        "answered",
    )


def test_invitation_accept_with_an_unknown_token_is_refused(other_user):
    assert_refused(
        lambda: invitation_accept(token="not-a-token", user=other_user),
        "This invitation does not exist.",
        "not_found",
    )


def test_invitation_decline_answers_it_without_a_membership(
    coordinator, private_community, other_user
):
    invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )

    invitation_decline(token=token, user=other_user)

    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED
    assert Membership.objects.filter(user=other_user).count() == 0
    assert_refused(
        lambda: invitation_accept(token=token, user=other_user),
        "This invitation has already been answered.",
    )


def test_invitation_create_twice_for_the_same_address_is_refused(coordinator, private_community):
    invitation_create(community=private_community, actor=coordinator, email="new@example.org")
    assert_refused(
        lambda: invitation_create(
            community=private_community, actor=coordinator, email="NEW@example.org"
        ),
        "new@example.org has already been invited.",
        "invited",
    )


def test_invitation_create_again_after_the_first_expired(coordinator, private_community, clock):
    first, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )
    clock.shift(timedelta(days=15))

    second, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )

    assert second.pk != first.pk
    assert Invitation.objects.get(pk=first.pk).state == Invitation.State.REVOKED
    assert Invitation.objects.get(pk=second.pk).state == Invitation.State.PENDING
    assert OutboxMessage.objects.filter(kind="invitation").count() == 2


def test_invitation_create_again_after_a_revoke(coordinator, private_community):
    first, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )
    invitation_revoke(community=private_community, actor=coordinator, invitation_id=first.pk)

    second, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )

    assert second.state == Invitation.State.PENDING


def test_invitation_create_for_an_existing_member_is_refused(
    coordinator, private_community, member
):
    MembershipFactory(user=member, community=private_community)
    assert_refused(
        lambda: invitation_create(
            community=private_community, actor=coordinator, email="Member@Example.org"
        ),
        "member@example.org is already a member.",
        "member",
    )


@pytest.mark.parametrize(
    "email",
    [
        "geen-adres",
        "",
        # Passes Django's e-mail validator (≤ 320 characters) but not the 254-character column.
        "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org",
    ],
)
def test_invitation_create_with_an_invalid_address_is_refused(
    coordinator, private_community, email
):
    assert_refused(
        lambda: invitation_create(community=private_community, actor=coordinator, email=email),
        "Enter a valid e-mail address.",
        "email",
    )


def test_invitation_create_by_a_plain_member_is_refused(private_community, coordinator, member):
    MembershipFactory(user=member, community=private_community)
    assert_refused(
        lambda: invitation_create(
            community=private_community, actor=member, email="new@example.org"
        ),
        "Only the coordinators can do that.",
        "forbidden",
    )


def test_invitation_revoke_of_another_communitys_invitation_is_not_found(
    coordinator, community, private_community
):
    invitation, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )
    assert_refused(
        lambda: invitation_revoke(
            community=community, actor=coordinator, invitation_id=invitation.pk
        ),
        "There is no such invitation in this community.",
        "not_found",
    )
