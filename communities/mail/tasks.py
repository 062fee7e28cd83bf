"""The outbox's tasks: the sweep (beat, every minute) and the send of one claimed batch.

Thin and idempotent; the task names keep their first module's name (``events.tasks.*``) so
messages already queued by an older deploy still run."""

from celery import shared_task

from communities.mail.services import outbox_claim_due, outbox_deliver_while_due
from communities.retries import RETRY_OPTIONS


@shared_task(name="events.tasks.outbox_sweep", **RETRY_OPTIONS)
def outbox_sweep() -> int:
    """Claim due outbox rows in batches and hand each batch to a send task (beat: every minute).

    Idempotent: rows are claimed under a lease; a second sweep skips claimed rows until their
    lease expires. The claims are committed before the send tasks are published.
    """
    tokens = outbox_claim_due()
    for token in tokens:
        outbox_send_batch.delay(token)
    return len(tokens)


@shared_task(name="events.tasks.outbox_send_batch", **RETRY_OPTIONS)
def outbox_send_batch(lease_token: str) -> dict:
    """Deliver the rows claimed under one lease over one SMTP connection, then claim and
    deliver further due batches until OUTBOX_SEND_SECONDS are spent (so more workers send
    more per minute).

    Idempotent: rows already sent or reclaimed by a newer lease are left alone. When a
    batch closed the circuit (the mail server answers again), everything held is swept now
    rather than at the next beat.
    """
    totals = outbox_deliver_while_due(lease_token=lease_token)
    if totals.pop("circuit_closed"):
        outbox_sweep.delay()
    return totals
