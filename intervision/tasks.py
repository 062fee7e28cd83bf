"""Thin, idempotent beat tasks (ARCHITECTURE.md rule 4): no arguments, so nothing confidential can
travel through the broker."""

from celery import shared_task

from intervision.services.closing import intervision_autoclose, presenter_copies_purge
from intervision.services.reminders import reminders_enqueue
from intervision.services.scheduling import intervision_sides_complete


@shared_task(acks_late=True)
def intervision_sweep() -> dict:
    """Intervision sides for sessions that lack one, reminders into the outbox, automatic
    close-and-erase, purge of expired private copies."""

    return {
        "sides": intervision_sides_complete(),
        "reminders": reminders_enqueue(),
        "closed": len(intervision_autoclose()),
        "purged": presenter_copies_purge(),
    }
