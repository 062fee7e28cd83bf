"""The HTTP layer of communities: directory search, htmx partials, bad input, private = 404.

The client sends the English language cookie, so messages are compared as English text.
"""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.mail.models import OutboxMessage
from communities.models import Community, Invitation, Membership, MembershipEvent, Topic
from communities.selectors import DirectoryFilters, community_search
from communities.services.invitations import invitation_create
from communities.services.memberships import membership_remove, membership_request
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

Role = Membership.Role
State = Membership.State
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def names_on(response) -> list[str]:
    return [community.name for community in response.context["page"].object_list]


def redirect_of(response) -> tuple[int, str]:
    return response.status_code, response["Location"]


def state_of_memberships() -> list[tuple]:
    return sorted(Membership.objects.values_list("user__email", "community__slug", "role", "state"))


def nothing_changed_since(before: dict) -> bool:
    return snapshot() == before


def snapshot() -> dict:
    return {
        "memberships": state_of_memberships(),
        "events": MembershipEvent.objects.count(),
        "invitations": sorted(Invitation.objects.values_list("email", "state")),
        "outbox": OutboxMessage.objects.count(),
        "communities": sorted(
            Community.objects.values_list("slug", "name", "archived", "purpose", "visibility")
        ),
    }


def topic(name: str) -> Topic:
    return Topic.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]


@pytest.fixture
def directory(community, private_community):
    """Public communities of every kind with topics, a private one and an archived one."""
    community.topics.set([topic("Python")])
    data = CommunityFactory(name="Data community", slug="data", purpose="Samen over data")
    data.topics.set([topic("Data"), topic("Python")])
    frontend = CommunityFactory(
        name="Frontend chapter", slug="frontend", kind=Community.Kind.GUILD, purpose="CSS en meer"
    )
    frontend.topics.set([topic("CSS")])
    CommunityFactory(
        name="Architectuurgilde",
        slug="architectuurgilde",
        kind=Community.Kind.GUILD,
        join_policy=Community.JoinPolicy.APPROVAL,
    )
    CommunityFactory(name="Oud archief", slug="oud-archief", archived=True)
    return {"public": community, "private": private_community, "data": data}


# --- the directory ---------------------------------------------------------------------------


ALL_PUBLIC = ["Architectuurgilde", "Data community", "Frontend chapter", "Python-gilde"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_PUBLIC),
        ("q=front", ["Frontend chapter"]),
        ("q=FRONTEND+chapter", ["Frontend chapter"]),
        # By name (Python-gilde) and by topic (Data community has the topic Python).
        ("q=python", ["Data community", "Python-gilde"]),
        # Every word must match somewhere: name, purpose or topic.
        ("q=samen+python", ["Data community"]),
        ("q=css", ["Frontend chapter"]),
        ("q=nothing+like+this", []),
        ("topic=python", ["Data community", "Python-gilde"]),
        ("topic=css", ["Frontend chapter"]),
        ("kind=guild", ["Architectuurgilde", "Frontend chapter"]),
        ("kind=community_of_practice", ["Data community", "Python-gilde"]),
        ("kind=intervision_group", []),
        ("kind=guild&q=css", ["Frontend chapter"]),
        ("kind=guild&topic=python", []),
        ("mine=on", ["Data community"]),
        ("mine=on&q=python", ["Data community"]),
    ],
)
def test_community_list_search_finds_exactly(client, member, directory, query, expected):
    MembershipFactory(user=member, community=directory["data"])
    response = signed_in(client, member).get(f"/communities/?{query}")
    assert response.status_code == 200
    assert names_on(response) == expected


def test_community_list_shows_a_private_community_only_to_its_members(
    client, member, coordinator, directory
):
    assert "Security Champions" not in names_on(signed_in(client, member).get("/communities/"))
    assert names_on(signed_in(client, coordinator).get("/communities/?q=security")) == [
        "Security Champions"
    ]


def test_community_list_shows_member_count_and_my_role(client, member, directory, coordinator):
    MembershipFactory(user=member, community=directory["public"], role=Role.AMBASSADOR)
    MembershipFactory(community=directory["public"], state=State.LEFT)

    response = signed_in(client, member).get("/communities/?q=python-gilde")

    [row] = response.context["page"].object_list
    assert (row.member_count, row.my_role) == (2, "ambassador")
    html = response.content.decode()
    assert "2 members" in html
    assert "You: ambassador" in html


