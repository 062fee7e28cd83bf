"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.models import User
from communities.personal_data import iso, register
from events.models import (
    Series,
    SeriesRsvp,
)


def _export_series(user: User) -> list[dict]:
    series = Series.objects.filter(hosts=user) | Series.objects.filter(created_by=user)
    return [
        {"title": s.title, "rule": s.rrule, "created_by_me": s.created_by_id == user.id}
        for s in series.distinct().order_by("id")
    ]


def _export_series_rsvps(user: User) -> list[dict]:
    return [
        {"series": a.series.title, "status": a.status, "since": iso(a.created_at)}
        for a in SeriesRsvp.objects.filter(user=user).select_related("series").order_by("id")
    ]


def register_personal_data() -> None:
    register(
        section="series_rsvps",
        model=SeriesRsvp,
        user_fields=("user",),
        export=_export_series_rsvps,
        erasure="cascade",
    )
    register(
        section="series",
        model=Series,
        user_fields=("hosts", "created_by"),
        export=_export_series,
        erasure="set_null",
    )
