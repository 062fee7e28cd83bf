"""iTIP calendars for invitation mail (METHOD:REQUEST and METHOD:CANCEL): data in, bytes out.

Pure like ``feed``: ``FeedEvent`` values and one ``Attendee`` in, deterministic bytes out. A mail
goes to one person, so each calendar lists only that attendee.
``dtstamp`` is when the outbox row was made, so a re-send of the row is byte-identical.

What one calendar object can be:
- a one-off session: one VEVENT under the session's UID;
- a series: the master VEVENT (RRULE, EXDATE) plus one VEVENT per override, all under the
  series' UID, the overrides with RECURRENCE-ID = the original start;
- one occurrence of a series: a single VEVENT with RECURRENCE-ID under the series' UID (an update
  of, or the cancellation of, that one instance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from icalendar import Calendar

from events.calendar.ical.feed import PRODID, Attendee, FeedEvent, usable_tzid, vevent
from events.calendar.ical.timezones import vtimezone

REQUEST = "REQUEST"
CANCEL = "CANCEL"
METHODS = (REQUEST, CANCEL)


def _itip_calendar(
    *,
    method: str,
    events: Sequence[FeedEvent],
    attendee: Attendee,
    organizer: str,
    organizer_name: str,
    dtstamp: datetime,
) -> bytes:
    if method not in METHODS:
        raise ValueError(f"unsupported method {method}")
    if not events:
        raise ValueError("an invitation needs at least one event")
    if len({event.uid for event in events}) != 1:
        raise ValueError("one calendar object (one UID) per invitation")
    # The master first, then overrides by their original start.
    ordered = sorted(
        events,
        key=lambda e: (e.recurrence_id is not None, e.recurrence_id or e.start, e.start),
    )
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    tzids = {name: usable_tzid(name) for name in {event.timezone for event in ordered}}
    for tzid in sorted({tzid for tzid in tzids.values() if tzid}):
        calendar.add_component(vtimezone(tzid))
    for item in ordered:
        calendar.add_component(
            vevent(
                item,
                tzid=tzids[item.timezone],
                dtstamp=dtstamp,
                organizer=organizer,
                organizer_name=organizer_name,
                attendee=attendee,
            )
        )
    return calendar.to_ical()


def build_request(
    *,
    events: Sequence[FeedEvent],
    attendee: Attendee,
    organizer: str,
    dtstamp: datetime,
    organizer_name: str = "",
) -> bytes:
    """A METHOD:REQUEST for one attendee: a new invitation or an update of the same UID.

    ``events``: one session, or a series master with its overrides, or one override alone.
    Every event keeps its own SEQUENCE (the caller passes the one it is sending)."""
    return _itip_calendar(
        method=REQUEST,
        events=events,
        attendee=attendee,
        organizer=organizer,
        organizer_name=organizer_name,
        dtstamp=dtstamp,
    )


def build_cancel(
    *,
    event: FeedEvent,
    attendee: Attendee,
    organizer: str,
    dtstamp: datetime,
    organizer_name: str = "",
) -> bytes:
    """A METHOD:CANCEL for one attendee: the whole object (no RECURRENCE-ID), or one instance
    (``event.recurrence_id`` set). STATUS:CANCELLED; a series master loses its RRULE/EXDATE,
    which a CANCEL does not need."""
    cancelled = replace(event, status="CANCELLED", rrule="", exdates=())
    return _itip_calendar(
        method=CANCEL,
        events=[cancelled],
        attendee=attendee,
        organizer=organizer,
        organizer_name=organizer_name,
        dtstamp=dtstamp,
    )