def test_community_list_search_with_many_words_joins_no_topic_rows(member, directory):
    """Words are matched against topics with a subquery each: a join per word would multiply
    the rows (topics ** words per community) and a query of eight words could stall the
    database."""

    found = community_search(member, DirectoryFilters(query="a " * 8))

    assert list(found.query.alias_map) == ["communities_community"]
    assert list(found.values_list("name", flat=True)) == ALL_PUBLIC


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999999",
        "page=-1",
        "page=abc",
        "page=1.5",
        "kind=bogus",
        "topic=%25%25%25",
        "topic=" + "x" * 500,
        "mine=maybe",
        "q=" + "lang" * 100,
        "q=%00",
        "q=%27%3B+DROP+TABLE+communities_community%3B--",
        "q=a&q=b&kind=guild&kind=club",
    ],
)
def test_community_list_garbage_parameters_never_fail(client, member, directory, query):
    response = signed_in(client, member).get(f"/communities/?{query}")
    # A NUL byte is refused before the view (400, RejectNulMiddleware); the rest is ignored.
    assert response.status_code == (400 if "%00" in query else 200)
    assert Community.objects.count() == 6


def test_community_list_paginates_by_twenty(client, member):
    for number in range(25):
        CommunityFactory(name=f"Gilde {number:02d}")
    signed_in(client, member)

    first = client.get("/communities/")
    second = client.get("/communities/?page=2")
    beyond = client.get("/communities/?page=99999")

    assert names_on(first) == [f"Gilde {n:02d}" for n in range(20)]
    assert names_on(second) == [f"Gilde {n:02d}" for n in range(20, 25)]
    assert names_on(beyond) == names_on(second)
    assert 'href="?page=2"' in first.content.decode()


def test_community_list_pagination_keeps_the_search(client, member):
    for number in range(21):
        CommunityFactory(name=f"Gilde {number:02d}", kind=Community.Kind.GUILD)
    response = signed_in(client, member).get("/communities/?kind=guild")
    assert 'href="?kind=guild&amp;page=2"' in response.content.decode()


def test_community_list_htmx_search_returns_only_the_results(client, member, directory):
    response = signed_in(client, member).get(
        "/communities/?q=front", headers={**HTMX, "HX-Target": "directory-results"}
    )

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="directory-results"')
    assert html.endswith("</div>")
    assert "<html" not in html
    assert 'role="search"' not in html
    assert re.findall(r'class="card-title">\s*<a [^>]*>([^<]+)</a>', html) == ["Frontend chapter"]


def test_community_list_htmx_request_for_another_target_gets_the_whole_page(
    client, member, directory
):
    response = signed_in(client, member).get(
        "/communities/?q=front", headers={**HTMX, "HX-Target": "main"}
    )
    html = response.content.decode()
    assert "<html" in html
    assert 'role="search"' in html


# --- the community page ----------------------------------------------------------------------


def test_community_detail_shows_purpose_coordinators_and_count(client, member, coordinator):
    community = Community.objects.get(slug="python-gilde")
    MembershipFactory(user=member, community=community)

    response = signed_in(client, member).get("/communities/python-gilde/")

    assert response.status_code == 200
    assert [lead.user.name for lead in response.context["community"].leads] == ["Cora Coordinator"]
    assert response.context["community"].member_count == 2
    assert [m.user.name for m in response.context["members"]] == ["Cora Coordinator", "Mia Member"]
    assert "Learning together" in response.content.decode()


def test_community_detail_hides_the_member_list_from_non_members(client, other_user, coordinator):
    response = signed_in(client, other_user).get("/communities/python-gilde/")
    assert response.status_code == 200
    assert response.context["members"] is None
    assert "Cora Coordinator" in response.content.decode()  # coordinators are public


def test_community_detail_renders_markdown_without_scripts(client, member, community):
    community.description = (
        "**Sterk** <script>alert(1)</script> [klik](javascript:alert(2)) "
        '<img src="x" onerror="alert(3)">'
    )
    community.save()

    html = signed_in(client, member).get("/communities/python-gilde/").content.decode()

    assert "<strong>Sterk</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert '<img src="x"' not in html


