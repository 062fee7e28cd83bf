"""Thin, idempotent beat tasks (ARCHITECTURE.md rule 4): no arguments, a service call."""

from celery import shared_task

from learning.journeys.services import journey_reminders_plan
from learning.pairing.services import pairing_rounds_due


@shared_task(acks_late=True, name="learning.tasks.journey_reminders")
def journey_reminders() -> int:
    """Steps of onboarding journeys falling due become gentle reminders in the outbox."""
    return journey_reminders_plan()


@shared_task(acks_late=True, name="learning.tasks.pairing_rounds")
def pairing_rounds() -> int:
    """Pairing programmes whose next round is due pair their people and introduce them."""
    return pairing_rounds_due()
