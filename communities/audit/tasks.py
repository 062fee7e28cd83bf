"""The audit log's nightly pruning (beat)."""

from celery import shared_task

from communities.audit.services import audit_prune
from communities.retries import RETRY_OPTIONS


@shared_task(name="communities.tasks.audit_prune", **RETRY_OPTIONS)
def audit_prune_task() -> int:
    """Delete audit entries past their retention (beat: daily). Idempotent."""
    return audit_prune()
