"""Invitation mail on the wire: what a real SMTP server (aiosmtpd) receives.

The outbox delivers over a real SMTP connection; the received bytes are checked against the
CalConnect structure: multipart/mixed → [multipart/alternative →
text/plain, text/html, text/calendar; method=…; charset=utf-8 (no Content-Disposition)] +
invite.ics (application/ics, attachment), one mail per attendee, To: that attendee only.
"""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from events.calendar.inbound.tags import reply_address
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_create
from tests.events.calendar.calendar_checks import check_calendar
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "communities.mail.backends.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


def deliver() -> None:
    for token in outbox_claim_due(now=datetime(2030, 1, 1, tzinfo=UTC)):
        outbox_deliver_batch(lease_token=token)


def test_each_attendee_gets_their_own_invitation_in_the_calconnect_structure(
    smtp_settings, community, coordinator, time_machine
):
    time_machine.move_to(datetime(2026, 2, 15, 9, 0, tzinfo=UTC), tick=False)
    people = [
        UserFactory(email="anna@example.org", display_name="Anna Ångström", language="nl"),
        UserFactory(email="ben@example.org", display_name="Ben", language="en"),
    ]
    for person in people:
        MembershipFactory(user=person, community=community)
    session = session_create(
        community=community,
        actor=coordinator,
        details=SessionDetails(
            title="Café-sessie: typen, testen; 🎉", format="brown_bag", start=START,
            end=START + timedelta(hours=1), location="Zaal 4", description="é" * 3000,
        ),
    )  # fmt: skip
    for person in people:
        rsvp_set(session_id=session.pk, user=person, status="going")

    deliver()

    received = smtp_settings.wait_for(2)
    assert [
        (m["To"], tuple(e.rcpt_tos))
        for m, e in zip(received, smtp_settings.handler.envelopes, strict=True)
    ] == [
        ("anna@example.org", ("anna@example.org",)),
        ("ben@example.org", ("ben@example.org",)),
    ]
    for message, envelope, person in zip(
        received, smtp_settings.handler.envelopes, people, strict=True
    ):
        raw = envelope.original_content or envelope.content
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        assert message["Cc"] is None and message["Bcc"] is None
        tree = [
            (part.get_content_type(), part.get_param("method"), part.get("Content-Disposition"))
            for part in message.walk()
        ]
        assert tree == [
            ("multipart/mixed", None, None),
            ("multipart/alternative", None, None),
            ("text/plain", None, None),
            ("text/html", None, None),
            ("text/calendar", "REQUEST", None),
            ("application/ics", None, 'attachment; filename="invite.ics"'),
        ]
        inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        attached = next(p for p in message.walk() if p.get_content_type() == "application/ics")
        assert inline.get_content_charset() == "utf-8"
        data = inline.get_payload(decode=True)
        assert attached.get_payload(decode=True) == data
        calendar = check_calendar(data)
        (event,) = calendar.walk("VEVENT")
        assert str(event["SUMMARY"]) == "Café-sessie: typen, testen; 🎉"
        assert [str(a) for a in [event["ATTENDEE"]]] == [f"mailto:{person.email}"]
        assert event["ATTENDEE"].params["RSVP"] == "TRUE"
        address = reply_address(user_id=person.pk, uid=session.uid)
        assert str(event["ORGANIZER"]) == f"mailto:{address}"
        assert message["Reply-To"] == address
        # The row's Message-ID travels with the mail (a re-send keeps it).
        row = OutboxMessage.objects.get(to_email=person.email)
        assert message["Message-ID"] == row.message_id
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in received]
    assert subjects == [
        "Uitnodiging: Café-sessie: typen, testen; 🎉",
        "Invitation: Café-sessie: typen, testen; 🎉",
    ]
    text = received[1].get_payload()[0].get_payload()[0].get_payload(decode=True).decode()
    assert "You are going. This invitation puts the session in your calendar." in text


def test_a_cancellation_arrives_as_method_cancel_with_the_same_uid(
    smtp_settings, community, coordinator, member, time_machine
):
    time_machine.move_to(datetime(2026, 2, 15, 9, 0, tzinfo=UTC), tick=False)
    MembershipFactory(user=member, community=community)
    session = session_create(
        community=community,
        actor=coordinator,
        details=SessionDetails(title="Lean Coffee", format="kenniscafe", start=START,
                               end=START + timedelta(hours=1), location="Koffiecorner"),
    )  # fmt: skip
    rsvp_set(session_id=session.pk, user=member, status="going")
    session_cancel(session_id=session.pk, actor=coordinator, reason="Ziek")

    deliver()

    invitation, cancellation = smtp_settings.wait_for(2)
    methods = []
    for message in (invitation, cancellation):
        inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        calendar = Calendar.from_ical(check_calendar(inline.get_payload(decode=True)).to_ical())
        (event,) = calendar.walk("VEVENT")
        methods.append(
            (inline.get_param("method"), str(calendar["METHOD"]), str(event["UID"]),
             int(event["SEQUENCE"]), str(event["STATUS"]))
        )  # fmt: skip
    assert methods == [
        ("REQUEST", "REQUEST", session.uid, 0, "CONFIRMED"),
        ("CANCEL", "CANCEL", session.uid, 1, "CANCELLED"),
    ]
    assert message_from_bytes(smtp_settings.handler.envelopes[1].content)["To"] == member.email
