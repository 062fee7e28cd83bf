"""Reminders through a real worker, real Redis and a real SMTP server.

The passing of time is simulated by moving ``due_at`` / ``lease_expires_at`` into the past,
never by waiting. Quiet hours are switched off here so the tests do not depend on the hour they
run at (they have their own unit tests).
"""

import asyncio
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from communities.mail.models import MailCircuit, OutboxMessage
from communities.mail.services import outbox_claim_due
from communities.mail.tasks import outbox_sweep
from communities.models import User
from events.models import Rsvp
from events.reminders.services import planner as reminders
from events.reminders.services.planner import reminders_plan
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import session_cancel
from tests.factories import CommunityFactory, SessionFactory, UserFactory
from tests.integration.test_worker import QUEUE, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.REMINDER_QUIET_START_HOUR = 0
    settings.REMINDER_QUIET_END_HOUR = 0
    settings.REMINDER_DEFAULTS = {**settings.REMINDER_DEFAULTS, "first_before": None,
                                  "second_before": 60}  # fmt: skip


def going_people(count: int, *, minutes_to_start: int, sessions: int = 10):
    """``count`` people going to ``sessions`` sessions that start in ``minutes_to_start``."""
    community = CommunityFactory()
    start = timezone.now() + timedelta(minutes=minutes_to_start)
    made = [
        SessionFactory(
            community=community, start=start, end=start + timedelta(hours=1), title=f"Session {n}"
        )
        for n in range(sessions)
    ]
    users = User.objects.bulk_create(
        User(email=f"p{n}@example.org", display_name=f"P{n}", language="en") for n in range(count)
    )
    Rsvp.objects.bulk_create(
        Rsvp(session=made[n % sessions], user=user, status="going") for n, user in enumerate(users)
    )
    # They answered yesterday (a reminder never goes for an answer given after it fell due).
    Rsvp.objects.update(updated_at=timezone.now() - timedelta(days=1))
    return made, users


def due_now():
    """Rows planned a few minutes ahead: let the clock 'reach' them."""
    OutboxMessage.objects.filter(state="pending").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )


