"""Session times in the viewer's time zone, with the session's own zone when it differs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils.formats import date_format

from events.sessions.selectors import viewer_timezone

register = template.Library()

LONG = "l j F Y, H:i"
TIME = "H:i"


def _span(start: datetime, end: datetime) -> str:
    """'woensdag 11 maart 2026, 12:00–13:00', or both dates when it ends on another day."""
    if start.date() == end.date():
        return f"{date_format(start, LONG)}–{date_format(end, TIME)}"
    return f"{date_format(start, LONG)} – {date_format(end, LONG)}"


def session_times(session, zone: str) -> dict:
    viewer = ZoneInfo(zone)
    start = session.start.astimezone(viewer)
    end = session.end.astimezone(viewer)
    times = {"start": start, "end": end, "label": _span(start, end), "zone": zone, "own": None}
    if session.timezone and session.timezone != zone:
        own_zone = ZoneInfo(session.timezone)
        times["own"] = {
            "label": _span(session.start.astimezone(own_zone), session.end.astimezone(own_zone)),
            "zone": session.timezone,
        }
    return times


@register.inclusion_tag("events/sessions/_when.html", takes_context=True)
def session_when(context, session) -> dict:
    """``{% session_when session %}``: a <time> span in the viewer's zone (their profile's, or
    the organisation's), plus the session's own local time when its zone is another one."""
    user = context.get("user")
    return session_times(session, viewer_timezone(user))
