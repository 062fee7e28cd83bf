"""Two-way RSVP: Accept / Decline / Tentative from calendar clients update the app.

Replies are written in the shapes Outlook (desktop, web), Gmail and Apple Mail send; each is
fed to the same entry point the MTA pipe and the IMAP poll use (``inbound_mail_process``).
"""

import base64
import io
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from communities.mail.models import OutboxMessage
from communities.services.memberships import membership_leave
from events.calendar.inbound.tags import reply_address
from events.calendar.services.replies import inbound_mail_process
from events.models import CalendarDelivery, CalendarReply, Rsvp, SeriesRsvp
from events.series.recurrence import Recurrence
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import series_create
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_create, session_update
from tests.events.calendar.reply_mail import CLIENTS, gmail, outlook_desktop
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def anna(community):
    person = UserFactory(email="anna@example.org", display_name="Anna", language="en")
    MembershipFactory(user=person, community=community)
    return person


def details(**changes):
    fields = {"title": "Type hints", "format": "brown_bag", "start": START,
              "end": START + timedelta(hours=1), "location": "Zaal 4", "capacity": 10}  # fmt: skip
    return SessionDetails(**{**fields, **changes})


@pytest.fixture
def invited(community, coordinator, anna):
    session = session_create(community=community, actor=coordinator, details=details())
    rsvp_set(session_id=session.pk, user=anna, status="going")
    return session


def reply(client, user, uid, *, partstat="ACCEPTED", sequence=0, to=None, attendee=None,
          message_id=None, **extra) -> bytes:  # fmt: skip
    to = to or reply_address(user_id=user.pk, uid=uid)
    builder = CLIENTS[client]
    return builder(
        to=to,
        sender=user.email,
        message_id=message_id or f"{client}-{partstat}-{sequence}-{uid}@example.net",
        uid=uid,
        attendee=attendee or user.email,
        partstat=partstat,
        sequence=sequence,
        organizer=to,
        **extra,
    )


def status(session, user):
    return Rsvp.objects.get(session=session, user=user).status


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize(
    ("partstat", "expected"),
    [("DECLINED", "declined"), ("TENTATIVE", "maybe"), ("ACCEPTED", "going")],
)
def test_each_client_shape_is_applied(client, partstat, expected, invited, anna):
    (result,) = inbound_mail_process(reply(client, anna, invited.uid, partstat=partstat))
    assert result.outcome == ("unchanged" if expected == "going" else "applied"), result
    assert status(invited, anna) == expected
    logged = CalendarReply.objects.get()
    assert (logged.user, logged.session, logged.partstat, logged.sequence) == (
        anna,
        invited,
        partstat,
        0,
    )
    assert logged.client in (
        "Microsoft Exchange Server 2010",
        "-//Google Inc//Google Calendar 70.9054//EN",
        "-//Apple Inc.//macOS 14.2//EN",
    )


def test_the_invitation_carries_the_signed_reply_address(invited, anna):
    message = OutboxMessage.objects.get(recipient=anna)
    address = reply_address(user_id=anna.pk, uid=invited.uid)
    assert address.startswith("kennisplein+r.") and address.endswith("@localhost")
    assert message.headers["Reply-To"] == address
    assert f"mailto:{address}" in message.calendar.replace("\r\n ", "")


def test_a_decline_frees_the_seat_for_the_next_in_line(community, coordinator, anna):
    session = session_create(community=community, actor=coordinator, details=details(capacity=1))
    ben = UserFactory(email="ben@example.org")
    MembershipFactory(user=ben, community=community)
    rsvp_set(session_id=session.pk, user=anna, status="going")
    rsvp_set(session_id=session.pk, user=ben, status="going")
    assert status(session, ben) == "waitlisted"

    inbound_mail_process(reply("gmail", anna, session.uid, partstat="DECLINED"))

    assert (status(session, anna), status(session, ben)) == ("declined", "going")
    kinds = list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient"))
    assert kinds[-2:] == [("waitlist_promoted", ben.pk), ("calendar_cancel", anna.pk)]


def test_an_accept_when_full_waitlists_and_the_calendar_is_told(community, coordinator, anna):
    session = session_create(community=community, actor=coordinator, details=details(capacity=1))
    ben = UserFactory(email="ben@example.org")
    MembershipFactory(user=ben, community=community)
    rsvp_set(session_id=session.pk, user=anna, status="going")
    rsvp_set(session_id=session.pk, user=anna, status="maybe")  # keeps her calendar entry
    rsvp_set(session_id=session.pk, user=ben, status="going")  # takes the seat

    (result,) = inbound_mail_process(reply("outlook-desktop", anna, session.uid))

    assert result.outcome == "applied"
    assert status(session, anna) == "waitlisted"
    last = OutboxMessage.objects.filter(recipient=anna).order_by("-id").first()
    assert (last.kind, last.calendar_method) == ("calendar_cancel", "CANCEL")