# --- join and leave with htmx ----------------------------------------------------------------


def _partial(response) -> str:
    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<div id="membership-actions"'), html[:80]
    assert "<html" not in html
    return html


def test_community_join_with_htmx_returns_the_membership_panel(client, member, community):
    response = signed_in(client, member).post("/communities/python-gilde/join/", headers=HTMX)

    html = _partial(response)
    assert "Welcome! You are now a member." in html
    assert "Leave this community" in html
    assert Membership.objects.get(user=member, community=community).state == State.ACTIVE


def test_community_leave_with_htmx_returns_the_membership_panel(client, member, community):
    MembershipFactory(user=member, community=community)

    response = signed_in(client, member).post("/communities/python-gilde/leave/", headers=HTMX)

    html = _partial(response)
    assert "You have left the community." in html
    assert "Join this community" in html
    assert Membership.objects.get(user=member, community=community).state == State.LEFT


def test_community_join_twice_with_htmx_shows_the_error_in_the_panel(client, member, community):
    MembershipFactory(user=member, community=community)
    before = snapshot()

    html = _partial(signed_in(client, member).post("/communities/python-gilde/join/", headers=HTMX))

    assert "You are already a member." in html
    assert snapshot() == before


def test_community_request_with_htmx_shows_the_pending_state(client, member, coordinator):
    CommunityFactory(name="Architectuurgilde", slug="arch", join_policy="approval")
    arch = Community.objects.get(slug="arch")
    MembershipFactory(user=coordinator, community=arch, role=Role.COORDINATOR)

    response = signed_in(client, member).post(
        "/communities/arch/join/", {"motivation": "Graag"}, headers=HTMX
    )

    html = _partial(response)
    assert "Your request has been sent to the coordinators." in html
    assert "Withdraw my request" in html
    membership = Membership.objects.get(user=member, community=arch)
    assert (membership.state, membership.motivation) == ("pending", "Graag")
    assert list(OutboxMessage.objects.values_list("kind", "to_email")) == [
        ("join_request", "coordinator@example.org")
    ]


