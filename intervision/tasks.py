"""Thin, idempotent beat tasks (DESIGN.md rule 4): no arguments, so nothing confidential can
travel through the broker."""

from celery import shared_task

from intervision.services import intervision_autoclose, presenter_copies_purge, reminders_enqueue


@shared_task(acks_late=True)
def intervision_sweep() -> dict:
    """Reminders into the outbox, automatic close-and-erase, purge of expired private copies."""

    return {
        "reminders": reminders_enqueue(),
        "closed": len(intervision_autoclose()),
        "purged": presenter_copies_purge(),
    }
