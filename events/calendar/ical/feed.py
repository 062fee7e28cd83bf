"""PUBLISH calendars (feeds and the one-off "add to calendar" download): data in, bytes out.

Pure: ``FeedEvent`` values in, deterministic bytes out; no database access. The same data gives
the same bytes (stable UIDs, stable order, DTSTAMP passed in, no random VCALENDAR UID), which is
what makes the feeds' strong ETags and 304 answers work.

Recurring sessions: a feed uses the *expanded* model. Every
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

from icalendar import Calendar, Event, vCalAddress, vDuration, vRecur

from events.calendar.ical.timezones import UnsupportedTimezone, vtimezone

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
    # A series master (invitations only): its RRULE and the original starts it leaves out.
    rrule: str = ""
    exdates: tuple[datetime, ...] = ()
    # An occurrence override: the original start of the instance it replaces (same UID).
    recurrence_id: datetime | None = None


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
def usable_tzid(name: str) -> str | None:
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
    empty_tzid: str = "Europe/Amsterdam",
) -> bytes:
    """A METHOD:PUBLISH calendar. ``organizer`` is a mailto: address (libical's PUBLISH table
    requires ORGANIZER); ``dtstamp`` a stable time such as the latest change. A calendar needs
    at least one component (RFC 5545 §3.6): without events it carries the VTIMEZONE of
    ``empty_tzid``, which every reader accepts as an empty calendar."""
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
    tzids = {name: usable_tzid(name) for name in {event.timezone for event in events}}
    used = {tzid for tzid in tzids.values() if tzid}
    if not events:
        used = {usable_tzid(empty_tzid) or "Etc/GMT"}
    for tzid in sorted(used):
        calendar.add_component(vtimezone(tzid))
    stamp = _utc(dtstamp)
    for item in events:
        calendar.add_component(
            vevent(item, tzid=tzids[item.timezone], dtstamp=stamp, organizer=organizer)
        )
    return calendar.to_ical()


def rrule_for_calendar(rule: str, tzid: str | None) -> str:
    """The stored RRULE with UNTIL in UTC (RFC 5545 §3.3.10 when DTSTART has a TZID)."""
    parts = []
    for part in rule.split(";"):
        name, _, value = part.partition("=")
        if name == "UNTIL" and not value.endswith("Z"):
            if "T" in value:
                local = datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007 - zoned below
            else:
                local = datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)  # noqa: DTZ007
            zone = ZoneInfo(tzid) if tzid else UTC
            value = local.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    return ";".join(parts)


def vevent(
    item: FeedEvent,
    *,
    tzid: str | None,
    dtstamp: datetime,
    organizer: str,
    organizer_name: str = "",
    attendee: Attendee | None = None,
) -> Event:
    """One VEVENT in a stable property order; times in ``tzid`` (None: UTC)."""
    event = Event()
    event.add("UID", item.uid)
    event.add("SEQUENCE", item.sequence)
    event.add("DTSTAMP", _utc(dtstamp))
    event.add("DTSTART", _zoned(item.start, tzid))
    event.add("DTEND", _zoned(item.end, tzid))
    if item.recurrence_id is not None:
        event.add("RECURRENCE-ID", _zoned(item.recurrence_id, tzid))
    if item.rrule:
        event.add("RRULE", vRecur.from_ical(rrule_for_calendar(item.rrule, tzid)))
    for excluded in sorted(item.exdates):
        event.add("EXDATE", _zoned(excluded, tzid))
    event.add("SUMMARY", item.summary)
    if item.location:
        event.add("LOCATION", item.location)
    if item.url:
        event.add("URL", item.url)
    if item.description:
        event.add("DESCRIPTION", item.description)
    event.add("STATUS", item.status)
    params = {"CN": safe_display_name(organizer_name)} if organizer_name else {}
    event.add("ORGANIZER", vCalAddress(organizer), parameters=params)
    if attendee is not None:
        event.add(
            "ATTENDEE",
            vCalAddress("mailto:" + attendee.email),
            parameters={
                **({"CN": safe_display_name(attendee.name)} if attendee.name.strip() else {}),
                "CUTYPE": "INDIVIDUAL",
                "ROLE": attendee.role,
                "PARTSTAT": attendee.partstat,
                "RSVP": "TRUE" if attendee.rsvp else "FALSE",
            },
        )
    if item.last_modified is not None:
        event.add("LAST-MODIFIED", _utc(item.last_modified))
    return event


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = "REQ-PARTICIPANT"
    rsvp: bool = True


def safe_display_name(name: str) -> str:
    """A CN without quotes or control characters (clients show RFC 6868 escapes literally)."""
    return "".join(ch for ch in name if ch != '"' and ch.isprintable()).strip()[:120]