def test_community_leave_of_a_private_community_with_htmx_redirects_to_the_directory(
    client, member, private_community, coordinator
):
    MembershipFactory(user=member, community=private_community)

    response = signed_in(client, member).post(
        "/communities/security-champions/leave/", headers=HTMX
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/communities/"
    assert client.get("/communities/security-champions/").status_code == 404


# --- bad input: a message, a redirect, nothing changed ---------------------------------------


def test_community_join_twice_gives_a_message_and_changes_nothing(client, member, community):
    signed_in(client, member).post("/communities/python-gilde/join/", follow=True)
    before = snapshot()

    response = client.post("/communities/python-gilde/join/")

    assert redirect_of(response) == (302, "/communities/python-gilde/")
    assert messages_of(response) == [("error", "You are already a member.")]
    assert snapshot() == before


def test_community_leave_when_not_a_member_gives_a_message(client, member, community):
    before = snapshot()

    response = signed_in(client, member).post("/communities/python-gilde/leave/")

    assert redirect_of(response) == (302, "/communities/python-gilde/")
    assert messages_of(response) == [("error", "You are not a member of this community.")]
    assert snapshot() == before


def test_community_leave_by_the_last_coordinator_gives_a_message(client, coordinator, community):
    before = snapshot()

    response = signed_in(client, coordinator).post("/communities/python-gilde/leave/")

    assert redirect_of(response) == (302, "/communities/python-gilde/")
    assert messages_of(response) == [
        (
            "error",
            "You are the last coordinator: make someone else coordinator before you leave.",
        )
    ]
    assert snapshot() == before


def test_community_join_of_an_invite_only_community_gives_a_message(
    client, member, private_community, coordinator
):
    MembershipFactory(user=member, community=private_community, state=State.ACTIVE)
    before = snapshot()

    response = signed_in(client, member).post("/communities/security-champions/join/")

    assert redirect_of(response) == (302, "/communities/security-champions/")
    assert messages_of(response) == [("error", "This community is not open: ask to join instead.")]
    assert snapshot() == before


def test_community_request_with_a_long_motivation_gives_a_message(client, member, coordinator):
    CommunityFactory(slug="arch", join_policy="approval")
    before = snapshot()

    response = signed_in(client, member).post("/communities/arch/join/", {"motivation": "m" * 501})

    assert redirect_of(response) == (302, "/communities/arch/")
    assert messages_of(response) == [("error", "Keep your motivation under 500 characters.")]
    assert snapshot() == before


@pytest.fixture
def approval_guild(coordinator, other_user):
    guild = CommunityFactory(name="Architectuurgilde", slug="arch", join_policy="approval")
    MembershipFactory(user=coordinator, community=guild, role=Role.COORDINATOR)
    pending = membership_request(user=other_user, community=guild, motivation="Graag")
    return {"guild": guild, "pending": pending}


def test_membership_approve_view_approves_once(client, coordinator, approval_guild, other_user):
    url = f"/communities/arch/members/{approval_guild['pending'].pk}/approve/"
    signed_in(client, coordinator)

    first = client.post(url, follow=True)
    before = snapshot()
    second = client.post(url)

    assert first.redirect_chain == [("/communities/arch/members/", 302)]
    assert [str(m) for m in first.context["messages"]] == ["Otto Other is now a member."]
    assert redirect_of(second) == (302, "/communities/arch/members/")
    assert messages_of(second) == [("error", "This request has already been answered.")]
    assert snapshot() == before
    assert OutboxMessage.objects.filter(kind="join_decision").count() == 1


@pytest.mark.parametrize("action", ["approve", "decline", "remove", "role"])
@pytest.mark.parametrize("membership_id", ["987654", "99999999999999999999999"])
def test_membership_views_with_an_unknown_id_give_a_message(
    client, coordinator, approval_guild, action, membership_id
):
    before = snapshot()

    response = signed_in(client, coordinator).post(
        f"/communities/arch/members/{membership_id}/{action}/", {"role": "member"}
    )

    assert redirect_of(response) == (302, "/communities/arch/members/")
    assert messages_of(response) == [
        (
            "error",
            "There is no such request in this community."
            if action in ("approve", "decline")
            else "That person is not a member of this community.",
        )
    ]
    assert snapshot() == before


def test_membership_approve_view_of_another_communitys_request_gives_a_message(
    client, coordinator, approval_guild
):
    """A coordinator of python-gilde posts the id of a request made to the Architectuurgilde."""
    before = snapshot()

    response = signed_in(client, coordinator).post(
        f"/communities/python-gilde/members/{approval_guild['pending'].pk}/approve/"
    )

    assert redirect_of(response) == (302, "/communities/python-gilde/members/")
    assert messages_of(response) == [("error", "There is no such request in this community.")]
    assert snapshot() == before


def test_membership_role_view_with_an_unknown_role_gives_a_message(
    client, coordinator, community, member
):
    membership = MembershipFactory(user=member, community=community)
    before = snapshot()

    response = signed_in(client, coordinator).post(
        f"/communities/python-gilde/members/{membership.pk}/role/", {"role": "king"}
    )

    assert messages_of(response) == [("error", "Unknown role.")]
    assert snapshot() == before


def test_membership_role_view_refuses_facilitator_outside_intervision(
    client, coordinator, community, member
):
    membership = MembershipFactory(user=member, community=community)
    before = snapshot()

    response = signed_in(client, coordinator).post(
        f"/communities/python-gilde/members/{membership.pk}/role/", {"role": "facilitator"}
    )

    assert messages_of(response) == [("error", "Unknown role.")]
    assert snapshot() == before


def test_membership_role_view_demoting_the_last_coordinator_gives_a_message(
    client, coordinator, community
):
    own = Membership.objects.get(user=coordinator, community=community)
    before = snapshot()

    response = signed_in(client, coordinator).post(
        f"/communities/python-gilde/members/{own.pk}/role/", {"role": "member"}
    )

    assert messages_of(response) == [
        ("error", "A community keeps at least one coordinator: appoint another one first.")
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("geen-adres", "Enter a valid e-mail address."),
        ("", "Paste at least one e-mail address or pick someone."),
        ("a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org", "Enter a valid e-mail address."),
        ("coordinator@example.org", "coordinator@example.org is already a member."),
    ],
)
def test_invitation_create_view_with_bad_input_gives_a_message(
    client, coordinator, private_community, email, message
):
    before = snapshot()

    response = signed_in(client, coordinator).post(
        "/communities/security-champions/invitations/", {"emails": email}
    )

    assert redirect_of(response) == (302, "/communities/security-champions/members/")
    assert messages_of(response) == [("error", message)]
    assert snapshot() == before


