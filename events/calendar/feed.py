"""PUBLISH calendars (feeds and the one-off "add to calendar" download): data in, bytes out.

Pure: ``FeedEvent`` values in, deterministic bytes out; no database access. The same data gives
the same bytes (stable UIDs, stable order, DTSTAMP passed in, no random VCALENDAR UID), which is
what makes the feeds' strong ETags and 304 answers work.

Recurring sessions: a feed uses the *expanded* model (calendar-interop.md §2.10 b). Every
occurrence of a series is materialised as its own Session row with its own immutable ``uid``, and
the feed publishes each as a plain VEVENT under that uid — no RRULE, no RECURRENCE-ID — so an
occurrence is never served under two models and moved occurrences simply carry their new time.
Cancelled sessions stay in the feed with ``STATUS:CANCELLED`` (and so disappear or show struck
through, depending on the client); invitations (a later step) use the series UID + RECURRENCE-ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from events.calendar.timezones import UnsupportedTimezone, vtimezone

PRODID = "-//Kennisplein//Kennisplein//NL"
INTERVISION = "intervision"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    timezone: str  # IANA name the times are shown in
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    last_modified: datetime | None = None


def session_event(
    session, *, url: str, tentative: bool = False, intervision_label: str = "Intervision"
) -> FeedEvent:
    """A Session (community select_related) as a FeedEvent. Intervision shows only
    "Intervision — <group>" and the time and place: no title, description or link text."""
    if session.state == "cancelled":
        status = "CANCELLED"
    elif tentative:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    location = session.location or session.online_url
    if session.format == INTERVISION:
        group = session.community.name if session.community_id else session.title
        summary, description = f"{intervision_label} — {group}", ""
    else:
        summary = session.title
        description = session.description
        if session.online_url and session.location:
            description = f"{description}\n\n{session.online_url}".strip()
    return FeedEvent(
        uid=session.uid,
        sequence=session.sequence,
        start=session.start,
        end=session.end,
        timezone=session.timezone,
        summary=summary,
        location=location,
        url=url,
        description=description,
        status=status,
        last_modified=session.updated_at,
    )


def _zoned(moment: datetime, tzid: str | None) -> datetime:
    if tzid is None:
        return moment.astimezone(UTC)
    return moment.astimezone(ZoneInfo(tzid))


@lru_cache(maxsize=128)
def _usable_tzid(name: str) -> str | None:
    """The TZID to write, or None for UTC (a zone with no yearly rule is written in UTC)."""
    if name in ("UTC", "Etc/UTC"):
        return None
    try:
        vtimezone(name)
    except (UnsupportedTimezone, ValueError, KeyError):
        return None
    return name


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def build_publish_calendar(
    *,
    events: Iterable[FeedEvent],
    name: str,
    refresh_minutes: int,
    dtstamp: datetime,
    organizer: str,
) -> bytes:
    """A METHOD:PUBLISH calendar. ``organizer`` is a mailto: address (libical's PUBLISH table
    requires ORGANIZER); ``dtstamp`` a stable time such as the latest change."""
    events = sorted(events, key=lambda event: (event.start, event.uid))
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    refresh = timedelta(minutes=refresh_minutes)
    calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh))
    tzids = {name: _usable_tzid(name) for name in {event.timezone for event in events}}
    for tzid in sorted({tzid for tzid in tzids.values() if tzid}):
        calendar.add_component(vtimezone(tzid))
    stamp = _utc(dtstamp)
    for item in events:
        tzid = tzids[item.timezone]
        event = Event()
        event.add("UID", item.uid)
        event.add("SEQUENCE", item.sequence)
        event.add("DTSTAMP", stamp)
        event.add("DTSTART", _zoned(item.start, tzid))
        event.add("DTEND", _zoned(item.end, tzid))
        event.add("SUMMARY", item.summary)
        if item.location:
            event.add("LOCATION", item.location)
        if item.url:
            event.add("URL", item.url)
        if item.description:
            event.add("DESCRIPTION", item.description)
        event.add("STATUS", item.status)
        event.add("ORGANIZER", organizer)
        if item.last_modified is not None:
            event.add("LAST-MODIFIED", _utc(item.last_modified))
        calendar.add_component(event)
    return calendar.to_ical()