def test_the_session_page_says_answered_from_your_calendar(client, invited, anna):
    inbound_mail_process(reply("apple-mail", anna, invited.uid, partstat="TENTATIVE"))
    client.force_login(anna)
    client.cookies["kp_language"] = "en"
    page = client.get(f"/sessions/{invited.pk}/").content.decode()
    assert "You might come." in page
    assert "(answered from your calendar, 15 February, 10:00)" in page


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"to": "kennisplein+r.1.0123456789abcdef0123@localhost"}, "missing or forged reply tag"),
        ({"to": "kennisplein@localhost"}, "missing or forged reply tag"),
        ({"attendee": "mallory@example.org"}, "attendee is not the invited person"),
    ],
)
def test_forged_or_foreign_replies_change_nothing(change, reason, invited, anna):
    (result,) = inbound_mail_process(reply("gmail", anna, invited.uid, partstat="DECLINED",
                                           **change))  # fmt: skip
    assert (result.outcome, result.reason) == ("rejected", reason)
    assert status(invited, anna) == "going"


def test_a_tag_for_another_session_does_not_verify(community, coordinator, invited, anna):
    other = session_create(community=community, actor=coordinator, details=details(title="B"))
    rsvp_set(session_id=other.pk, user=anna, status="going")
    forged = reply("gmail", anna, invited.uid, partstat="DECLINED",
                   to=reply_address(user_id=anna.pk, uid=other.uid))  # fmt: skip
    (result,) = inbound_mail_process(forged)
    assert result.outcome == "rejected"
    assert status(invited, anna) == "going"


def test_a_stale_sequence_is_ignored(community, coordinator, invited, anna):

    session_update(session_id=invited.pk, actor=coordinator, details=details(location="Zaal 9"))
    assert CalendarDelivery.objects.get(user=anna, uid=invited.uid).sequence == 1

    (old,) = inbound_mail_process(reply("outlook-web", anna, invited.uid, partstat="DECLINED"))
    assert (old.outcome, old.reason) == ("stale", "sequence 0 < 1")
    assert status(invited, anna) == "going"
    (fresh,) = inbound_mail_process(
        reply("outlook-web", anna, invited.uid, partstat="DECLINED", sequence=1)
    )
    assert fresh.outcome == "applied"
    assert status(invited, anna) == "declined"


def test_a_reply_after_leaving_the_private_community_is_rejected(private_community, coordinator,
                                                                anna):  # fmt: skip
    MembershipFactory(user=anna, community=private_community)
    session = session_create(community=private_community, actor=coordinator, details=details())
    rsvp_set(session_id=session.pk, user=anna, status="going")
    membership_leave(user=anna, community=private_community)

    (result,) = inbound_mail_process(reply("gmail", anna, session.uid, partstat="DECLINED"))
    assert (result.outcome, result.reason) == ("rejected", "no longer visible to the person")
    assert status(session, anna) == "declined"  # leaving took them off; the reply changes nothing


def test_a_counter_proposal_is_answered_politely_and_changes_nothing(invited, anna):
    (result,) = inbound_mail_process(reply("gmail", anna, invited.uid, method="COUNTER"))
    assert result.outcome == "counter"
    assert status(invited, anna) == "going"
    answer = OutboxMessage.objects.get(kind="counter_answer")
    assert answer.recipient == anna
    assert "set by its coordinator" in answer.body_text


def test_the_same_mail_twice_is_applied_once(invited, anna):
    mail = reply("gmail", anna, invited.uid, partstat="DECLINED")
    assert [r.outcome for r in inbound_mail_process(mail)] == ["applied"]
    rsvp_set(session_id=invited.pk, user=anna, status="going")
    assert [r.outcome for r in inbound_mail_process(mail)] == ["unchanged"]
    assert status(invited, anna) == "going"


def test_ingest_mail_reads_stdin(invited, anna, monkeypatch):

    raw = reply("outlook-desktop", anna, invited.uid, partstat="DECLINED")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = StringIO()
    call_command("ingest_mail", stdout=out)
    assert out.getvalue() == "applied: declined\n"
    assert status(invited, anna) == "declined"


# --- series and occurrences ----------------------------------------------------------------


@pytest.fixture
def series(community, coordinator):
    return series_create(
        community=community, actor=coordinator, details=details(title="Lean Coffee"),
        recurrence=Recurrence(frequency="weekly", count=4),
    )  # fmt: skip


