"""For every sequence of mail-server trouble, the outbox sends each message exactly once and
charges no attempt to any message for the server's trouble (hypothesis).

Each step is one simulated minute of beat: the server is up, down (connections refused) or
accepts a few messages and then answers 421. After the sequence the server stays up; within
a quarter of an hour everything is sent. The SMTP server is an in-process backend here so hypothesis
can try many sequences quickly; tests/integration/test_smtp_outage.py does it against aiosmtpd.
"""

import smtplib
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.mail import smtp_errors
from communities.mail.models import MailCircuit, OutboxMessage
from communities.mail.tasks import outbox_sweep
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class ScriptedBackend:
    """``mode``: "up", "down", or a number n (accept n messages per connection, then 421)."""

    mode: str | int = "up"
    delivered: list[str] = []

    def __init__(self, *args, **kwargs):
        self.accepted = 0

    def open(self):
        if ScriptedBackend.mode == "down":
            raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        mode = ScriptedBackend.mode
        if mode == "down":
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if isinstance(mode, int) and self.accepted >= mode:
            raise smtplib.SMTPDataError(421, b"4.7.0 Too busy")
        self.accepted += 1
        ScriptedBackend.delivered.extend(m.extra_headers["Message-ID"] for m in messages)
        return len(messages)


minutes = st.lists(
    st.one_of(st.just("up"), st.just("down"), st.integers(min_value=0, max_value=3)),
    min_size=1,
    max_size=30,
)


def live_through(script: list, count: int) -> tuple[Counter, set, set]:
    """Run beat through ``script`` and 15 minutes of a working server; return what was
    delivered, the ids that should have been, and the rows' (state, attempts)."""
    OutboxMessage.objects.all().delete()
    MailCircuit.objects.all().delete()
    ScriptedBackend.delivered = []
    backend = "tests.communities.mail.test_circuit_properties.ScriptedBackend"
    with override_settings(EMAIL_BACKEND=backend), time_machine.travel(START, tick=False) as clock:
        messages = [
            OutboxMessageFactory(due_at=START + timedelta(minutes=n * len(script) / count))
            for n in range(count)
        ]
        for mode in script:
            ScriptedBackend.mode = mode
            outbox_sweep()
            clock.shift(timedelta(minutes=1))
        ScriptedBackend.mode = "up"
        # At most 10 minutes until the next probe (OUTBOX_CIRCUIT_BACKOFF_MAX), then all of it.
        for _minute in range(15):
            outbox_sweep()
            clock.shift(timedelta(minutes=1))
    expected = {m.message_id for m in messages}
    rows = set(OutboxMessage.objects.values_list("state", "attempts"))
    return Counter(ScriptedBackend.delivered), expected, rows


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=minutes, count=st.integers(min_value=1, max_value=12))
def test_any_outage_sends_each_message_once_and_charges_nothing(db, script, count):
    delivered, expected, rows = live_through(script, count)

    assert delivered == Counter(dict.fromkeys(expected, 1))
    assert rows == {("sent", 1)}
    assert MailCircuit.objects.filter(state="open").count() == 0


def test_without_the_circuit_the_same_run_charges_and_fails_messages(db, monkeypatch, settings):
    """Negative control: server trouble counted against each message, 8 attempts and done (as
    before the circuit): a plain 30-minute outage loses the message for good."""
    monkeypatch.setattr(smtp_errors, "is_server_trouble", lambda error, **kwargs: False)
    settings.OUTBOX_TEMPORARY_WINDOW = timedelta(0)

    delivered, _expected, rows = live_through(["down"] * 30, 1)

    assert delivered == Counter()
    assert rows == {("failed", 8)}
