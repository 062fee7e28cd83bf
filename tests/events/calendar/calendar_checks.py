"""Independent readers for every calendar the tests produce.

``check_calendar(data)`` parses with icalendar and with vobject (validate=True), asserts no missing
TZID, no content line over 75 octets, every VTIMEZONE correct when read literally, and runs
libical's restriction check with Debian's /usr/bin/python3 in a subprocess.
"""

from __future__ import annotations

import bisect
import json
import subprocess
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import vobject
from dateutil.rrule import rrulestr
from icalendar import Calendar

from tests.services import unavailable

DEBIAN_PYTHON = "/usr/bin/python3"
LIBICAL_CHECK = Path(__file__).with_name("libical_check.py")
LIBICAL_OFFSETS = Path(__file__).with_name("libical_offsets.py")


def unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith((" ", "\t")) and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[3:5])
    seconds = int(text[5:7]) if len(text) > 5 else 0
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


def literal_vtimezones(text: str) -> dict[str, list[dict]]:
    """Each VTIMEZONE's sub-components as raw strings, read line by line from the text."""
    zones: dict[str, list[dict]] = {}
    tzid, current = None, None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VTIMEZONE":
            tzid = ""
        elif tzid is not None and name == "TZID" and current is None:
            tzid = value
            zones[tzid] = []
        elif line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {"kind": value}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            zones[tzid].append(current)
            current = None
        elif line == "END:VTIMEZONE":
            tzid = None
        elif current is not None:
            current[name] = value
    return zones


def literal_offset_function(components: list[dict], until: datetime):
    """UTC instant → UTC offset, from the components' DTSTART, TZOFFSETFROM/TO and RRULE only."""
    onsets: list[tuple[datetime, timedelta]] = []
    for part in components:
        start = datetime.strptime(part["DTSTART"], "%Y%m%dT%H%M%S")
        offset_from, offset_to = _offset(part["TZOFFSETFROM"]), _offset(part["TZOFFSETTO"])
        assert "RDATE" not in part, "RRULE form only"
        local_times = (
            list(rrulestr(part["RRULE"], dtstart=start).between(start, until, inc=True))
            if "RRULE" in part
            else [start]
        )
        for local in local_times:
            onsets.append(((local - offset_from).replace(tzinfo=UTC), offset_to))
    onsets.sort()
    instants = [instant for instant, _ in onsets]

    def offset_at(moment: datetime) -> timedelta:
        index = bisect.bisect_right(instants, moment) - 1
        assert index >= 0, f"no observance before {moment}"
        return onsets[index][1]

    return offset_at


def vtimezone_mismatches(text: str, tzid: str, *, first=2026, last=2030) -> list[datetime]:
    """Quarter-hours of the years first..last where the literal reading differs from zoneinfo."""
    components = literal_vtimezones(text)[tzid]
    end = datetime(last + 1, 1, 1, tzinfo=UTC)
    offset_at = literal_offset_function(components, end.replace(tzinfo=None) + timedelta(days=1))
    zone = ZoneInfo(tzid)
    wrong = []
    moment = datetime(first, 1, 1, tzinfo=UTC)
    step = timedelta(minutes=15)
    while moment < end:
        if offset_at(moment) != moment.astimezone(zone).utcoffset():
            wrong.append(moment)
        moment += step
    return wrong


@lru_cache(maxsize=1)
def libical_available() -> bool:
    try:
        result = subprocess.run(
            [DEBIAN_PYTHON, "-c", "import gi; gi.require_version('ICalGLib','3.0')"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def libical_errors(data: bytes) -> str:
    if not libical_available():
        unavailable("libical's Python bindings (Debian gir1.2-ical-3.0 + python3-gi) are missing")
    result = subprocess.run(
        [DEBIAN_PYTHON, str(LIBICAL_CHECK)], input=data, capture_output=True, timeout=60
    )
    return (result.stdout + result.stderr).decode() if result.returncode else ""


def libical_offsets(zones: dict[str, tuple[str, list[int]]]) -> dict[str, list[int]]:
    """libical's UTC offset (seconds) at each instant, per VTIMEZONE text: one subprocess."""
    if not libical_available():
        unavailable("libical's Python bindings (Debian gir1.2-ical-3.0 + python3-gi) are missing")
    result = subprocess.run(
        [DEBIAN_PYTHON, str(LIBICAL_OFFSETS)],
        input=json.dumps(zones).encode(),
        capture_output=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def check_calendar(data: bytes) -> Calendar:
    """Every independent reader accepts the calendar; returns icalendar's parse."""
    text = data.decode("utf-8")
    too_long = [line for line in text.split("\r\n") if len(line.encode("utf-8")) > 75]
    assert too_long == []
    assert text.endswith("\r\n")
    calendar = Calendar.from_ical(data)
    assert calendar.get_missing_tzids() == set()
    parsed = vobject.readOne(text, validate=True)
    assert parsed.name == "VCALENDAR"
    for tzid in literal_vtimezones(text):
        assert vtimezone_mismatches(text, tzid) == [], tzid
    assert libical_errors(data) == ""
    return calendar
