"""Retention applied (the organisation's promises on how long data is kept): the nightly job
and the base layer's pruners.

``retention_apply`` runs every registered pruner (``communities.retention``) and logs one line
per pruner with its count. The base layer registers:

- ``outbox``: sent, failed and skipped messages whose last activity (sent, else due) is older
  than ``outbox_retention_days``; waiting and sending rows are never touched.
- ``invitations``: invitations past their expiry date, whatever their answer (the membership an
  accepted one led to stays; the row only held the address and the token's hash).
- ``sessions``: expired login sessions (``django_session``).
"""

import logging
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import Invitation, OutboxMessage
from communities.organisation import OrganisationSettings, organisation_settings
from communities.retention import prune, pruners, register_pruner

logger = logging.getLogger(__name__)

FINISHED = (OutboxMessage.State.SENT, OutboxMessage.State.FAILED, OutboxMessage.State.SKIPPED)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Run every pruner once; returns (and logs) the rows each deleted.

    Each pruner runs in its own transaction, so one that fails (logged) leaves the others'
    work in place. Idempotent: a second run at the same ``now`` deletes nothing.
    """
    now = now or timezone.now()
    current = organisation_settings()
    counts = {}
    for name in pruners():
        try:
            with transaction.atomic():
                counts[name] = prune(name, now=now, settings=current)
        except Exception:
            logger.exception("retention: pruning %s failed", name)
            continue
        logger.info("retention: %s deleted %d", name, counts[name])
    return counts


def outbox_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    cutoff = now - timedelta(days=settings.outbox_retention_days)
    finished = OutboxMessage.objects.filter(state__in=FINISHED)
    old = finished.filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, due_at__lt=cutoff)
    ).filter(created_at__lt=cutoff)
    return delete_counted(old)


def invitations_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    return delete_counted(Invitation.objects.filter(expires_at__lt=now))


def sessions_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    """Expired login sessions; only the database backend keeps rows to delete."""
    engine = import_module(django_settings.SESSION_ENGINE)
    model = getattr(engine.SessionStore, "get_model_class", None)
    if model is None:
        return 0
    return delete_counted(model().objects.filter(expire_date__lt=now))


def delete_counted(queryset) -> int:
    """Delete and return how many rows of the queryset's own model went (not cascades)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def register_pruners() -> None:
    """Called once the app is ready (its AppConfig)."""
    register_pruner("outbox", outbox_prune)
    register_pruner("invitations", invitations_prune)
    register_pruner("sessions", sessions_prune)