def test_declining_the_whole_series_from_the_calendar(series, anna):
    series_rsvp_set(series_id=series.pk, user=anna, status="going")
    (result,) = inbound_mail_process(reply("outlook-desktop", anna, series.uid,
                                           partstat="DECLINED"))  # fmt: skip
    assert result.outcome == "applied"
    assert SeriesRsvp.objects.filter(series=series, user=anna).count() == 0
    assert set(Rsvp.objects.filter(user=anna).values_list("status", flat=True)) == {"declined"}
    last = OutboxMessage.objects.filter(recipient=anna).order_by("-id").first()
    assert (last.calendar_method, last.kind) == ("CANCEL", "calendar_cancel")


def test_declining_one_occurrence_from_the_calendar(series, anna):
    series_rsvp_set(series_id=series.pk, user=anna, status="going")
    second = series.occurrences.order_by("start")[1]
    mail = gmail(
        to=reply_address(user_id=anna.pk, uid=series.uid), sender=anna.email, uid=series.uid,
        attendee=anna.email, partstat="DECLINED", sequence=0, organizer="x@localhost",
        recurrence_id=second.recurrence_id,
    )  # fmt: skip
    (result,) = inbound_mail_process(mail)
    assert result.outcome == "applied"
    assert [r.status for r in Rsvp.objects.filter(user=anna).order_by("session__start")] == [
        "going",
        "declined",
        "going",
        "going",
    ]
    last = OutboxMessage.objects.filter(recipient=anna).order_by("-id").first()
    assert last.calendar_method == "CANCEL" and "RECURRENCE-ID" in last.calendar


def test_tentative_for_the_whole_series_is_maybe_for_each_occurrence(series, anna):
    series_rsvp_set(series_id=series.pk, user=anna, status="going")
    sent = OutboxMessage.objects.count()
    inbound_mail_process(reply("apple-mail", anna, series.uid, partstat="TENTATIVE"))
    assert set(Rsvp.objects.filter(user=anna).values_list("status", flat=True)) == {"maybe"}
    # Tentative keeps the calendar entry: nothing is cancelled.
    assert OutboxMessage.objects.count() == sent


# --- mail that is not a usable reply ------------------------------------------------------


def _plain(body: str, *, content_type="text/plain; charset=utf-8", extra="") -> bytes:
    return (
        "From: a@example.org\r\nTo: kennisplein@localhost\r\nSubject: x\r\n"
        f"Message-ID: <{abs(hash(body))}@x>\r\nMIME-Version: 1.0\r\n{extra}"
        f"Content-Type: {content_type}\r\n\r\n{body}\r\n"
    ).encode("utf-8", "surrogateescape")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_plain("Thanks!"), "no calendar in the message"),
        (_plain("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR",
                content_type="text/calendar; method=REQUEST"), "method REQUEST is not a reply"),
        (_plain("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x", content_type="text/calendar"),
         "unreadable calendar"),
        (b"\x00\xff\xfe garbage \r\n\r\n\x81", "no calendar in the message"),
        (_plain("x" * (6 * 1024 * 1024)), "message too large"),
        (b"", "no calendar in the message"),
    ],
)  # fmt: skip
def test_mail_without_a_usable_reply_is_logged_and_skipped(raw, reason, invited, anna):
    (result,) = inbound_mail_process(raw)
    assert (result.outcome, result.reason) == ("rejected", reason)
    assert status(invited, anna) == "going"


def test_several_different_calendars_are_refused(invited, anna):

    one = reply("gmail", anna, invited.uid, partstat="DECLINED").decode()
    encoded = one.split("base64\r\n\r\n")[1].split("\r\n--")[0]
    accepted = base64.b64decode(encoded).decode().replace("DECLINED", "ACCEPTED")
    other = base64.encodebytes(accepted.encode()).decode().replace("\n", "\r\n").rstrip()
    # The invite.ics copy (the last one) now says something else than the inline calendar.
    head, _, tail = one.rpartition(encoded)
    (result,) = inbound_mail_process((head + other + tail).encode())
    assert (result.outcome, result.reason) == (
        "rejected",
        "several different calendars in one message",
    )
    assert status(invited, anna) == "going"


def test_a_windows_1252_reply_is_read(invited, anna):
    raw = outlook_desktop(
        to=reply_address(user_id=anna.pk, uid=invited.uid),
        sender=anna.email,
        uid=invited.uid,
        attendee=anna.email,
        partstat="DECLINED",
        sequence=0,
        organizer="x@localhost",
        name="Anna Caf\u00e9",
    ).replace(b'charset="utf-8"; method=REPLY', b'charset="windows-1252"; method=REPLY')
    (result,) = inbound_mail_process(raw)
    assert result.outcome == "applied"


