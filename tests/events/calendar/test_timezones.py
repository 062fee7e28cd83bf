"""The VTIMEZONEs of events/calendar/timezones.py, read literally, against zoneinfo."""

from datetime import UTC, datetime, timedelta

import pytest

from events.calendar.ical.timezones import (
    AMSTERDAM_VTIMEZONE,
    UnsupportedTimezone,
    vtimezone,
    vtimezone_text,
)
from tests.events.calendar.calendar_checks import literal_vtimezones, vtimezone_mismatches

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
