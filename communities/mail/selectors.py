"""Reads of the outbox for staff: what is due, sent and failed, per kind per day."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.mail.models import MailCircuit, OutboxMessage

State = OutboxMessage.State


@dataclass(frozen=True)
class DayKindCounts:
    day: date
    kind: str
    pending: int
    sending: int
    sent: int
    failed: int
    skipped: int


def outbox_counts(*, days: int = 14, now: datetime | None = None) -> list[DayKindCounts]:
    """Rows per day (of ``due_at``, in the site's timezone) and kind, by state; newest day
    first. One query."""
    now = now or timezone.now()
    rows = (
        OutboxMessage.objects.filter(due_at__gte=now - timedelta(days=days))
        .annotate(day=TruncDate("due_at", tzinfo=timezone.get_default_timezone()))
        .values("day", "kind")
        .annotate(
            **{
                state: Count("id", filter=Q(state=state))
                for state in ("pending", "sending", "sent", "failed", "skipped")
            }
        )
        .order_by("-day", "kind")
    )
    return [DayKindCounts(**row) for row in rows]


def outbox_failed(*, limit: int = 50) -> list[OutboxMessage]:
    """The latest failed rows with their reasons. One query."""
    return list(
        OutboxMessage.objects.filter(state=State.FAILED)
        .only("id", "kind", "to_email", "subject", "due_at", "attempts", "last_error", "updated_at")
        .order_by("-updated_at", "-id")[:limit]
    )


def outbox_summary(*, now: datetime | None = None) -> dict:
    """Totals by state, the oldest due pending row, how late it is (``lag``, a timedelta or
    None), and leases that expired. One query."""
    now = now or timezone.now()
    totals = OutboxMessage.objects.aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in State.values},
        due=Count("id", filter=Q(state=State.PENDING, due_at__lte=now)),
        expired_leases=Count("id", filter=Q(state=State.SENDING, lease_expires_at__lte=now)),
        oldest_due=Min("due_at", filter=Q(state=State.PENDING, due_at__lte=now)),
    )
    totals["lag"] = now - totals["oldest_due"] if totals["oldest_due"] else None
    return totals


def mail_circuit() -> MailCircuit:
    """The circuit as the outbox last saw the mail server (closed when never opened). One
    query."""
    return MailCircuit.objects.filter(pk=MailCircuit.SINGLETON).first() or MailCircuit(
        pk=MailCircuit.SINGLETON
    )


@dataclass(frozen=True)
class SkipReasonCount:
    kind: str
    reason: str
    count: int


def outbox_skip_reasons(*, days: int = 14, now: datetime | None = None) -> list[SkipReasonCount]:
    """Skipped rows of the last ``days`` (by due date) per kind and reason, most first. One
    query."""
    now = now or timezone.now()
    rows = (
        OutboxMessage.objects.filter(state=State.SKIPPED, due_at__gte=now - timedelta(days=days))
        .values("kind", "skip_reason")
        .annotate(count=Count("id"))
        .order_by("-count", "kind", "skip_reason")
    )
    return [SkipReasonCount(row["kind"], row["skip_reason"], row["count"]) for row in rows]


def latest_messages(*, limit: int = 100) -> list[OutboxMessage]:
    """The newest rows, for the development mail viewer."""
    return list(OutboxMessage.objects.order_by("-created_at", "-id")[:limit])


def message_by_id(message_id: int) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(pk=message_id).first()


def is_failed(message_id: int) -> bool:
    return OutboxMessage.objects.filter(pk=message_id, state=OutboxMessage.State.FAILED).exists()
