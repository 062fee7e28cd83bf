"""Reading the audit log (staff only)."""

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone


def audit_entries(
    *,
    viewer,
    event: str = "",
    query: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[LogEntry]:
    """The entries staff may read, newest first, filtered by event code, by a word in the
    actor's address or the target's name, and by day (inclusive, in the current time zone).
    Anyone else sees none."""
    if not (viewer.is_authenticated and viewer.is_active and viewer.is_staff):
        return LogEntry.objects.none()
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if event:
        entries = entries.filter(additional_data__event=event)
    if query:
        entries = entries.filter(
            Q(actor_email__icontains=query)
            | Q(object_repr__icontains=query)
            | Q(additional_data__detail__icontains=query)
        )
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(timestamp__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        entries = entries.filter(timestamp__lt=end)
    return entries