def test_invitation_create_view_sends_and_a_second_time_refuses(
    client, coordinator, private_community
):
    signed_in(client, coordinator)

    first = client.post(
        "/communities/security-champions/invitations/", {"emails": "n@example.org"}, follow=True
    )
    before = snapshot()
    second = client.post(
        "/communities/security-champions/invitations/", {"emails": "n@example.org"}
    )

    assert [str(m) for m in first.context["messages"]] == [
        "An invitation has been sent to n@example.org."
    ]
    assert messages_of(second) == [("error", "n@example.org has already been invited.")]
    assert snapshot() == before
    assert list(OutboxMessage.objects.values_list("kind", "to_email")) == [
        ("invitation", "n@example.org")
    ]


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_invitation_answer_with_an_unknown_token_gives_a_message(client, member, answer):
    response = signed_in(client, member).post(f"/invitations/geen-token/{answer}/")
    assert redirect_of(response) == (302, "/")
    assert messages_of(response) == [("error", "This invitation does not exist.")]


def test_invitation_flow_from_the_mail_link_to_membership(
    client, coordinator, private_community, other_user
):
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    signed_in(client, other_user)

    page = client.get(f"/invitations/{token}/")
    accepted = client.post(f"/invitations/{token}/accept/", follow=True)
    again = client.post(f"/invitations/{token}/accept/")

    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    assert accepted.redirect_chain == [("/communities/security-champions/", 302)]
    assert [str(m) for m in accepted.context["messages"]] == ["Welcome! You are now a member."]
    assert messages_of(again) == [("error", "This invitation has already been answered.")]
    assert client.get("/communities/security-champions/").status_code == 200


def test_invitation_page_for_someone_else_shows_no_buttons(
    client, coordinator, private_community, other_user, member
):
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    html = signed_in(client, member).get(f"/invitations/{token}/").content.decode()
    assert "This invitation was sent to another e-mail address." in html
    assert "Accept the invitation" not in html


def test_invitation_page_with_an_unknown_token_is_404(client, member):
    assert signed_in(client, member).get("/invitations/" + "x" * 300 + "/").status_code == 404


# --- creating, editing, archiving ------------------------------------------------------------


FORM = {
    "name": "Frontend chapter",
    "slug": "",
    "kind": "guild",
    "purpose": "Alles over het web",
    "description": "",
    "topics": "CSS, HTML",
    "cadence": "",
    "visibility": "public",
    "join_policy": "open",
}


def test_community_create_view_creates_and_makes_the_creator_coordinator(client, member):
    response = signed_in(client, member).post("/communities/new/", FORM)

    assert redirect_of(response) == (302, "/communities/frontend-chapter/")
    community = Community.objects.get(slug="frontend-chapter")
    assert list(community.memberships.values_list("user__email", "role")) == [
        ("member@example.org", "coordinator")
    ]
    assert sorted(community.topics.values_list("name", flat=True)) == ["CSS", "HTML"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "python-GILDE"}, "A community called “python-GILDE” already exists."),
        ({"slug": "python-gilde"}, "The web address “python-gilde” is already taken."),
        ({"slug": "new"}, "“new” is a reserved word; choose another web address."),
        ({"name": "New"}, "“new” is a reserved word; choose another web address."),
    ],
)
def test_community_create_view_with_a_taken_or_reserved_name_shows_the_error(
    client, member, community, changes, error
):
    before = snapshot()

    response = signed_in(client, member).post("/communities/new/", {**FORM, **changes})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [error]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "N" * 121}, "name"),
        ({"purpose": "p" * 281}, "purpose"),
        ({"description": "d" * 10001}, "description"),
        ({"kind": "club"}, "kind"),
        ({"visibility": "secret"}, "visibility"),
        ({"name": ""}, "name"),
    ],
)
def test_community_create_view_with_bad_fields_shows_the_form_again(client, member, changes, field):
    before = snapshot()

    response = signed_in(client, member).post("/communities/new/", {**FORM, **changes})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert snapshot() == before