def expire_leases():
    OutboxMessage.objects.filter(state="sending").update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def sweep_until_all_sent(total: int, smtp_server, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(state="sent").count() == total:
            return
        expire_leases()
        outbox_sweep.delay()
        time.sleep(1.0)
    raise AssertionError(
        f"{OutboxMessage.objects.filter(state='sent').count()} of {total} sent; "
        f"sink has {len(smtp_server.messages)}"
    )


def test_killed_workers_while_1000_reminders_are_sent(start_worker, smtp_server):
    """kill -9 both workers mid-send; after a restart every reminder arrives, duplicates only
    from the acceptance→commit window (≤ 1 per killed worker), with the original Message-ID."""
    going_people(1000, minutes_to_start=62)
    assert reminders_plan() == 1000
    due_now()
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(expected) == 1000

    accept = smtp_server.handler.handle_DATA

    async def slow_accept(server, session, envelope):
        await asyncio.sleep(0.01)  # so the kill lands in the middle of the sending
        return await accept(server, session, envelope)

    smtp_server.handler.handle_DATA = slow_accept
    doomed = [start_worker("doomed-a"), start_worker("doomed-b")]
    outbox_sweep.delay()
    wait_until(lambda: len(smtp_server.messages) >= 150, timeout=60, what="150 deliveries")
    for worker in doomed:
        worker.kill()
    received_before = len(smtp_server.messages)
    assert received_before < 1000  # the kill really was mid-way

    start_worker("replacement")
    sweep_until_all_sent(1000, smtp_server)
    time.sleep(0.5)

    counts = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert set(counts) == expected  # every reminder arrived, nothing foreign
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= len(doomed)
    assert all(n <= 2 for n in counts.values())


def test_flushed_redis_with_500_sends_queued_loses_nothing_and_doubles_nothing(
    start_worker, smtp_server, broker
):
    going_people(500, minutes_to_start=62)
    assert reminders_plan() == 500
    due_now()
    assert outbox_sweep() == 10  # claims 500 rows in 10 batches and publishes 10 send tasks
    assert broker.llen(QUEUE) == 10
    broker.flushdb()

    start_worker()
    expire_leases()
    outbox_sweep.delay()
    received = smtp_server.wait_for(500, timeout=60)
    wait_until(lambda: OutboxMessage.objects.filter(state="sent").count() == 500, what="500 sent")
    time.sleep(0.5)
    counts = Counter(m["Message-ID"] for m in received)
    assert len(counts) == 500
    assert max(counts.values()) == 1


def two_beats_at_once() -> None:
    """Two planners start at the same moment (threads, each with its own connection)."""
    barrier = threading.Barrier(2)

    def beat():
        try:
            barrier.wait(timeout=10)
            reminders_plan()
        finally:
            connections.close_all()

    beats = [threading.Thread(target=beat) for _ in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join(timeout=60)


def test_two_beats_with_keys_that_are_not_deterministic_would_double(
    transactional_db, postgres, monkeypatch
):
    """Negative control: with a key that differs per run, the two beats make every reminder
    twice, so the test below would catch it."""

    real_key = reminders.session_key
    monkeypatch.setattr(
        reminders, "session_key", lambda *args: f"{real_key(*args)}:{uuid.uuid4().hex}"
    )
    going_people(40, minutes_to_start=30, sessions=4)
    two_beats_at_once()
    assert OutboxMessage.objects.count() == 80


def test_beat_down_30_minutes_and_two_beats_at_once_send_each_reminder_once(
    start_worker, smtp_server
):
    """The reminders fell due 30 minutes ago (start in 30 minutes, 1 hour before): two beats
    plan at the same moment, two workers sweep at the same moment."""
    going_people(40, minutes_to_start=30, sessions=4)
    two_beats_at_once()
    assert OutboxMessage.objects.count() == 40
    due = OutboxMessage.objects.filter(due_at__lte=timezone.now() - timedelta(minutes=29))
    assert due.count() == 40

    start_worker("a")
    start_worker("b")
    outbox_sweep.delay()
    outbox_sweep.delay()
    smtp_server.wait_for(40, timeout=60)
    wait_until(lambda: OutboxMessage.objects.filter(state="sent").count() == 40, what="sent")
    outbox_sweep.delay()
    time.sleep(1.0)
    counts = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert (len(counts), max(counts.values())) == (40, 1)


def test_smtp_421_opens_the_circuit_then_the_probe_delivers_once(start_worker, smtp_server):
    """A 421 is the server's trouble: the row keeps its attempts and due time, the circuit
    opens, and once the probe time has passed the message goes out once."""
    going_people(1, minutes_to_start=62, sessions=1)
    reminders_plan()
    due_now()
    [row] = OutboxMessage.objects.all()
    due_at = row.due_at
    accept = smtp_server.handler.handle_DATA
    answers = []

    async def busy_once(server, session, envelope):
        answers.append(1)
        if len(answers) == 1:
            return "421 4.7.0 Too busy, try again later"
        return await accept(server, session, envelope)

    smtp_server.handler.handle_DATA = busy_once
    start_worker()
    outbox_sweep.delay()
    wait_until(lambda: MailCircuit.objects.filter(state="open").exists(), what="the 421")
    wait_until(lambda: OutboxMessage.objects.get(pk=row.pk).state == "pending", what="held")
    row.refresh_from_db()
    assert (row.attempts, row.due_at, row.last_error) == (0, due_at, "")
    assert "421" in MailCircuit.objects.get().last_error
    assert smtp_server.messages == []

    MailCircuit.objects.update(probe_at=timezone.now() - timedelta(seconds=1))  # time passes
    outbox_sweep.delay()
    [received] = smtp_server.wait_for(1)
    wait_until(lambda: OutboxMessage.objects.get(pk=row.pk).state == "sent", what="sent")
    outbox_sweep.delay()
    time.sleep(1.0)
    row.refresh_from_db()
    assert (row.state, row.attempts, len(smtp_server.messages)) == ("sent", 1, 1)
    assert received["Message-ID"] == row.message_id
    assert MailCircuit.objects.get().state == "closed"


def test_smtp_550_marks_failed_and_does_not_retry(start_worker, smtp_server):
    going_people(1, minutes_to_start=62, sessions=1)
    reminders_plan()
    due_now()
    [row] = OutboxMessage.objects.all()
    smtp_server.handler.mode = "permanent"
    start_worker()
    outbox_sweep.delay()
    wait_until(lambda: OutboxMessage.objects.get(pk=row.pk).state == "failed", what="failed")
    row.refresh_from_db()
    assert row.attempts == 1
    assert "550" in row.last_error
    # Later sweeps leave it alone (only the staff's re-send button puts it back).
    smtp_server.handler.mode = "accept"
    assert outbox_claim_due(now=timezone.now() + timedelta(days=1)) == []
    assert smtp_server.messages == []


def test_cancelled_session_and_declined_person_get_nothing(start_worker, smtp_server):

    sessions, users = going_people(3, minutes_to_start=62, sessions=3)
    reminders_plan()
    due_now()
    staff = UserFactory(is_staff=True)
    sessions[0].hosts.add(staff)
    session_cancel(session_id=sessions[0].pk, actor=staff, reason="")
    rsvp_set(session_id=sessions[1].pk, user=users[1], status="declined")

    start_worker()
    outbox_sweep.delay()
    wait_until(
        lambda: OutboxMessage.objects.filter(kind="reminder_before", state="sent").count() == 1,
        what="the one reminder still wanted",
    )
    time.sleep(1.0)
    reminders = [m for m in smtp_server.messages if m["Subject"].startswith("Reminder")]
    assert [m["To"] for m in reminders] == [users[2].email]
    states = dict(
        OutboxMessage.objects.filter(kind="reminder_before").values_list("recipient_id", "state")
    )
    assert states == {users[0].pk: "skipped", users[1].pk: "skipped", users[2].pk: "sent"}
