"""VTIMEZONE components in RRULE form (pure: a zone name in, an icalendar component out).

Europe/Amsterdam is hand-checked against the published rules. Any other
zone is derived from zoneinfo's transitions: a zone whose last two transitions of a sample year
repeat every year as "the n-th / last <weekday> of <month>" gets a DAYLIGHT and a STANDARD with a
yearly RRULE; a zone without DST (Asia/Kolkata) gets a single STANDARD. icalendar's generated zones
(RDATE lists, DST an hour late) and fixed-offset TZIDs are never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

AMSTERDAM_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The years a derived yearly rule is checked against before it is trusted.
CHECK_YEARS = range(2024, 2041)


class UnsupportedTimezone(ValueError):
    """A zone whose transitions follow no single yearly weekday rule."""


@dataclass(frozen=True)
class Transition:
    utc: datetime  # the instant (aware, UTC)
    offset_from: timedelta
    offset_to: timedelta
    name: str  # abbreviation after the change
    dst: bool

    @property
    def local_start(self) -> datetime:
        """The wall-clock time of the change read in the offset before it (RFC 5545 §3.6.5)."""
        return (self.utc + self.offset_from).replace(tzinfo=None)


def _changes(zone: ZoneInfo, start: datetime, end: datetime, step: timedelta):
    """(moment, moment + step) for each step of [start, end) over which the offset changes."""
    moment = start
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        after_moment = moment + step
        after = after_moment.astimezone(zone).utcoffset()
        if after != before:
            yield moment, after_moment
        moment, before = after_moment, after


def transitions(zone: ZoneInfo, year: int) -> list[Transition]:
    """zoneinfo's offset changes during one year: the days that hold one (daily steps), the
    hour in the day (hourly steps), then the minute (bisection)."""
    found = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    hours = (
        hour
        for day, next_day in _changes(zone, start, end, timedelta(days=1))
        for hour in _changes(zone, day, next_day, timedelta(hours=1))
    )
    for moment, after_moment in hours:
        before = moment.astimezone(zone).utcoffset()
        after = after_moment.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, after_moment
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            found.append(Transition(high, before, after, local.tzname() or "", bool(local.dst())))
    return found


def _ordinal(day: datetime) -> str:
    """BYDAY for a date: ``-1SU`` for the last Sunday of its month, else ``2SU`` etc."""
    weekday = WEEKDAYS[day.weekday()]
    if (day + timedelta(days=7)).month != day.month:
        return f"-1{weekday}"
    return f"{(day.day - 1) // 7 + 1}{weekday}"


def _rule_date(year: int, month: int, byday: str) -> int:
    """The day of the month that BYDAY picks in a year."""
    ordinal, weekday = int(byday[:-2]), WEEKDAYS.index(byday[-2:])
    days = [
        d
        for d in range(1, 32)
        if _valid(year, month, d) and datetime(year, month, d).weekday() == weekday  # noqa: DTZ001
    ]
    return days[ordinal - 1] if ordinal > 0 else days[ordinal]


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime(year, month, day)  # noqa: DTZ001
    except ValueError:
        return False
    return True


def _zone_text(tzid: str) -> str:
    zone = ZoneInfo(tzid)
    sample = transitions(zone, 2026)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if not sample:
        offset = datetime(2026, 1, 1, tzinfo=UTC).astimezone(zone)
        for year in CHECK_YEARS:
            if transitions(zone, year):
                raise UnsupportedTimezone(tzid)
        lines += _component(
            "STANDARD",
            offset.utcoffset(),
            offset.utcoffset(),
            offset.tzname() or "",
            "19700101T000000",
        )
        lines.append("END:VTIMEZONE")
        return "\r\n".join(lines) + "\r\n"
    if len(sample) != 2:
        raise UnsupportedTimezone(tzid)
    parts = []
    for change in sample:
        local = change.local_start
        byday = _ordinal(local)
        # The rule must give zoneinfo's own transition in every year we check.
        for year in CHECK_YEARS:
            matching = [
                t
                for t in transitions(zone, year)
                if t.offset_to == change.offset_to and t.offset_from == change.offset_from
            ]
            if len(matching) != 1:
                raise UnsupportedTimezone(tzid)
            expected = matching[0].local_start
            if (
                expected.month != local.month
                or expected.day != _rule_date(year, local.month, byday)
                or expected.time() != local.time()
            ):
                raise UnsupportedTimezone(tzid)
        first = local.replace(year=1970, day=_rule_date(1970, local.month, byday))
        # The observance with the larger offset is DAYLIGHT, whatever zoneinfo's dst() says:
        # Europe/Dublin's "negative DST" (winter GMT flagged as DST, summer IST as standard)
        # is read an hour off by dateutil and vobject when written the other way round.
        parts.append(
            (
                "DAYLIGHT" if change.offset_to > change.offset_from else "STANDARD",
                change,
                first.strftime("%Y%m%dT%H%M%S"),
                f"FREQ=YEARLY;BYMONTH={local.month};BYDAY={byday}",
            )
        )
    # DAYLIGHT first, as in appendix A.
    parts.sort(key=lambda part: part[0] != "DAYLIGHT")
    for kind, change, dtstart, rrule in parts:
        lines += _component(kind, change.offset_from, change.offset_to, change.name, dtstart, rrule)
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines) + "\r\n"


def _format_offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _component(kind, offset_from, offset_to, name, dtstart, rrule=None) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"TZOFFSETFROM:{_format_offset(offset_from)}",
        f"TZOFFSETTO:{_format_offset(offset_to)}",
    ]
    if name and not name.lstrip("+-").isdigit():
        lines.append(f"TZNAME:{name}")
    lines.append(f"DTSTART:{dtstart}")
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines.append(f"END:{kind}")
    return lines


@lru_cache(maxsize=64)
def vtimezone_text(tzid: str) -> str:
    """The VTIMEZONE of a zone as iCalendar text (CRLF lines)."""
    if tzid == "Europe/Amsterdam":
        return AMSTERDAM_VTIMEZONE.replace("\n", "\r\n")
    return _zone_text(tzid)


def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of a zone as an icalendar component (a fresh one on every call)."""
    return Timezone.from_ical(vtimezone_text(tzid))
