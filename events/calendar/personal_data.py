"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.models import User
from communities.personal_data import iso, register
from events.models import (
    CalendarDelivery,
    CalendarReply,
)


def _export_calendar_invitations(user: User) -> list[dict]:
    return [
        {
            "calendar_uid": row.uid,
            "instance": row.recurrence_key,
            "session": row.session.title if row.session_id else None,
            "series": row.series.title if row.series_id else None,
            "last_sent": row.method,
            "sequence": row.sequence,
            "at": iso(row.updated_at),
        }
        for row in CalendarDelivery.objects.filter(user=user)
        .select_related("session", "series")
        .order_by("id")
    ]


def _export_calendar_replies(user: User) -> list[dict]:
    return [
        {
            "calendar_uid": row.uid,
            "instance": row.recurrence_key,
            "answer": row.partstat,
            "outcome": row.outcome,
            "reason": row.reason,
            "client": row.client,
            "received_at": iso(row.received_at),
        }
        for row in CalendarReply.objects.filter(user=user).order_by("id")
    ]


def register_personal_data() -> None:
    # What each invitation mail told the person's calendar.
    register(
        section="calendar_invitations",
        model=CalendarDelivery,
        user_fields=("user",),
        export=_export_calendar_invitations,
        erasure="cascade",
    )
    # Answers that came back from the person's calendar client.
    register(
        section="calendar_replies",
        model=CalendarReply,
        user_fields=("user",),
        export=_export_calendar_replies,
        erasure="cascade",
    )
