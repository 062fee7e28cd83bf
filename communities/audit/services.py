"""Writing the audit log, and forgetting it after the retention period."""

from datetime import datetime, timedelta
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from communities.audit.events import EVENTS

ERASED = "(erased)"

# The kind of change auditlog files an event under (its ``action`` column).
_ACTIONS = {
    "add": LogEntry.Action.CREATE,
    "create": LogEntry.Action.CREATE,
    "delete": LogEntry.Action.DELETE,
    "erase": LogEntry.Action.DELETE,
    "decline": LogEntry.Action.DELETE,
}


def _client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    request: HttpRequest | None = None,
) -> LogEntry:
    """Record that ``actor`` (a user, or None for the system) did ``action`` to ``target``.

    ``action`` is a code of ``communities.audit.events.EVENTS`` (e.g. ``person.deactivate``);
    ``changes`` maps field names to ``[old, new]`` (never secrets or confidential text: the log
    is read by every staff member); ``detail`` is a short free text (which export, which
    token). The request gives the client address. Transaction: one insert, in the caller's
    transaction, so an action that rolls back leaves no entry. Not idempotent: each call is
    one entry, as each action happened once more.
    """
    if action not in EVENTS:
        raise ValueError(f"unknown audit event {action!r}")
    verb = action.rsplit(".", 1)[-1]
    pk = target.pk
    actor_id = getattr(actor, "pk", None)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=str(target)[:200],
        action=_ACTIONS.get(verb, LogEntry.Action.UPDATE),
        changes=changes or None,
        changes_text="",
        actor_id=actor_id,
        actor_email=(getattr(actor, "email", "") or "")[:254] if actor_id else "",
        remote_addr=_client_address(request),
        additional_data={"event": action, "detail": detail[:500]},
    )


def audit_prune(*, now: datetime | None = None) -> int:
    """Delete the entries older than ``AUDIT_RETENTION_DAYS`` (their names, addresses and
    change sets go with them). Transaction: one delete. Idempotent. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _rows = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted


def audit_forget_person(*, user) -> int:
    """Erasure: the person's entries stay (what happened is the organisation's record) but no
    longer name them: as actor, their name, e-mail address and client address are cleared; as
    the target, the name the entry shows is replaced. Transaction: two updates. Idempotent.
    Returns how many entries changed."""
    as_actor = LogEntry.objects.filter(actor=user).update(
        actor=None, actor_email="", remote_addr=None
    )
    as_target = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        object_pk=str(user.pk),
    ).update(object_repr=ERASED, changes=None)
    return as_actor + as_target
