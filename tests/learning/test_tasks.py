"""The beat entries of workplace learning name real, thin tasks."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings

from config.celery import app
from learning import tasks
from learning.pairing.models import PairingOptIn, PairingProgramme


def test_beat_runs_the_learning_tasks_under_their_names():
    app.loader.import_default_modules()
    for entry, every in (("journey-reminders", 300.0), ("pairing-rounds", 3600.0)):
        name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
        assert name in app.tasks
        assert settings.CELERY_BEAT_SCHEDULE[entry]["schedule"] == every
    assert tasks.journey_reminders.name == "learning.tasks.journey_reminders"
    assert tasks.pairing_rounds.name == "learning.tasks.pairing_rounds"


@pytest.mark.django_db
def test_the_pairing_task_runs_due_rounds_once(team, time_machine):
    time_machine.move_to(datetime(2027, 3, 1, 9, tzinfo=UTC), tick=False)
    programme = PairingProgramme.objects.create(
        name="Koffie", cadence_weeks=2, next_round_on=date(2027, 3, 1)
    )
    for person in (team.nina, team.bob):
        PairingOptIn.objects.create(programme=programme, user=person)
    assert tasks.pairing_rounds() == 1
    assert tasks.pairing_rounds() == 0
    assert tasks.journey_reminders() == 0
