"""A real Celery worker on real Redis and PostgreSQL, sending through a real SMTP server.

The fault tests simulate the passing of time by moving ``lease_expires_at`` into the past,
never by waiting for the lease.
"""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from communities.health.models import WorkerPing
from communities.health.tasks import ping
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_enqueue
from communities.mail.tasks import outbox_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.integration
QUEUE = "celery"


def wait_until(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_worker_runs_task_published_after_commit(start_worker, broker):
    worker = start_worker()
    with transaction.atomic():
        ping.delay_on_commit("after-commit")
        # Inside the transaction nothing has reached the broker yet.
        assert broker.llen(QUEUE) == 0

    row = wait_until(
        lambda: WorkerPing.objects.filter(marker="after-commit").first(), what="the ping row"
    )
    assert row.marker == "after-commit"
    assert "events.tasks.ping" in worker.output()


def test_worker_never_sees_task_of_rolled_back_transaction(start_worker, broker):
    start_worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        ping.delay_on_commit("rolled-back")
        raise RuntimeError("roll back")
    ping.delay("after-rollback")
    wait_until(lambda: WorkerPing.objects.filter(marker="after-rollback").exists(), what="ping")
    assert not WorkerPing.objects.filter(marker="rolled-back").exists()


def enqueue_welcome(email="anouk@example.org", language="nl") -> OutboxMessage:
    user = UserFactory(email=email, display_name="Anouk", language=language)
    return outbox_enqueue(
        dedupe_key=f"welcome:{user.pk}", kind="welcome", template="welcome", recipient=user
    )


def test_outbox_message_delivered_through_real_smtp(start_worker, smtp_server):
    start_worker()
    message = enqueue_welcome(language="en")

    outbox_sweep.delay()

    [received] = smtp_server.wait_for(1)
    assert received["Message-ID"] == message.message_id
    assert received["To"] == "anouk@example.org"
    assert received["Subject"] == "Welcome to Kennisplein"
    assert received.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in received.walk()]
    assert parts == ["multipart/alternative", "text/plain", "text/html"]
    text = received.get_payload()[0].get_payload(decode=True).decode()
    assert text.startswith("Hello Anouk,")
    wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).state == "sent", what="sent")
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("sent", 1)


def test_outbox_survives_killed_worker(start_worker, smtp_server):
    """A worker killed mid-send leaves its rows leased; after the lease the next sweep sends."""
    smtp_server.handler.mode = "hang"
    smtp_server.handler.delay = 30
    first = start_worker("doomed")
    message = enqueue_welcome()

    outbox_sweep.delay()
    wait_until(
        lambda: OutboxMessage.objects.get(pk=message.pk).state == "sending", what="the claim"
    )
    wait_until(lambda: smtp_server.handler.data_started, what="the worker to reach DATA")
    first.kill()

    message.refresh_from_db()
    assert message.state == "sending"
    assert smtp_server.messages == []
    # While the lease holds, nobody else may take the row.
    assert outbox_claim_due() == []

    smtp_server.handler.mode = "accept"
    smtp_server.handler.delay = 0
    OutboxMessage.objects.filter(pk=message.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    start_worker("replacement")
    outbox_sweep.delay()

    [received] = smtp_server.wait_for(1)
    assert received["Message-ID"] == message.message_id
    wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).state == "sent", what="sent")


def test_outbox_survives_wiped_redis(start_worker, smtp_server, broker):
    """Redis loses the send task (flushed); the rows are still there and the next sweep sends."""
    message = enqueue_welcome()
    later = enqueue_welcome(email="daan@example.org")

    assert outbox_sweep() == 1  # claims both rows and publishes one send task
    assert broker.llen(QUEUE) == 1
    broker.flushdb()
    assert broker.llen(QUEUE) == 0

    start_worker()
    OutboxMessage.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    outbox_sweep.delay()

    received = smtp_server.wait_for(2)
    assert sorted(m["Message-ID"] for m in received) == sorted(
        [message.message_id, later.message_id]
    )
    wait_until(
        lambda: OutboxMessage.objects.filter(state="sent").count() == 2, what="both rows sent"
    )
    time.sleep(0.5)
    assert len(smtp_server.messages) == 2
