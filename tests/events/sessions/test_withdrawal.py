"""Who may no longer take part gets their CANCEL and then nothing: leaving or being removed from
a private community, a community turned private, deactivation (seats freed, waitlists promoted,
hosting handed over, rotas), a switch to feed-only delivery; and back to invitations."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from communities.mail.checks import still_wanted
from communities.mail.models import OutboxMessage
from communities.models import Membership
from communities.services.accounts import (
    calendar_delivery_set,
    person_withdrawal_preview,
    user_deactivate,
)
from communities.services.communities import community_update
from communities.services.memberships import membership_leave, membership_remove
from events.models import CalendarDelivery, Rsvp, SeriesRsvp
from events.series.recurrence import Recurrence
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import series_create
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from tests.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)
SECRET = "Reorganisatie: afdeling X gaat dicht"


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def details(**changes) -> SessionDetails:
    fields = {"title": "Dreigingsmodel", "format": "brown_bag", "start": START,
              "end": START + timedelta(hours=1), "timezone": "Europe/Amsterdam",
              "location": "Zaal 4", "capacity": 10, "description": "Intern"}  # fmt: skip
    return SessionDetails(**{**fields, **changes})


def mails(user, **filters) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=user, **filters).order_by("id"))


@pytest.fixture
def leaver(private_community):
    person = UserFactory(email="leaver@example.org", display_name="Lea Leaver")
    MembershipFactory(user=person, community=private_community)
    return person


@pytest.fixture
def session(private_community, coordinator):
    return session_create(community=private_community, actor=coordinator, details=details())


def test_leaving_a_private_community_cancels_without_reason_then_nothing(
    session, leaver, coordinator, private_community
):
    rsvp_set(session_id=session.pk, user=leaver, status="going")
    membership_leave(user=leaver, community=private_community)
    [invite, cancel] = mails(leaver)
    assert (invite.calendar_method, cancel.calendar_method) == ("REQUEST", "CANCEL")
    assert cancel.kind == "calendar_cancel"
    assert "Dreigingsmodel" in cancel.subject
    assert "Intern" not in cancel.calendar and "/sessions/" not in cancel.body_text
    assert Rsvp.objects.get(session=session, user=leaver).status == "declined"
    # An edit and a cancellation with a confidential reason: nothing more reaches them.
    session_update(session_id=session.pk, actor=coordinator,
                   details=details(title="Nieuwe titel", location="Zaal 9"))  # fmt: skip
    session_cancel(session_id=session.pk, actor=coordinator, reason=SECRET)
    assert mails(leaver) == [invite, cancel]


def test_removal_from_a_private_community_cancels_too(
    session, leaver, coordinator, private_community
):
    rsvp_set(session_id=session.pk, user=leaver, status="going")
    membership = Membership.objects.get(user=leaver, community=private_community)
    membership_remove(community=private_community, actor=coordinator, membership_id=membership.pk)
    assert [m.calendar_method for m in mails(leaver)] == ["REQUEST", "CANCEL"]
    session_cancel(session_id=session.pk, actor=coordinator, reason=SECRET)
    assert [m.calendar_method for m in mails(leaver)] == ["REQUEST", "CANCEL"]


def test_a_community_turned_private_cancels_for_non_members(community, coordinator):
    outsider = UserFactory(email="outsider@example.org")
    session = session_create(community=community, actor=coordinator, details=details())
    rsvp_set(session_id=session.pk, user=outsider, status="going")
    community_update(community=community, actor=coordinator, name=community.name,
                     purpose="p", description="", topics=[], cadence="", visibility="private",
                     join_policy="invite")  # fmt: skip
    assert [m.calendar_method for m in mails(outsider)] == ["REQUEST", "CANCEL"]
    assert Rsvp.objects.get(session=session, user=outsider).status == "declined"


def test_leaving_cancels_a_whole_series_and_ends_the_standing_answer(
    private_community, coordinator, leaver
):
    series = series_create(community=private_community, actor=coordinator,
                           details=details(), recurrence=Recurrence(frequency="weekly", count=4))  # fmt: skip
    series_rsvp_set(series_id=series.pk, user=leaver, status="going")
    membership_leave(user=leaver, community=private_community)
    assert [(m.calendar_method, m.kind) for m in mails(leaver)] == [
        ("REQUEST", "calendar_request"), ("CANCEL", "calendar_cancel")]  # fmt: skip
    assert not SeriesRsvp.objects.filter(user=leaver).exists()
    assert not Rsvp.objects.filter(user=leaver, status="going").exists()


def test_deactivation_frees_seats_promotes_hands_over_and_cancels(
    community, private_community, coordinator, leaver
):
    staff = StaffFactory()
    MembershipFactory(user=leaver, community=community)
    full = session_create(community=community, actor=coordinator, details=details(capacity=1))
    waiting = UserFactory(email="waiting@example.org")
    MembershipFactory(user=waiting, community=community)
    rsvp_set(session_id=full.pk, user=leaver, status="going")
    rsvp_set(session_id=full.pk, user=waiting, status="going")
    assert Rsvp.objects.get(session=full, user=waiting).status == "waitlisted"
    alone = session_create(community=community, actor=coordinator, details=details())
    alone.hosts.set([leaver])
    shared = session_create(community=community, actor=coordinator, details=details())
    shared.hosts.set([leaver, coordinator])

    with translation.override("en"):
        preview = person_withdrawal_preview(user=leaver)
    assert preview[0] == "Their memberships end: Python-gilde, Security Champions."
    assert any("seat in 1 upcoming session is freed" in line for line in preview)
    assert any("co-host Cora Coordinator" in line for line in preview)
    assert any("coordinators are told" in line for line in preview)

    user_deactivate(actor=staff, user=leaver)
    assert Rsvp.objects.get(session=full, user=leaver).status == "declined"
    assert Rsvp.objects.get(session=full, user=waiting).status == "going"
    [_promoted] = mails(waiting, calendar_method="REQUEST", kind="waitlist_promoted")
    assert not Membership.objects.filter(user=leaver, state="active").exists()
    assert list(alone.hosts.all()) == [] and list(shared.hosts.all()) == [coordinator]
    [flag] = mails(coordinator, kind="host_left")
    assert flag.subject == {"en": "No host left: Dreigingsmodel",
                            "nl": "Geen host meer: Dreigingsmodel"}[coordinator.language]  # fmt: skip
    # Their calendar entry goes, and that CANCEL is still sent after the deactivation.
    [cancel] = mails(leaver, calendar_method="CANCEL")
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert still_wanted(cancel) is True
    assert cancel.state == "pending"
    assert not CalendarDelivery.objects.filter(user=leaver, method="REQUEST").exists()
    assert person_withdrawal_preview(user=leaver) == []


def test_feed_only_cancels_what_invitations_placed_and_back_sends_requests(community, coordinator):
    person = UserFactory(email="feed@example.org")
    MembershipFactory(user=person, community=community)
    session = session_create(community=community, actor=coordinator, details=details())
    rsvp_set(session_id=session.pk, user=person, status="going")
    calendar_delivery_set(user=person, choice="feed")
    assert [m.calendar_method for m in mails(person)] == ["REQUEST", "CANCEL"]
    session_update(session_id=session.pk, actor=coordinator, details=details(title="Anders"))
    assert len(mails(person)) == 2  # feed only: no invitation mail
    calendar_delivery_set(user=person, choice="invitations")
    assert [m.calendar_method for m in mails(person)] == ["REQUEST", "CANCEL", "REQUEST"]
    assert "Anders" in mails(person)[-1].calendar
