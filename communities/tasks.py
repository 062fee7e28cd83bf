"""The base layer's Celery tasks, where the worker's autodiscovery looks for them (``<app>.tasks``):
the outbox's sweep and batch send, and the worker heartbeat."""

from communities.audit.tasks import audit_prune_task
from communities.health.tasks import ping
from communities.mail.tasks import outbox_send_batch, outbox_sweep

__all__ = ["audit_prune_task", "outbox_send_batch", "outbox_sweep", "ping"]
