"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.models import User
from communities.personal_data import iso, register
from events.models import (
    Rsvp,
    Session,
)


def _export_rsvps(user: User) -> list[dict]:
    return [
        {
            "session": r.session.title,
            "start": iso(r.session.start),
            "status": r.status,
            "guests": r.guests,
            "attended": r.attended,
            "from_series": r.from_series,
            "answered_at": iso(r.updated_at),
        }
        for r in Rsvp.objects.filter(user=user).select_related("session").order_by("id")
    ]


def _export_sessions(user: User) -> list[dict]:
    sessions = Session.objects.filter(hosts=user) | Session.objects.filter(created_by=user)
    return [
        {
            "title": s.title,
            "start": iso(s.start),
            "hosted": user in s.hosts.all(),
            "created_by_me": s.created_by_id == user.id,
        }
        for s in sessions.distinct().prefetch_related("hosts").order_by("start")
    ]


def register_personal_data() -> None:
    register(
        section="rsvps", model=Rsvp, user_fields=("user",), export=_export_rsvps, erasure="cascade"
    )
    # Sessions stay (others RSVP'd to them); the person is removed as host and creator.
    register(
        section="sessions",
        model=Session,
        user_fields=("hosts", "created_by"),
        export=_export_sessions,
        erasure="set_null",
    )
