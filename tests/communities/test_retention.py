"""Retention applied: the nightly job deletes what is older than the organisation promised, and
nothing younger; it logs one count per pruner and a second run deletes nothing more."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as LoginSession

from communities.models import Invitation, Organisation, OutboxMessage
from communities.services.retention import retention_apply
from communities.tasks import retention_nightly
from config.celery import app
from intervision.models import ActionCommitment, Attendance, Evaluation
from tests.factories import (
    ActionCommitmentFactory,
    AttendanceFactory,
    EvaluationFactory,
    IntervisionSessionFactory,
    InvitationFactory,
    OutboxMessageFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 9, 1, 3, 17, tzinfo=UTC)
ZERO = {
    "intervision_attendance": 0,
    "intervision_commitments": 0,
    "intervision_evaluations": 0,
    "invitations": 0,
    "outbox": 0,
    "sessions": 0,
}


@pytest.fixture
def promises():
    """The organisation keeps sent mail 30 days and intervision records 100 days."""
    Organisation.objects.update_or_create(
        pk=1, defaults={"outbox_retention_days": 30, "intervision_retention_days": 100}
    )


def outbox_row(*, days_ago: float, state: str) -> OutboxMessage:
    moment = NOW - timedelta(days=days_ago)
    with time_machine.travel(moment, tick=False):
        return OutboxMessageFactory(
            state=state,
            due_at=moment,
            sent_at=moment if state == OutboxMessage.State.SENT else None,
        )


def test_outbox_rows_older_than_the_period_go_and_waiting_ones_stay(promises, caplog):
    gone = [
        outbox_row(days_ago=31, state="sent"),
        outbox_row(days_ago=45, state="failed"),
        outbox_row(days_ago=400, state="skipped"),
    ]
    kept = [
        outbox_row(days_ago=29, state="sent"),
        outbox_row(days_ago=29.9, state="failed"),
        outbox_row(days_ago=90, state="pending"),  # never sent yet: never pruned
    ]
    with caplog.at_level(logging.INFO, logger="communities.services.retention"):
        counts = retention_apply(now=NOW)

    assert counts == {**ZERO, "outbox": 3}
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {row.pk for row in kept}
    assert not OutboxMessage.objects.filter(pk__in=[row.pk for row in gone]).exists()
    assert "retention: outbox deleted 3" in caplog.messages
    assert "retention: invitations deleted 0" in caplog.messages
    assert retention_apply(now=NOW) == ZERO


def test_intervision_records_go_after_the_period_counted_from_the_session_end(promises):
    def isession(days_ago):
        end = NOW - timedelta(days=days_ago)
        return IntervisionSessionFactory(
            session=SessionFactory(start=end - timedelta(hours=2), end=end, format="intervision")
        )

    old, recent = isession(101), isession(99)
    for target in (old, recent):
        AttendanceFactory(isession=target)
        AttendanceFactory(isession=target)
        EvaluationFactory(isession=target)
        ActionCommitmentFactory(isession=target)

    counts = retention_apply(now=NOW)

    assert counts == {
        **ZERO,
        "intervision_attendance": 2,
        "intervision_commitments": 1,
        "intervision_evaluations": 1,
    }
    for model in (Attendance, Evaluation, ActionCommitment):
        assert set(model.objects.values_list("isession_id", flat=True)) == {recent.pk}, model
    assert old.__class__.objects.filter(pk=old.pk).exists()  # the session itself stays


def test_expired_invitations_and_login_sessions_go(promises):
    expired = InvitationFactory(expires_at=NOW - timedelta(minutes=1))
    answered = InvitationFactory(expires_at=NOW - timedelta(days=3), state="declined")
    valid = InvitationFactory(expires_at=NOW + timedelta(days=1))
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        stale = SessionStore()
        stale.set_expiry(60)
        stale.create()
    with time_machine.travel(NOW, tick=False):
        fresh = SessionStore()
        fresh.create()

    counts = retention_apply(now=NOW)

    assert counts == {**ZERO, "invitations": 2, "sessions": 1}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [valid.pk]
    assert expired.pk != answered.pk
    keys = set(LoginSession.objects.values_list("session_key", flat=True))
    assert fresh.session_key in keys
    assert stale.session_key not in keys


def test_the_nightly_job_is_on_beat_and_runs_the_service(promises):
    entry = app.conf.beat_schedule["retention-nightly"]
    assert entry["task"] == "communities.tasks.retention_nightly"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {17})
    outbox_row(days_ago=31, state="sent")
    with time_machine.travel(NOW, tick=False):
        result = retention_nightly.apply().get()
    assert result == {**ZERO, "outbox": 1}
