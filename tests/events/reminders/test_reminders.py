"""Reminders and notifications: when rows fall due, who gets what, and what is
skipped when things change between planning and sending."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.rendering import render_message
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from events.models import Announcement, DigestWeek, ReminderPreference, Rsvp
from events.reminders import timing
from events.reminders.selectors import digest_content, preferences_of
from events.reminders.services import planner
from events.reminders.services.announcements import announcement_send
from events.reminders.services.planner import reminders_plan
from events.reminders.services.preferences import reminder_preferences_set
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_update
from tests.factories import (
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
State = OutboxMessage.State


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- Pure timing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        # Winter time starts in the night before the session.
        (ams(2026, 10, 25, 9, 0), 1440, utc(2026, 10, 24, 7, 0)),
        (ams(2026, 10, 25, 9, 0), 2880, utc(2026, 10, 23, 7, 0)),
        # Summer time starts in the night before the session.
        (ams(2026, 3, 29, 9, 0), 1440, utc(2026, 3, 28, 8, 0)),
        # Under a day: elapsed time.
        (ams(2026, 10, 25, 9, 0), 60, utc(2026, 10, 25, 7, 0)),
        (ams(2026, 10, 25, 3, 0), 120, utc(2026, 10, 25, 0, 0)),
        (ams(2026, 6, 10, 12, 30), 15, utc(2026, 6, 10, 10, 15)),
    ],
)
def test_before_keeps_wall_clock_for_whole_days(start, minutes, due):
    assert timing.before(start, tz_name="Europe/Amsterdam", minutes=minutes) == due


def test_before_a_session_in_another_zone_uses_that_zones_wall_clock():
    # New York leaves summer time on Sunday 1 November 2026 (a week after Europe).
    start = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("America/New_York"))  # EST, UTC-5
    # The day before is still EDT (UTC-4): 09:00 EDT is 13:00 UTC.
    assert timing.before(start, tz_name="America/New_York", minutes=1440) == utc(
        2026, 10, 31, 13, 0
    )


@pytest.mark.parametrize(
    ("moment", "held"),
    [
        (ams(2026, 6, 10, 12, 0), ams(2026, 6, 10, 12, 0)),
        (ams(2026, 6, 10, 21, 59), ams(2026, 6, 10, 21, 59)),
        (ams(2026, 6, 10, 22, 0), ams(2026, 6, 11, 7, 0)),
        (ams(2026, 6, 10, 23, 30), ams(2026, 6, 11, 7, 0)),
        (ams(2026, 6, 11, 3, 0), ams(2026, 6, 11, 7, 0)),
        (ams(2026, 6, 11, 7, 0), ams(2026, 6, 11, 7, 0)),
        # The night the clocks go back: still held until 07:00 local (winter time).
        (ams(2026, 10, 24, 23, 0), ams(2026, 10, 25, 7, 0)),
    ],
)
def test_quiet_hours_hold_until_the_morning(moment, held):
    got = timing.hold_for_quiet_hours(moment, tz_name="Europe/Amsterdam", start_hour=22, end_hour=7)
    assert got == held.astimezone(UTC)


def test_quiet_hours_are_the_recipients_not_the_servers():
    # 23:00 in Amsterdam is 17:00 in New York: not quiet there.
    moment = ams(2026, 6, 10, 23, 0)
    got = timing.hold_for_quiet_hours(moment, tz_name="America/New_York", start_hour=22, end_hour=7)
    assert got == moment.astimezone(UTC)


def test_monday_at_is_monday_morning_in_the_zone():
    assert timing.monday_at(ams(2026, 11, 25, 15, 0), tz_name="Europe/Amsterdam", hour=8) == utc(
        2026, 11, 23, 7, 0
    )


# --- Helpers -------------------------------------------------------------------------------


def send_due(now: datetime) -> list:
    """Claim what is due at ``now`` and deliver it (the sweep, in-process); returns the mail."""
    before = len(mail.outbox)
    for token in outbox_claim_due(now=now):
        outbox_deliver_batch(lease_token=token)
    return mail.outbox[before:]


@pytest.fixture
def dst_session(time_machine, community):
    """A session right after a DST change: Sunday 25 October 2026, 09:00 Amsterdam; Anouk is going."""
    time_machine.move_to(ams(2026, 10, 1, 12, 0), tick=False)
    anouk = UserFactory(email="anouk@example.org", display_name="Anouk", language="en")
    MembershipFactory(user=anouk, community=community)
    session = SessionFactory(
        community=community,
        title="Clean architecture",
        start=ams(2026, 10, 25, 9, 0),
        end=ams(2026, 10, 25, 10, 0),
    )
    RsvpFactory(session=session, user=anouk)
    return session, anouk


def reminder_rows(kind="reminder_before"):
    return list(OutboxMessage.objects.filter(kind=kind).order_by("due_at", "id"))


# --- Before the session --------------------------------------------------------------------


def test_day_before_reminder_is_due_at_0700_utc_across_the_dst_change(dst_session, time_machine):
    session, anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 50), tick=False)
    assert reminders_plan() == 0  # due in 10 minutes: not yet planned (5 minutes ahead)

    time_machine.move_to(utc(2026, 10, 24, 6, 56), tick=False)
    assert reminders_plan() == 1
    [row] = reminder_rows()
    assert row.dedupe_key == f"reminder:{session.pk}:{anouk.pk}:before_1440"
    assert row.due_at == utc(2026, 10, 24, 7, 0)
    assert row.to_email == "anouk@example.org"
    assert row.headers == {}  # a personal reminder, not a list mail

    assert send_due(utc(2026, 10, 24, 6, 59)) == []
    [sent] = send_due(utc(2026, 10, 24, 7, 0))
    assert sent.subject == "Reminder: Clean architecture (Sunday 25 October, 09:00)"
    assert "Sunday 25 October 2026, 09:00–10:00 (Europe/Amsterdam)" in sent.body
    assert "http://127.0.0.1:8000/me/reminders/" in sent.body
    html = sent.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/me/reminders/"' in html


def test_reminder_text_is_in_the_recipients_language_and_timezone(dst_session, time_machine):
    session, _anouk = dst_session
    pieter = UserFactory(email="pieter@example.org", display_name="Pieter", language="nl",
                         timezone="Europe/London")  # fmt: skip
    RsvpFactory(session=session, user=pieter)
    time_machine.move_to(utc(2026, 10, 25, 7, 58), tick=False)

    reminders_plan()

    row = OutboxMessage.objects.get(dedupe_key=f"reminder:{session.pk}:{pieter.pk}:before_60")
    assert row.due_at == utc(2026, 10, 25, 7, 0)
    assert row.subject == "Herinnering: Clean architecture (Zondag 25 oktober, 08:00)"
    assert "Zondag 25 oktober 2026, 08:00–09:00 (Europe/London)" in row.body_text


def test_planning_twice_makes_each_reminder_once(dst_session, time_machine):
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    assert reminders_plan() == 1
    assert reminders_plan() == 0
    assert OutboxMessage.objects.filter(kind="reminder_before").count() == 1


def test_beat_down_for_30_minutes_catches_up_and_sends_once(dst_session, time_machine):
    _session, _anouk = dst_session
    # Nothing planned while the beat was down; it comes back 30 minutes after the due time.
    time_machine.move_to(utc(2026, 10, 24, 7, 30), tick=False)
    assert reminders_plan() == 1
    [row] = reminder_rows()
    assert row.due_at == utc(2026, 10, 24, 7, 0)  # 30 minutes in the past: due at once
    assert len(send_due(timezone.now())) == 1
    assert reminders_plan() == 0
    assert send_due(timezone.now()) == []
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)


def test_no_reminder_after_the_session_started(dst_session, time_machine):
    time_machine.move_to(utc(2026, 10, 25, 8, 1), tick=False)
    assert reminders_plan() == 0
    assert reminder_rows() == []


def test_no_day_before_reminder_for_an_answer_given_after_it_fell_due(
    dst_session, time_machine, member
):
    session, _anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 9, 0), tick=False)
    RsvpFactory(session=session, user=member)
    reminders_plan()
    assert [r.recipient_id for r in reminder_rows()] == [_anouk.pk]


def test_cancelled_before_due_sends_nothing(dst_session, time_machine, coordinator):
    session, _anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    reminders_plan()
    session_cancel(session_id=session.pk, actor=coordinator, reason="Ill")
    [row] = reminder_rows()
    assert row.state == "skipped"
    before = len(mail.outbox)
    send_due(utc(2026, 10, 24, 7, 0))
    assert [m.subject for m in mail.outbox[before:] if "Reminder" in m.subject] == []
    assert reminders_plan() == 0


def test_cancelled_while_being_claimed_is_skipped_by_the_send_check(dst_session, time_machine):
    session, _anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 7, 0), tick=False)
    reminders_plan()
    tokens = outbox_claim_due()
    # Cancelled after the claim, before the send (no service: the row is already 'sending').
    type(session).objects.filter(pk=session.pk).update(state="cancelled")
    report = outbox_deliver_batch(lease_token=tokens[0])
    assert (report.sent, len(report.skipped)) == ([], 1)
    assert mail.outbox == []


def test_decline_before_due_sends_nothing(dst_session, time_machine):
    session, anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    reminders_plan()
    rsvp_set(session_id=session.pk, user=anouk, status=Rsvp.Status.DECLINED)
    assert reminder_rows()[0].state == "skipped"
    assert [m for m in send_due(utc(2026, 10, 24, 7, 0)) if "Reminder" in m.subject] == []


def test_decline_after_planning_is_caught_at_send_time(dst_session, time_machine):
    session, anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    reminders_plan()
    Rsvp.objects.filter(session=session, user=anouk).update(status="declined")
    assert send_due(utc(2026, 10, 24, 7, 0)) == []
    assert reminder_rows()[0].state == "skipped"


def test_moved_session_moves_its_pending_reminders(dst_session, time_machine, coordinator):
    session, _anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 57), tick=False)
    reminders_plan()
    details = SessionDetails(
        title=session.title,
        format=session.format,
        start=ams(2026, 10, 25, 10, 0),
        end=ams(2026, 10, 25, 11, 0),
        timezone="Europe/Amsterdam",
        location="Zaal 1",
    )
    session_update(session_id=session.pk, actor=coordinator, details=details)
    assert reminder_rows() == []  # the 09:00 reminder is gone with its text

    sent = send_due(utc(2026, 10, 24, 7, 0))
    assert [m.subject for m in sent if m.subject.startswith("Reminder")] == []
    time_machine.move_to(utc(2026, 10, 24, 7, 58), tick=False)
    assert reminders_plan() == 1
    [row] = reminder_rows()
    assert row.due_at == utc(2026, 10, 24, 8, 0)
    assert "(Sunday 25 October, 10:00)" in row.subject


def test_preference_off_plans_nothing_and_switching_off_later_skips(dst_session, time_machine):
    _session, anouk = dst_session
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    reminder_preferences_set(user=anouk, first_before=None, second_before=60)
    assert reminders_plan() == 0

    reminder_preferences_set(user=anouk, first_before=1440)
    assert reminders_plan() == 1
    reminder_preferences_set(user=anouk, first_before=None)
    assert send_due(utc(2026, 10, 24, 7, 0)) == []
    assert reminder_rows()[0].state == "skipped"


def test_custom_offsets_per_person(dst_session, time_machine):
    _session, anouk = dst_session
    reminder_preferences_set(user=anouk, first_before=2880, second_before=15)
    time_machine.move_to(utc(2026, 10, 23, 6, 58), tick=False)
    reminders_plan()
    time_machine.move_to(utc(2026, 10, 25, 7, 44), tick=False)
    reminders_plan()
    assert [(r.dedupe_key.rsplit(":", 1)[1], r.due_at) for r in reminder_rows()] == [
        ("before_2880", utc(2026, 10, 23, 7, 0)),
        ("before_15", utc(2026, 10, 25, 7, 45)),
    ]


def test_quiet_hours_hold_a_reminder_until_the_morning(time_machine, community):
    time_machine.move_to(ams(2026, 6, 1, 12, 0), tick=False)
    early = UserFactory(email="early@example.org")
    session = SessionFactory(
        community=community, start=ams(2026, 6, 10, 7, 30), end=ams(2026, 6, 10, 8, 30)
    )
    RsvpFactory(session=session, user=early)
    reminder_preferences_set(user=early, first_before=None, second_before=120)
    # Nominally due 05:30: held until 07:00 (still before the 07:30 start).
    time_machine.move_to(ams(2026, 6, 10, 5, 30), tick=False)
    assert reminders_plan() == 0
    time_machine.move_to(ams(2026, 6, 10, 6, 58), tick=False)
    assert reminders_plan() == 1
    assert reminder_rows()[0].due_at == ams(2026, 6, 10, 7, 0)


def test_reminder_preferences_reject_offsets_not_offered(member):
    with pytest.raises(DomainError):
        reminder_preferences_set(user=member, first_before=7)
    with pytest.raises(DomainError):
        reminder_preferences_set(user=member, new_sessions="hourly")
    assert ReminderPreference.objects.count() == 0
    assert preferences_of(member).befores == [1440, 60]


# --- RSVP deadline, new sessions, takeaways ------------------------------------------------


def test_rsvp_nudge_goes_to_members_who_did_not_answer(time_machine, community):
    time_machine.move_to(ams(2026, 6, 1, 12, 0), tick=False)
    quiet, answered = UserFactory(email="quiet@example.org"), UserFactory()
    for person in (quiet, answered):
        MembershipFactory(user=person, community=community)
    session = SessionFactory(
        community=community,
        start=ams(2026, 6, 20, 12, 0),
        end=ams(2026, 6, 20, 13, 0),
        rsvp_deadline=ams(2026, 6, 15, 12, 0),
    )
    RsvpFactory(session=session, user=answered, status="maybe")
    time_machine.move_to(ams(2026, 6, 14, 11, 58), tick=False)
    reminders_plan()
    [row] = reminder_rows("rsvp_nudge")
    assert (row.recipient_id, row.due_at) == (quiet.pk, ams(2026, 6, 14, 12, 0))
    # Answering in the meantime: the nudge is skipped.
    rsvp_set(session_id=session.pk, user=quiet, status="going")
    sent = send_due(ams(2026, 6, 14, 12, 0))
    assert [m.subject for m in sent if "coming" in m.subject or "kom" in m.subject] == []
    row.refresh_from_db()
    assert row.state == "skipped"


def test_new_session_right_away_with_list_unsubscribe_or_in_the_digest(time_machine, community):
    time_machine.move_to(ams(2026, 6, 1, 12, 0), tick=False)
    now_please, digest_please = UserFactory(language="en"), UserFactory()
    MembershipFactory(user=now_please, community=community)
    MembershipFactory(user=digest_please, community=community)
    reminder_preferences_set(user=digest_please, new_sessions="digest")
    session = SessionFactory(community=community, title="Typing in Python")

    assert reminders_plan() == 1
    [row] = reminder_rows("new_session")
    assert row.recipient_id == now_please.pk
    assert row.subject == "New in Python-gilde: Typing in Python"
    unsubscribe = row.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/unsubscribe/")
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [sent] = send_due(timezone.now())
    assert sent.extra_headers["List-Unsubscribe"] == unsubscribe

    content = digest_content(
        user=digest_please, until=timezone.now() + timedelta(days=1),
        prefs=preferences_of(digest_please),
    )  # fmt: skip
    assert [s.pk for s in content["new_sessions"]] == [session.pk]


def test_takeaway_prompt_at_the_end_and_once_more_the_next_day(time_machine, community):
    time_machine.move_to(ams(2026, 6, 1, 12, 0), tick=False)
    wrote, silent = UserFactory(), UserFactory(language="en")
    session = SessionFactory(
        community=community, title="Threat modelling",
        start=ams(2026, 6, 10, 15, 0), end=ams(2026, 6, 10, 16, 0),
    )  # fmt: skip
    for person in (wrote, silent):
        RsvpFactory(session=session, user=person)
    time_machine.move_to(ams(2026, 6, 10, 15, 58), tick=False)
    assert reminders_plan() == 2
    rows = reminder_rows("takeaway_prompt")
    assert {r.due_at for r in rows} == {ams(2026, 6, 10, 16, 0)}
    english = next(r for r in rows if r.recipient_id == silent.pk)
    assert english.subject == "What did you learn at Threat modelling?"
    # One click lands in the takeaway capture form for this session.
    assert f"http://127.0.0.1:8000/sessions/{session.pk}/takeaways/new/" in english.body_text
    assert len(send_due(ams(2026, 6, 10, 16, 0))) == 2

    TakeawayFactory(session=session, author=wrote, title="STRIDE")
    time_machine.move_to(ams(2026, 6, 11, 15, 58), tick=False)
    assert reminders_plan() == 1
    [again] = [r for r in reminder_rows("takeaway_prompt") if r.state == "pending"]
    assert (again.recipient_id, again.due_at) == (silent.pk, ams(2026, 6, 11, 16, 0))
    assert again.dedupe_key.endswith(":takeaway_again")


def test_takeaway_prompt_skips_people_marked_absent(time_machine, community):
    time_machine.move_to(ams(2026, 6, 1, 12, 0), tick=False)
    absent = UserFactory()
    session = SessionFactory(
        community=community, start=ams(2026, 6, 10, 15, 0), end=ams(2026, 6, 10, 16, 0)
    )
    RsvpFactory(session=session, user=absent, attended=False)
    time_machine.move_to(ams(2026, 6, 10, 16, 0), tick=False)
    assert reminders_plan() == 0


# --- Digest ----------------------------------------------------------------------------------


def test_weekly_digest_on_monday_morning_with_takeaways_from_missed_sessions(
    time_machine, community
):
    time_machine.move_to(ams(2026, 11, 18, 12, 0), tick=False)  # a Wednesday
    reader, author = UserFactory(language="en"), UserFactory()
    for person in (reader, author):
        MembershipFactory(user=person, community=community)
    reminder_preferences_set(user=author, digest=False)
    missed = SessionFactory(
        community=community, title="Kenniscafé", start=ams(2026, 11, 19, 12, 0),
        end=ams(2026, 11, 19, 13, 0),
    )  # fmt: skip
    time_machine.move_to(ams(2026, 11, 20, 12, 0), tick=False)
    TakeawayFactory(session=missed, author=author, title="Small steps", visibility="community")
    TakeawayFactory(session=missed, author=author, title="Mine only", visibility="private")
    OutboxMessage.objects.all().delete()

    time_machine.move_to(ams(2026, 11, 23, 7, 56), tick=False)  # Monday
    assert reminders_plan() == 1
    [row] = reminder_rows("digest")
    assert row.dedupe_key == f"digest:{reader.pk}:2026-W48"
    assert row.due_at == ams(2026, 11, 23, 8, 0)
    assert "Small steps (Kenniscafé)" in row.body_text
    assert "Mine only" not in row.body_text
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    time_machine.move_to(ams(2026, 11, 23, 9, 0), tick=False)
    assert reminders_plan() == 0
    # The author switched the digest off: no row for them at all.
    assert OutboxMessage.objects.filter(kind="digest", state="skipped").count() == 0


def test_digest_shows_only_readable_takeaways_and_thanks_who_opted_in(time_machine, community):
    """Takeaways in the digest: hidden, archived and private takeaways stay out of the digest; people who
    opted in to recognition are thanked by name, the others are not named."""
    time_machine.move_to(ams(2026, 11, 18, 12, 0), tick=False)
    reader = UserFactory(language="en")
    shown = UserFactory(display_name="Sjoerd Shown", show_contributions=True)
    quiet = UserFactory(display_name="Quinten Quiet")
    for person in (reader, shown, quiet):
        MembershipFactory(user=person, community=community)
    missed = SessionFactory(
        community=community, title="Kenniscafé", start=ams(2026, 11, 19, 12, 0),
        end=ams(2026, 11, 19, 13, 0),
    )  # fmt: skip
    time_machine.move_to(ams(2026, 11, 20, 12, 0), tick=False)
    kept = TakeawayFactory(session=missed, author=shown, title="Kept", visibility="community")
    TakeawayFactory(session=missed, author=quiet, title="Also kept", visibility="community")
    TakeawayFactory(
        session=missed, author=quiet, title="Hidden one", visibility="community",
        hidden_at=timezone.now(), hidden_reason="off-topic",
    )  # fmt: skip
    TakeawayFactory(
        session=missed, author=quiet, title="Archived one", visibility="community",
        archived_at=timezone.now(),
    )  # fmt: skip
    OutboxMessage.objects.all().delete()

    time_machine.move_to(ams(2026, 11, 23, 7, 56), tick=False)
    reminders_plan()
    row = OutboxMessage.objects.get(kind="digest", recipient=reader)
    assert "Kept (Kenniscafé)" in row.body_text and "Also kept" in row.body_text
    assert "Hidden one" not in row.body_text and "Archived one" not in row.body_text
    assert f"/takeaways/{kept.pk}/" in row.body_text
    assert "Thank you for sharing this week: Sjoerd Shown." in row.body_text
    assert "Quinten" not in row.body_text.split("Thank you")[1]


def test_an_empty_digest_writes_no_row_and_is_not_planned_again(
    time_machine, community, monkeypatch
):
    time_machine.move_to(ams(2026, 11, 23, 7, 58), tick=False)
    lonely = UserFactory()
    MembershipFactory(user=lonely, community=community)
    assert reminders_plan() == 0
    assert not OutboxMessage.objects.filter(kind="digest").exists()
    assert list(DigestWeek.objects.values_list("timezone", "week")) == [
        ("Europe/Amsterdam", "2026-W48")
    ]
    # The zone is done for the week: nobody's digest content is read again.
    read = []
    monkeypatch.setattr(planner, "digest_content", lambda **kw: read.append(kw) or {})
    time_machine.move_to(ams(2026, 11, 23, 8, 30), tick=False)
    assert reminders_plan() == 0
    assert read == []
    assert not OutboxMessage.objects.filter(kind="digest").exists()


# --- Coordinators' messages ------------------------------------------------------------------


def test_coordinator_writes_to_the_members(community, coordinator, member, other_user):
    MembershipFactory(user=member, community=community)
    muted = UserFactory()
    MembershipFactory(user=muted, community=community)
    reminder_preferences_set(user=muted, announcements=False)

    sent = announcement_send(
        actor=coordinator, community=community, subject="Room change", body="We meet in 3.14."
    )

    assert sent.recipients == 1
    [row] = reminder_rows("announcement")
    assert row.dedupe_key == f"announcement:{sent.pk}:{member.pk}"
    assert row.subject == "[Python-gilde] Room change"
    assert "We meet in 3.14." in row.body_text
    assert "List-Unsubscribe" in row.headers


def test_a_member_cannot_write_to_the_members(community, member):
    MembershipFactory(user=member, community=community)
    with pytest.raises(DomainError):
        announcement_send(actor=member, community=community, subject="Hi", body="Spam")
    assert Announcement.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_an_empty_message_is_refused(community, coordinator):
    with pytest.raises(DomainError):
        announcement_send(actor=coordinator, community=community, subject=" ", body="x")
    assert Announcement.objects.count() == 0


def test_hosts_write_to_the_people_going(community, coordinator, member, other_user):
    session = SessionFactory(community=community)
    RsvpFactory(session=session, user=member)
    RsvpFactory(session=session, user=other_user, status="declined")
    sent = announcement_send(actor=coordinator, session=session, subject="Bring", body="Laptops")
    assert sent.recipients == 1
    assert [r.recipient_id for r in reminder_rows("announcement")] == [member.pk]


# --- Cost: per batch, not per message ------------------------------------------------------


def _going(session, count: int) -> None:
    for n in range(count):
        person = UserFactory(display_name=f"Person & {n}", language=("nl", "en")[n % 2])
        MembershipFactory(user=person, community=session.community)
        RsvpFactory(session=session, user=person)


def _plan_and_send_queries(dst_session, time_machine, going: int) -> tuple[int, int, int]:
    session, _anouk = dst_session
    Rsvp.objects.all().delete()
    _going(session, going)
    declined = UserFactory()
    RsvpFactory(session=session, user=declined)
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    with CaptureQueriesContext(connection) as planning:
        made = reminders_plan()
    Rsvp.objects.filter(session=session, user=declined).update(status="declined")
    [token] = outbox_claim_due(now=utc(2026, 10, 24, 7, 0))
    with CaptureQueriesContext(connection) as sending:
        report = outbox_deliver_batch(lease_token=token)
    assert (made, len(report.sent), len(report.skipped)) == (going + 1, going, 1)
    return len(planning), len(sending) - going, len(mail.outbox)


def test_planning_and_send_checks_cost_the_same_queries_for_2_and_20_reminders(
    dst_session, time_machine
):
    """Planning inserts in bulk, the send checks read per batch: only the one mark per sent
    message grows with the number of messages."""
    few = _plan_and_send_queries(dst_session, time_machine, 2)
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    many = _plan_and_send_queries(dst_session, time_machine, 20)
    assert (few[0], few[1]) == (many[0], many[1])
    assert (few[2], many[2]) == (2, 20)


def test_planned_reminders_are_each_persons_own_text(dst_session, time_machine):
    """Rendered once per session and language, the names filled in: each row still reads as
    rendered for that person alone."""
    session, anouk = dst_session
    pieter = UserFactory(display_name="Pieter <&>", language="nl")
    RsvpFactory(session=session, user=pieter)
    time_machine.move_to(utc(2026, 10, 24, 6, 58), tick=False)
    assert reminders_plan() == 2
    for person in (anouk, pieter):
        row = OutboxMessage.objects.get(recipient=person)
        alone = render_message(
            template="reminder_before",
            context={
                **planner._session_context(session),
                "minutes": 1440,
                "recipient": person,
                "preferences_url": "http://127.0.0.1:8000/me/reminders/",
            },
            language=person.language,
        )
        assert (row.subject, row.body_text, row.body_html) == (
            alone.subject,
            alone.text,
            alone.html,
        )
    assert "Hallo Pieter <&>," in OutboxMessage.objects.get(recipient=pieter).body_text
    assert "Pieter &lt;&amp;&gt;" in OutboxMessage.objects.get(recipient=pieter).body_html
