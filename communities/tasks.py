"""The base layer's Celery tasks, where the worker's autodiscovery looks for them (``<app>.tasks``):
the outbox's sweep and batch send, the worker heartbeat, and the nightly retention job."""

from celery import shared_task

from communities.audit.tasks import audit_prune_task
from communities.health.tasks import ping
from communities.mail.tasks import outbox_send_batch, outbox_sweep
from communities.retries import RETRY_OPTIONS
from communities.services.retention import retention_apply

__all__ = ["audit_prune_task", "outbox_send_batch", "outbox_sweep", "ping", "retention_nightly"]


@shared_task(name="communities.tasks.retention_nightly", **RETRY_OPTIONS)
def retention_nightly() -> dict:
    """Delete what is past its retention period (beat: every night). Idempotent."""
    return retention_apply()