# --- occurrences beyond the horizon, no occurrence at all, delegation ---------------------------


@pytest.fixture
def long_series(community, coordinator):
    """Weekly for a year: 120 days of it are materialised, the rest is only the RRULE."""
    return series_create(
        community=community, actor=coordinator, details=details(title="Lean Coffee"),
        recurrence=Recurrence(frequency="weekly", count=52),
    )  # fmt: skip


def _occurrence_reply(series, anna, moment, partstat="DECLINED") -> bytes:
    return outlook_desktop(
        to=reply_address(user_id=anna.pk, uid=series.uid), sender=anna.email, uid=series.uid,
        attendee=anna.email, partstat=partstat, sequence=0, organizer="x@localhost",
        recurrence_id=moment, message_id=f"occ-{moment.isoformat()}@example.net",
    )  # fmt: skip


def test_declining_one_occurrence_beyond_the_horizon_declines_exactly_that_one(long_series, anna):
    series_rsvp_set(series_id=long_series.pk, user=anna, status="going")
    stored = long_series.occurrences.count()
    assert 13 <= stored < 52
    beyond = START + timedelta(weeks=30)  # 2026-09-30, well beyond the 120 days
    assert not long_series.occurrences.filter(recurrence_id=beyond).exists()
    before = OutboxMessage.objects.filter(recipient=anna).count()

    (result,) = inbound_mail_process(_occurrence_reply(long_series, anna, beyond))

    assert result.outcome == "applied"
    assert SeriesRsvp.objects.filter(series=long_series, user=anna).exists()
    occurrence = long_series.occurrences.get(recurrence_id=beyond)
    assert Rsvp.objects.get(session=occurrence, user=anna).status == "declined"
    assert set(
        Rsvp.objects.filter(user=anna).exclude(session=occurrence).values_list("status", flat=True)
    ) == {"going"}
    [cancel] = OutboxMessage.objects.filter(recipient=anna).order_by("id")[before:]
    assert cancel.calendar_method == "CANCEL"
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20260930T120000" in unfold_text(cancel.calendar)
    # Materialising later keeps that answer: the occurrence is made once.
    from events.series.services.scheduling import series_materialise  # noqa: PLC0415 -- slow

    series_materialise(series=long_series, until=NOW + timedelta(days=400))
    assert long_series.occurrences.count() == 52
    assert Rsvp.objects.get(session=occurrence, user=anna).status == "declined"


def test_a_recurrence_id_that_is_no_occurrence_changes_nothing_and_is_answered(long_series, anna):
    series_rsvp_set(series_id=long_series.pk, user=anna, status="going")
    answers = sorted(Rsvp.objects.filter(user=anna).values_list("session_id", "status"))
    sent = OutboxMessage.objects.filter(recipient=anna).count()

    (result,) = inbound_mail_process(
        _occurrence_reply(long_series, anna, START + timedelta(days=3, hours=1))
    )

    assert (result.outcome, result.reason) == ("rejected", "no such occurrence of the series")
    assert sorted(Rsvp.objects.filter(user=anna).values_list("session_id", "status")) == answers
    assert SeriesRsvp.objects.filter(series=long_series, user=anna).exists()
    [note] = OutboxMessage.objects.filter(recipient=anna).order_by("id")[sent:]
    assert (note.kind, note.calendar_method) == ("calendar_reply_note", "")
    assert note.subject == "About your calendar answer: Lean Coffee"
    assert "no session" in note.body_text


def test_a_delegated_reply_sets_the_delegator_to_not_going_and_says_how_to_invite(invited, anna):
    colleague = '"mailto:colleague@example.org"'
    raw = outlook_desktop(
        to=reply_address(user_id=anna.pk, uid=invited.uid), sender=anna.email, uid=invited.uid,
        attendee=f"{anna.email}", partstat=f"DELEGATED;DELEGATED-TO={colleague}", sequence=0,
        organizer="x@localhost", message_id="delegated@example.net",
    )  # fmt: skip
    (result,) = inbound_mail_process(raw)
    assert result.outcome == "applied"
    assert status(invited, anna) == "declined"
    note = OutboxMessage.objects.get(recipient=anna, kind="calendar_reply_note")
    assert "You passed this session on to colleague@example.org" in note.body_text
    assert f"/sessions/{invited.pk}/" in note.body_text
    cancel = OutboxMessage.objects.filter(recipient=anna, calendar_method="CANCEL").get()
    assert cancel.kind == "calendar_cancel"


def unfold_text(text: str) -> str:
    return text.replace("\r\n ", "")
