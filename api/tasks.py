"""The webhooks' tasks: the sweep (beat, every minute, and right after a change commits) and the
delivery of one claimed batch. Thin and idempotent."""

from celery import shared_task

from api.webhooks.services import webhook_claim_due, webhook_deliver_batch, webhook_log_purge
from communities.retries import RETRY_OPTIONS


@shared_task(name="api.tasks.webhooks_sweep", **RETRY_OPTIONS)
def webhooks_sweep() -> int:
    """Claim due deliveries in batches and hand each batch to a delivery task; purge the log
    past 30 days. Idempotent: claimed rows are skipped until their lease expires."""
    webhook_log_purge()
    tokens = webhook_claim_due()
    for token in tokens:
        webhooks_deliver_batch.delay(token)
    return len(tokens)


@shared_task(name="api.tasks.webhooks_deliver_batch", **RETRY_OPTIONS)
def webhooks_deliver_batch(lease_token: str) -> dict:
    """Post the deliveries claimed under one lease. Idempotent: settled rows are left alone."""
    report = webhook_deliver_batch(lease_token=lease_token)
    return {
        "delivered": len(report.delivered),
        "retrying": len(report.retrying),
        "failed": len(report.failed),
    }
