"""Intervision's records kept only as long as the organisation promised
(``intervision_retention_days``, counted from the end of the session): attendance, action
commitments and evaluations of older sessions are deleted by the nightly retention job
(``communities.services.retention.retention_apply``). The session itself (date, method) stays.
"""

from datetime import datetime, timedelta

from communities.organisation import OrganisationSettings
from communities.retention import register_pruner
from communities.services.retention import delete_counted
from intervision.models import ActionCommitment, Attendance, Evaluation


def _cutoff(now: datetime, settings: OrganisationSettings) -> datetime:
    return now - timedelta(days=settings.intervision_retention_days)


def attendance_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    return delete_counted(
        Attendance.objects.filter(isession__session__end__lt=_cutoff(now, settings))
    )


def commitments_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    return delete_counted(
        ActionCommitment.objects.filter(isession__session__end__lt=_cutoff(now, settings))
    )


def evaluations_prune(*, now: datetime, settings: OrganisationSettings) -> int:
    return delete_counted(
        Evaluation.objects.filter(isession__session__end__lt=_cutoff(now, settings))
    )


def register_pruners() -> None:
    """Called once the app is ready (its AppConfig)."""
    register_pruner("intervision_attendance", attendance_prune)
    register_pruner("intervision_commitments", commitments_prune)
    register_pruner("intervision_evaluations", evaluations_prune)