def test_community_create_view_is_404_for_non_staff_when_only_staff_may_create(
    client, settings, member, staff
):
    settings.COMMUNITY_CREATION = "staff"

    assert signed_in(client, member).get("/communities/new/").status_code == 404
    assert client.post("/communities/new/", FORM).status_code == 404
    assert "New community" not in client.get("/communities/").content.decode()
    assert Community.objects.count() == 0
    assert signed_in(client, staff).get("/communities/new/").status_code == 200


def test_community_edit_view_saves_changes(client, coordinator, community):
    response = signed_in(client, coordinator).post(
        "/communities/python-gilde/edit/",
        {**FORM, "name": "Python Guild", "join_policy": "approval"},
    )

    assert redirect_of(response) == (302, "/communities/python-gilde/")
    community.refresh_from_db()
    assert (community.name, community.slug, community.kind, community.join_policy) == (
        "Python Guild",
        "python-gilde",
        "community_of_practice",
        "approval",
    )


def test_community_edit_view_with_a_taken_name_changes_nothing(client, coordinator, community):
    CommunityFactory(name="Data community")
    before = snapshot()

    response = signed_in(client, coordinator).post(
        "/communities/python-gilde/edit/", {**FORM, "name": "DATA community"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A community called “DATA community” already exists."
    ]
    assert snapshot() == before


def test_community_archive_view_hides_it_and_restore_brings_it_back(
    client, coordinator, community, member
):
    MembershipFactory(user=member, community=community)
    signed_in(client, coordinator)

    archived = client.post("/communities/python-gilde/archive/")
    hidden_detail = client.get("/communities/python-gilde/")
    directory = client.get("/communities/")
    members_page = client.get("/communities/python-gilde/members/")
    refused = client.post(
        f"/communities/python-gilde/members/{member.memberships.get().pk}/remove/"
    )
    restored = client.post("/communities/python-gilde/restore/")

    assert redirect_of(archived) == (302, "/communities/python-gilde/members/")
    assert hidden_detail.status_code == 404
    assert names_on(directory) == ["Security Champions"]
    assert members_page.status_code == 200
    assert "Restore the community" in members_page.content.decode()
    assert messages_of(refused) == [("error", "This community is archived.")]
    assert member.memberships.get().state == State.ACTIVE
    assert redirect_of(restored) == (302, "/communities/python-gilde/")
    assert client.get("/communities/python-gilde/").status_code == 200


# --- private communities answer 404 ---------------------------------------------------------


PRIVATE_PATHS = [
    ("get", "/communities/security-champions/"),
    ("get", "/communities/security-champions/members/"),
    ("get", "/communities/security-champions/edit/"),
    ("post", "/communities/security-champions/edit/"),
    ("post", "/communities/security-champions/join/"),
    ("post", "/communities/security-champions/leave/"),
    ("post", "/communities/security-champions/archive/"),
    ("post", "/communities/security-champions/restore/"),
    ("post", "/communities/security-champions/members/{membership}/approve/"),
    ("post", "/communities/security-champions/members/{membership}/decline/"),
    ("post", "/communities/security-champions/members/{membership}/remove/"),
    ("post", "/communities/security-champions/members/{membership}/role/"),
    ("post", "/communities/security-champions/invitations/"),
    ("post", "/communities/security-champions/invitations/{invitation}/revoke/"),
]


@pytest.mark.parametrize(("method", "path"), PRIVATE_PATHS)
@pytest.mark.parametrize("who", ["non_member", "pending", "left", "staff"])
def test_private_community_answers_404_to_people_outside_it(
    client, coordinator, private_community, other_user, staff, member, method, path, who
):
    membership = MembershipFactory(user=member, community=private_community)
    invitation, _token = invitation_create(
        community=private_community, actor=coordinator, email="new@example.org"
    )
    visitor = {"non_member": other_user, "staff": staff}.get(who)
    if visitor is None:
        visitor = UserFactory()
        state = State.PENDING if who == "pending" else State.LEFT
        MembershipFactory(user=visitor, community=private_community, state=state)
    before = snapshot()

    response = getattr(signed_in(client, visitor), method)(
        path.format(membership=membership.pk, invitation=invitation.pk),
        {"email": "x@example.org", "role": "coordinator", "name": "Gekaapt"},
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_private_community_membership_changes_take_effect_on_the_next_request(
    client, coordinator, private_community, member
):
    membership = MembershipFactory(user=member, community=private_community)
    signed_in(client, member)
    assert client.get("/communities/security-champions/").status_code == 200

    membership_remove(community=private_community, actor=coordinator, membership_id=membership.pk)
    assert client.get("/communities/security-champions/").status_code == 404
    assert "Security Champions" not in names_on(client.get("/communities/"))

    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=member.email
    )
    client.post(f"/invitations/{token}/accept/")
    assert client.get("/communities/security-champions/").status_code == 200


def test_private_community_is_gone_right_after_leaving_it(
    client, coordinator, private_community, member
):
    MembershipFactory(user=member, community=private_community)
    signed_in(client, member)

    response = client.post("/communities/security-champions/leave/")

    assert redirect_of(response) == (302, "/communities/")
    assert messages_of(response) == [("success", "You have left the community.")]
    assert client.get("/communities/security-champions/").status_code == 404
    assert client.post("/communities/security-champions/leave/").status_code == 404


def test_coordinator_pages_follow_a_role_change_on_the_next_request(
    client, coordinator, community, member
):
    membership = MembershipFactory(user=member, community=community)
    signed_in(client, member)
    assert client.get("/communities/python-gilde/members/").status_code == 404

    Membership.objects.filter(pk=membership.pk).update(role=Role.COORDINATOR)
    assert client.get("/communities/python-gilde/members/").status_code == 200

    Membership.objects.filter(pk=membership.pk).update(role=Role.MEMBER)
    assert client.get("/communities/python-gilde/members/").status_code == 404


# --- constant number of queries --------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add_communities(count: int, viewer) -> None:
    """Communities of every sort: with topics, a coordinator, the viewer in some, a session."""
    python, data = topic("Python"), topic("Data")
    for number in range(count):
        visibility = "private" if number % 2 else "public"
        community = CommunityFactory(visibility=visibility)
        community.topics.set([python, data])
        MembershipFactory(community=community, role=Role.COORDINATOR)
        MembershipFactory(user=viewer, community=community, role=Role.AMBASSADOR)
        SessionFactory(community=community)


# Measured with the pages as they are now; when a page gains a (constant) query, update the
# number here. The point is that it is the same at 1 and at 50.
# Directory: session + user (2), count + page (2), organisation settings (1), topics in use
# (1), the page's topics prefetch (1).
DIRECTORY_QUERIES = 7
# Community page: session + user (2), the community with its counts + topics + leads
# prefetches (3), my membership (1), may see members + manages (2), upcoming and past sessions
# with the right to schedule (4), members (1), organisation settings (1); recent and
# most helpful takeaways (2), the right to see insights (1), the articles panel (its
# articles and whether the viewer looks after the community: 2) and who is going on the
# session cards (1; seats left is one more when a session has a capacity).
DETAIL_QUERIES = 20


def test_community_list_queries_are_the_same_for_1_and_50_communities(client, member):
    signed_in(client, member)
    _add_communities(1, member)
    one = _queries(client, "/communities/")

    _add_communities(49, member)
    fifty = _queries(client, "/communities/")

    assert (one, fifty) == (DIRECTORY_QUERIES, DIRECTORY_QUERIES)


def test_community_detail_queries_are_the_same_for_1_and_50_members(client, member, community):
    signed_in(client, member)
    MembershipFactory(user=member, community=community)
    community.topics.set([topic("Python"), topic("Data")])
    SessionFactory(community=community)
    one = _queries(client, "/communities/python-gilde/")

    for number in range(49):
        role = Role.COORDINATOR if number % 10 == 0 else Role.MEMBER
        MembershipFactory(community=community, role=role)
    SessionFactory.create_batch(5, community=community)
    fifty = _queries(client, "/communities/python-gilde/")

    assert Membership.objects.filter(community=community, state=State.ACTIVE).count() == 50
    assert (one, fifty) == (DETAIL_QUERIES, DETAIL_QUERIES)
