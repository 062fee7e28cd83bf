"""Pages of preferences on /me/reminders/, one-click unsubscribe (RFC 8058), the staff
view of the outbox and manage.py outbox_status."""

import io
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from communities.mail.models import OutboxMessage
from events.models import Announcement, ReminderPreference
from events.reminders.kinds import UNSUBSCRIBE_SALT
from events.reminders.selectors import preferences_of
from events.reminders.services.preferences import unsubscribe_token
from tests.factories import MembershipFactory, OutboxMessageFactory, RsvpFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_preferences_page_shows_the_organisation_defaults(client, member):
    client.force_login(member)
    response = client.get("/me/reminders/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["first_before"] == "1440"
    assert form.initial["second_before"] == "60"
    assert form.initial["new_sessions"] == "immediate"
    assert ReminderPreference.objects.count() == 0


def test_preferences_page_saves_a_choice(client, member):
    client.force_login(member)
    response = client.post(
        "/me/reminders/",
        {"first_before": "2880", "second_before": "", "new_sessions": "digest", "digest": "on"},
    )
    assert response.status_code == 302
    prefs = preferences_of(member)
    assert (prefs.first_before, prefs.second_before, prefs.new_sessions) == (2880, None, "digest")
    assert (prefs.digest, prefs.rsvp_nudge, prefs.announcements) == (True, False, False)


def test_preferences_page_refuses_an_offset_not_offered_and_saves_nothing(client, member):
    client.force_login(member)
    response = client.post("/me/reminders/", {"first_before": "7", "new_sessions": "immediate"})
    assert response.status_code == 200
    assert "first_before" in response.context["form"].errors
    assert ReminderPreference.objects.count() == 0


def test_me_links_to_the_reminder_preferences(client, member):
    client.force_login(member)
    assert b'href="/me/reminders/"' in client.get("/me/").content


def test_unsubscribe_get_shows_one_button_and_changes_nothing(member):
    token = unsubscribe_token(user=member, preference="digest")
    response = Client().get(f"/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert preferences_of(member).digest is True


@pytest.mark.parametrize(
    ("preference", "field", "off"),
    [("digest", "digest", False), ("new_sessions", "new_sessions", "off"),
     ("announcements", "announcements", False)],
)  # fmt: skip
def test_one_click_post_without_cookies_or_csrf_unsubscribes(member, preference, field, off):
    """RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click, nothing else."""
    token = unsubscribe_token(user=member, preference=preference)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert getattr(preferences_of(member), field) == off
    # Again: still off, still 200 (idempotent).
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    assert ReminderPreference.objects.filter(user=member).count() == 1


def test_unsubscribe_token_of_a_deactivated_person_is_404(member):
    token = unsubscribe_token(user=member, preference="digest")
    member.is_active = False
    member.deactivated_at = timezone.now()
    member.save()
    assert Client().post(f"/unsubscribe/{token}/").status_code == 404


def test_unsubscribe_token_for_another_purpose_is_404(member):

    wrong = signing.dumps({"u": member.pk, "p": "first_before"}, salt=UNSUBSCRIBE_SALT)
    rsvp_salted = signing.dumps({"u": member.pk, "p": "digest"}, salt="other")
    assert Client().post(f"/unsubscribe/{wrong}/").status_code == 404
    assert Client().post(f"/unsubscribe/{rsvp_salted}/").status_code == 404
    assert ReminderPreference.objects.count() == 0


def test_coordinator_sends_a_message_from_the_page(client, coordinator, community, member):
    MembershipFactory(user=member, community=community)
    client.force_login(coordinator)
    response = client.post(
        f"/communities/{community.slug}/message/", {"subject": "Hoi", "body": "Tot dinsdag"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/communities/{community.slug}/"
    [announcement] = Announcement.objects.all()
    assert (announcement.recipients, announcement.author) == (1, coordinator)
    assert OutboxMessage.objects.filter(kind="announcement").count() == 1


def test_message_page_with_a_blank_subject_changes_nothing(client, coordinator, community):
    client.force_login(coordinator)
    response = client.post(
        f"/communities/{community.slug}/message/", {"subject": "   ", "body": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Announcement.objects.count() == 0


def test_staff_outbox_view_counts_per_kind_per_day(client, staff, django_assert_num_queries):
    now = timezone.now()
    OutboxMessageFactory(kind="reminder_before", state="sent", sent_at=now, due_at=now)
    OutboxMessageFactory(kind="reminder_before", due_at=now)
    failed = OutboxMessageFactory(
        kind="digest", state="failed", due_at=now, attempts=1, last_error="SMTPDataError: 550"
    )
    client.force_login(staff)
    # session, user, MFA check, counts, failed rows, summary, circuit, skip reasons,
    # organisation (base template)
    with django_assert_num_queries(9):
        response = client.get("/organisation/outbox/")
    assert response.status_code == 200
    rows = {(row.kind, row.pending, row.sent, row.failed) for row in response.context["counts"]}
    assert rows == {("reminder_before", 1, 1, 0), ("digest", 0, 0, 1)}
    assert [m.pk for m in response.context["failed"]] == [failed.pk]
    assert b"SMTPDataError: 550" in response.content

    response = client.post(f"/organisation/outbox/{failed.pk}/resend/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("pending", 0, "")


def test_resend_of_a_sent_or_skipped_message_changes_nothing(client, staff):
    sent = OutboxMessageFactory(state="sent", sent_at=timezone.now())
    skipped = OutboxMessageFactory(state="skipped")
    client.force_login(staff)
    client.post(f"/organisation/outbox/{sent.pk}/resend/")
    client.post(f"/organisation/outbox/{skipped.pk}/resend/")
    sent.refresh_from_db()
    skipped.refresh_from_db()
    assert (sent.state, skipped.state) == ("sent", "skipped")


def test_outbox_status_command():
    now = timezone.now()
    OutboxMessageFactory(kind="reminder_before", due_at=now - timedelta(minutes=3))
    OutboxMessageFactory(kind="digest", state="failed", last_error="SMTPDataError: 550 no")
    out = io.StringIO()
    call_command("outbox_status", stdout=out)
    text = out.getvalue()
    assert "pending 1  sending 0  sent 0  failed 1  skipped 0" in text
    assert "due now 1" in text
    assert "SMTPDataError: 550 no" in text
    assert "reminder_before" in text


def test_session_message_goes_to_the_people_going(client, coordinator, community, member):

    session = SessionFactory(community=community)
    RsvpFactory(session=session, user=member)
    client.force_login(coordinator)
    response = client.post(
        f"/sessions/{session.pk}/message/", {"subject": "Zaal", "body": "We zitten in 2.01"}
    )
    assert response.status_code == 302
    [row] = OutboxMessage.objects.filter(kind="announcement")
    assert row.recipient == member
