"""The VTIMEZONEs of events/calendar/timezones.py, read literally, against zoneinfo."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
import vobject
from dateutil.tz import tzical

from events.calendar.ical.feed import usable_tzid
from events.calendar.ical.timezones import (
    AMSTERDAM_VTIMEZONE,
    UnsupportedTimezone,
    transitions,
    vtimezone,
    vtimezone_text,
)
from tests.events.calendar.calendar_checks import (
    libical_offsets,
    literal_vtimezones,
    vtimezone_mismatches,
)

ZONES = ["Europe/Amsterdam", "Europe/London", "America/New_York", "Asia/Kolkata"]


@pytest.mark.parametrize("tzid", ZONES)
def test_vtimezone_read_literally_matches_zoneinfo_every_quarter_hour_2026_to_2030(tzid):
    text = vtimezone_text(tzid)
    assert vtimezone_mismatches(text, tzid, first=2026, last=2030) == []


@pytest.mark.parametrize("tzid", ["Australia/Sydney", "America/Sao_Paulo", "Europe/Berlin"])
def test_vtimezone_of_other_zones_matches_zoneinfo_too(tzid):
    assert vtimezone_mismatches(vtimezone_text(tzid), tzid) == []


def test_vtimezone_amsterdam_is_appendix_a_exactly():
    assert vtimezone_text("Europe/Amsterdam") == AMSTERDAM_VTIMEZONE.replace("\n", "\r\n")
    components = literal_vtimezones(vtimezone_text("Europe/Amsterdam"))["Europe/Amsterdam"]
    assert components == [
        {
            "kind": "DAYLIGHT",
            "TZOFFSETFROM": "+0100",
            "TZOFFSETTO": "+0200",
            "TZNAME": "CEST",
            "DTSTART": "19700329T020000",
            "RRULE": "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        },
        {
            "kind": "STANDARD",
            "TZOFFSETFROM": "+0200",
            "TZOFFSETTO": "+0100",
            "TZNAME": "CET",
            "DTSTART": "19701025T030000",
            "RRULE": "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        },
    ]


def test_vtimezone_new_york_is_derived_with_second_and_first_sunday_rules():
    components = literal_vtimezones(vtimezone_text("America/New_York"))["America/New_York"]
    assert [(c["kind"], c["DTSTART"], c["RRULE"]) for c in components] == [
        ("DAYLIGHT", "19700308T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
        ("STANDARD", "19701101T020000", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
    ]


def test_vtimezone_kolkata_is_a_single_standard_without_rule():
    assert literal_vtimezones(vtimezone_text("Asia/Kolkata"))["Asia/Kolkata"] == [
        {
            "kind": "STANDARD",
            "TZOFFSETFROM": "+0530",
            "TZOFFSETTO": "+0530",
            "TZNAME": "IST",
            "DTSTART": "19700101T000000",
        }
    ]


def test_vtimezone_has_no_rdate_and_no_icalendar_comment():
    for tzid in ZONES:
        text = vtimezone_text(tzid)
        assert "RDATE" not in text
        assert "COMMENT" not in text
        assert vtimezone(tzid)["TZID"] == tzid


def test_vtimezone_zone_without_yearly_rule_is_refused():
    # Morocco's DST follows Ramadan: no yearly weekday rule exists.
    with pytest.raises(UnsupportedTimezone):
        vtimezone_text("Africa/Casablanca")


def test_literal_reader_catches_an_onset_one_hour_late():
    # icalendar's generated DAYLIGHT starts at 03:00 local: the checker must notice.
    late = vtimezone_text("Europe/Amsterdam").replace("19700329T020000", "19700329T030000")
    wrong = vtimezone_mismatches(late, "Europe/Amsterdam", first=2026, last=2026)
    assert wrong == [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(4)
    ]


# --- every zone the time-zone field offers, read by every reader ----------------------------


def _every_zone() -> dict[str, str]:
    """Each zone of the time-zone field with its VTIMEZONE; the ones without a yearly rule are
    written in UTC by the feed builder (``usable_tzid``), so they carry none."""
    zones = {}
    for tzid in sorted(available_timezones()):
        try:
            zones[tzid] = vtimezone_text(tzid)
        except UnsupportedTimezone:
            assert usable_tzid(tzid) is None
    return zones


def _instants(tzid: str) -> list[datetime]:
    """Around every change of 2026–2028 (an hour and a minute either side) and each month."""
    zone = ZoneInfo(tzid)
    moments = [datetime(year, month, 15, 12, tzinfo=UTC) for year in (2026, 2027)
               for month in range(1, 13)]  # fmt: skip
    for year in (2026, 2027, 2028):
        for change in transitions(zone, year):
            for delta in (-60, -1, 0, 1, 60):
                moments.append(change.utc + timedelta(minutes=delta))
    return moments


def test_every_zone_of_the_timezone_field_reads_identically_in_dateutil_vobject_and_libical():
    zones = _every_zone()
    assert len(zones) > 500  # the field offers every zoneinfo zone
    wrong = {}
    libical_request = {}
    for tzid, text in zones.items():
        zone = ZoneInfo(tzid)
        instants = _instants(tzid)
        expected = [moment.astimezone(zone).utcoffset() for moment in instants]
        dateutil_zone = tzical(io.StringIO(text)).get(tzid)
        calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + text
        vobject_zone = vobject.readOne(calendar + "END:VCALENDAR\r\n").vtimezone.gettzinfo()
        for reader, reading in (
            ("dateutil", [m.astimezone(dateutil_zone).utcoffset() for m in instants]),
            ("vobject", [m.astimezone(vobject_zone).utcoffset() for m in instants]),
        ):
            if reading != expected:
                wrong[(tzid, reader)] = [
                    (m, got, want) for m, got, want in zip(instants, reading, expected, strict=True)
                    if got != want
                ][:3]  # fmt: skip
        libical_request[tzid] = (text, [int(m.timestamp()) for m in instants])
        libical_request[tzid + "#expected"] = [int(o.total_seconds()) for o in expected]
    expected_seconds = {k: libical_request.pop(k + "#expected") for k in list(zones)}
    for tzid, offsets in libical_offsets(libical_request).items():
        if offsets != expected_seconds[tzid]:
            wrong[(tzid, "libical")] = offsets[:3]
    assert wrong == {}


def test_dublin_negative_dst_is_written_with_summer_as_daylight():
    # zoneinfo flags Irish winter time (GMT) as the DST; readers expect the larger offset there.
    components = literal_vtimezones(vtimezone_text("Europe/Dublin"))["Europe/Dublin"]
    assert [(c["kind"], c["TZOFFSETFROM"], c["TZOFFSETTO"], c["TZNAME"], c["DTSTART"])
            for c in components] == [
        ("DAYLIGHT", "+0000", "+0100", "IST", "19700329T010000"),
        ("STANDARD", "+0100", "+0000", "GMT", "19701025T020000"),
    ]  # fmt: skip
