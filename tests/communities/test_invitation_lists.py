"""Inviting many at once: a pasted list, people picked by name, and one's own pending
invitation from the home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.mail.models import OutboxMessage
from communities.models import Invitation, Membership
from communities.services.invitations import invitations_create, parse_addresses
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_parse_addresses_reads_lines_commas_semicolons_and_names():
    pasted = "Ana Analist <Ana@Example.org>, bas@example.org;\ncees@example.org  ana@example.org"
    assert parse_addresses(pasted) == ["ana@example.org", "bas@example.org", "cees@example.org"]


def test_invitations_create_invites_the_good_ones_and_says_why_not_the_others(
    coordinator, private_community
):
    picked = UserFactory(email="picked@example.org", display_name="Piet Gekozen")

    with translation.override("en"):
        batch = invitations_create(
            community=private_community,
            actor=coordinator,
            emails=["new@example.org", "geen-adres", "coordinator@example.org"],
            people=[picked],
        )

    assert batch.sent == ["new@example.org", "picked@example.org"]
    assert batch.skipped == [
        ("geen-adres", "Enter a valid e-mail address."),
        ("coordinator@example.org", "coordinator@example.org is already a member."),
    ]
    assert sorted(OutboxMessage.objects.values_list("to_email", flat=True)) == [
        "new@example.org",
        "picked@example.org",
    ]
    with translation.override("en"):
        again = invitations_create(
            community=private_community, actor=coordinator, emails=["new@example.org"]
        )
    assert again.sent == []
    assert again.skipped == [("new@example.org", "new@example.org has already been invited.")]


def test_invite_view_with_a_pasted_list_says_how_many(client, coordinator, private_community):
    client.force_login(coordinator)
    response = client.post(
        "/communities/security-champions/invitations/",
        {"emails": "a@example.org, b@example.org\nc@example.org"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["3 uitnodigingen zijn verstuurd."]
    assert Invitation.objects.filter(community=private_community).count() == 3


def test_people_picker_finds_by_name_not_members_and_keeps_the_ticked(
    client, coordinator, private_community, member
):
    MembershipFactory(user=member, community=private_community)
    ana = UserFactory(email="ana@example.org", display_name="Ana Analist")
    UserFactory(email="anne@example.org", display_name="Anne Archief")
    UserFactory(email="old@example.org", display_name="Ana Oud", is_active=False)
    client.force_login(coordinator)

    found = client.get("/communities/security-champions/invitations/people/", {"q": "an"})
    assert [p.email for p in found.context["found"]] == ["ana@example.org", "anne@example.org"]
    kept = client.get(
        "/communities/security-champions/invitations/people/",
        {"q": "anne", "people": [str(ana.pk), "²"]},
    )
    assert [p.email for p in kept.context["chosen"]] == ["ana@example.org"]
    assert [p.email for p in kept.context["found"]] == ["anne@example.org"]
    assert f'value="{ana.pk}"' in kept.content.decode()
    assert "checked" in kept.content.decode()
    with CaptureQueriesContext(connection) as one:
        client.get("/communities/security-champions/invitations/people/", {"q": "zzz"})
    UserFactory.create_batch(5, display_name="Zzz Slaper")
    with CaptureQueriesContext(connection) as many:
        client.get("/communities/security-champions/invitations/people/", {"q": "zzz"})
    assert len(one) == len(many)


def test_home_shows_my_pending_invitation_and_accepting_it_there_makes_me_a_member(
    client, coordinator, private_community, other_user
):
    invitations_create(community=private_community, actor=coordinator, emails=[other_user.email])
    client.force_login(other_user)

    home = client.get("/")
    (invitation,) = home.context["invitations"]
    assert "Je bent uitgenodigd voor Security Champions" in home.content.decode()
    page = client.get(f"/invitations/mine/{invitation.pk}/")
    assert page.status_code == 200
    answered = client.post(f"/invitations/mine/{invitation.pk}/accept/")
    assert answered["Location"] == "/communities/security-champions/"
    assert Membership.objects.get(user=other_user, community=private_community).state == "active"
    assert client.get("/").context["invitations"] == []
