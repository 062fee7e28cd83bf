"""A six-hour SMTP outage loses nothing: a real SMTP server (aiosmtpd) on loopback is stopped
while 500 messages fall due, and started again.

Time is simulated with time-machine: beat's sweep runs once per simulated minute, no test ever
waits for the clock. The send tasks run in-process (eager), against the real server over TCP.
The negative control switches the circuit off (server trouble charged to each message, as the
outbox did before) and shows that the same checks then fail.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from communities.mail import smtp_errors
from communities.mail.models import OutboxMessage
from communities.mail.tasks import outbox_sweep
from events.models import Rsvp
from events.reminders.kinds import KIND_BEFORE
from tests.factories import OutboxMessageFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.integration

OUTAGE = timedelta(hours=6)
ORDINARY = 300  # mail without a send check (invitations, account mail, …), due through the outage
LATE_REMINDERS = 200  # "1 hour before" reminders of sessions that start after the outage
STALE_REMINDERS = 50  # reminders of sessions that started while the server was down


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return settings


def reminder(*, session, user, due_at):
    Rsvp.objects.create(session=session, user=user, status="going")
    return OutboxMessageFactory(
        kind=KIND_BEFORE,
        dedupe_key=f"reminder:{session.pk}:{user.pk}:before_60",
        recipient=user,
        to_email=user.email,
        due_at=due_at,
    )


def plan_the_day(start):
    """500 messages that must arrive and 50 reminders that must not, all due in the outage."""
    ordinary = [OutboxMessageFactory(due_at=start + OUTAGE * n / ORDINARY) for n in range(ORDINARY)]
    later = SessionFactory(start=start + OUTAGE + timedelta(minutes=45))
    earlier = SessionFactory(start=start + timedelta(hours=2))
    late = [
        reminder(session=later, user=UserFactory(), due_at=later.start - timedelta(hours=1))
        for _n in range(LATE_REMINDERS)
    ]
    stale = [
        reminder(session=earlier, user=UserFactory(), due_at=earlier.start - timedelta(hours=1))
        for _n in range(STALE_REMINDERS)
    ]
    return ordinary + late, stale


@dataclass
class Outcome:
    received: Counter
    expected: set
    states: Counter
    stale_states: Counter
    stale_reasons: set
    sweeps_after_restart: int


def live_through_the_outage(smtp_server) -> Outcome:
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as clock:
        deliverable, stale = plan_the_day(start)
        smtp_server.stop()
        try:
            for _minute in range(int(OUTAGE.total_seconds() // 60)):
                outbox_sweep()
                clock.shift(timedelta(minutes=1))
        finally:
            smtp_server.restart()
        sweeps = 0
        while sweeps < 60 and OutboxMessage.objects.filter(state="pending").exists():
            outbox_sweep()
            sweeps += 1
            clock.shift(timedelta(minutes=1))
        # Later sweeps (the next hours) must send nothing twice.
        for _minute in range(5):
            outbox_sweep()
            clock.shift(timedelta(hours=1))
    stale_rows = OutboxMessage.objects.filter(pk__in=[m.pk for m in stale])
    return Outcome(
        received=Counter(m["Message-ID"] for m in smtp_server.messages),
        expected={m.message_id for m in deliverable},
        states=Counter(
            OutboxMessage.objects.filter(pk__in=[m.pk for m in deliverable]).values_list(
                "state", flat=True
            )
        ),
        stale_states=Counter(stale_rows.values_list("state", flat=True)),
        stale_reasons=set(stale_rows.values_list("skip_reason", flat=True)),
        sweeps_after_restart=sweeps,
    )


def assert_nothing_lost(outcome: Outcome) -> None:
    assert outcome.states == Counter({"sent": ORDINARY + LATE_REMINDERS})
    assert set(outcome.received) == outcome.expected
    assert max(outcome.received.values()) == 1
    assert outcome.stale_states == Counter({"skipped": STALE_REMINDERS})
    assert outcome.stale_reasons == {"The session had already started."}


def test_six_hour_smtp_outage_delivers_all_500_once_and_skips_stale_reminders(
    postgres, smtp_settings, smtp_server
):
    outcome = live_through_the_outage(smtp_server)

    assert_nothing_lost(outcome)
    assert len(outcome.received) == 500
    # The circuit probes at most every 10 minutes: the first sweep after the server is back
    # may still be waiting for its probe time; then one probe and one full sweep.
    assert outcome.sweeps_after_restart <= 12


def test_outage_with_attempts_charged_to_every_message_loses_them(
    postgres, smtp_settings, smtp_server, monkeypatch
):
    """Negative control: count server trouble against each row, as before the circuit, and the
    same run ends with every message of the outage failed for good."""
    monkeypatch.setattr(smtp_errors, "is_server_trouble", lambda error, **kwargs: False)
    monkeypatch.setattr(smtp_settings, "OUTBOX_TEMPORARY_WINDOW", timedelta(0), raising=False)

    outcome = live_through_the_outage(smtp_server)

    with pytest.raises(AssertionError):
        assert_nothing_lost(outcome)
    # Everything due more than ~25 minutes before the end of the outage used up its 8 attempts.
    assert outcome.states == Counter({"failed": 281, "sent": 219})
    assert outcome.stale_states == Counter({"failed": STALE_REMINDERS})
