"""Fuzzing the calendar-reply reader: mangled MIME and calendar text never raise.

The parser is pure, so most examples run without a database; a smaller run goes through the
whole entry point (``inbound_mail_process``) and checks that nothing changed.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.calendar.inbound.parsing import parse_mail
from events.calendar.inbound.tags import reply_address
from events.calendar.services.replies import inbound_mail_process
from events.models import Rsvp
from tests.events.calendar.reply_mail import CLIENTS, reply_calendar

UID = "fuzz-session@kennisplein"
TO = "kennisplein+r.1.0123456789abcdef0123@localhost"


def valid_mails() -> list[bytes]:
    return [
        builder(to=TO, sender="anna@example.org", uid=UID, attendee="anna@example.org",
                partstat="DECLINED", sequence=0, organizer=TO)
        for builder in CLIENTS.values()
    ]  # fmt: skip


@st.composite
def mangled(draw):
    raw = bytearray(draw(st.sampled_from(valid_mails())))
    for _ in range(draw(st.integers(0, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        if action == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif action == "cut":
            raw = raw[:at]
        elif action == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=40))
        else:
            raw[at : at + draw(st.integers(1, 200))] = b""
    return bytes(raw)


CALENDAR_NOISE = st.text(
    alphabet=st.sampled_from(list('BEGIN:VCALENDAREVTATTENDEE;=\r\n ":,\\/-+0123456789Zé\x00')),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(raw=mangled())
def test_mangled_mime_never_raises(raw):
    parsed = parse_mail(raw)
    assert parsed.problem or parsed.replies


@settings(max_examples=300, deadline=None)
@given(text=CALENDAR_NOISE, method=st.sampled_from(["REPLY", "COUNTER", "REQUEST", ""]))
def test_calendar_noise_never_raises(text, method):
    body = reply_calendar(uid=UID, attendee="a@example.org", partstat="ACCEPTED", sequence=0,
                          organizer=TO, prodid="fuzz", method=method)  # fmt: skip
    cut = len(body) // 2
    raw = (
        f"To: {TO}\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
        f"{body[:cut]}{text}{body[cut:]}"
    ).encode("utf-8", "surrogatepass")
    parsed = parse_mail(raw)
    assert parsed.problem or parsed.replies


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=mangled())
def test_the_whole_entry_point_never_raises_and_changes_nothing_unless_valid(raw, member):
    results = inbound_mail_process(raw)
    assert results and all(result.outcome for result in results)
    # No session has this UID and the tag is for nobody: nothing can have been answered.
    assert Rsvp.objects.count() == 0
    assert reply_address(user_id=member.pk, uid=UID) != TO
