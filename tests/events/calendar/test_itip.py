"""The pure REQUEST/CANCEL builders of events/calendar/itip.py: exact lines, every reader."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import recurring_ical_events
from icalendar import Calendar

from events.calendar.ical.feed import Attendee, FeedEvent
from events.calendar.ical.itip import build_cancel, build_request
from events.calendar.ical.links import google_calendar_link, outlook_web_link
from tests.events.calendar.calendar_checks import check_calendar, unfold

STAMP = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ORGANIZER = "mailto:kennisplein@example.org"
ANNA = Attendee(email="anna@example.org", name="Anna de Vries", partstat="ACCEPTED")


def event(**overrides) -> FeedEvent:
    values = {
        "uid": "11111111-2222-3333-4444-555555555555@kennisplein",
        "sequence": 2,
        "start": datetime(2026, 6, 2, 10, 0, tzinfo=UTC),
        "end": datetime(2026, 6, 2, 11, 30, tzinfo=UTC),
        "timezone": "Europe/Amsterdam",
        "summary": "Brown bag",
        "location": "Zaal 4",
        "url": "https://kennisplein.example/sessions/7/",
        "description": "Over testen",
    }
    values.update(overrides)
    return FeedEvent(**values)


def request(events, attendee=ANNA) -> bytes:
    return build_request(
        events=events,
        attendee=attendee,
        organizer=ORGANIZER,
        organizer_name="Kennisplein",
        dtstamp=STAMP,
    )


def test_request_for_one_session_has_the_itip_lines_of_appendix_b():
    data = request([event()])
    lines = unfold(data.decode())
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kennisplein//Kennisplein//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert "UID:11111111-2222-3333-4444-555555555555@kennisplein" in lines
    assert "SEQUENCE:2" in lines
    assert "DTSTAMP:20260501T120000Z" in lines
    assert "DTSTART;TZID=Europe/Amsterdam:20260602T120000" in lines
    assert "DTEND;TZID=Europe/Amsterdam:20260602T133000" in lines
    assert "ORGANIZER;CN=Kennisplein:mailto:kennisplein@example.org" in lines
    assert (
        'ATTENDEE;CN="Anna de Vries";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;'
        "ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:anna@example.org"
    ) in lines
    assert "STATUS:CONFIRMED" in lines
    assert [line for line in lines if line.startswith("BEGIN:")] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VTIMEZONE",
        "BEGIN:DAYLIGHT",
        "BEGIN:STANDARD",
        "BEGIN:VEVENT",
    ]
    check_calendar(data)


def test_request_is_byte_identical_for_the_same_data():
    assert request([event()]) == request([event()])
    assert request([event()]) != request([event(sequence=3)])


def test_cancel_of_a_session_keeps_the_uid_and_says_cancelled():
    data = build_cancel(event=event(sequence=3), attendee=ANNA, organizer=ORGANIZER, dtstamp=STAMP)
    lines = unfold(data.decode())
    assert "METHOD:CANCEL" in lines
    assert "UID:11111111-2222-3333-4444-555555555555@kennisplein" in lines
    assert "SEQUENCE:3" in lines
    assert "STATUS:CANCELLED" in lines
    check_calendar(data)


SERIES_UID = "series-1@kennisplein"
FIRST = datetime(2026, 9, 2, 10, 0, tzinfo=UTC)  # Wednesdays 12:00 Amsterdam (CEST)


def series_events():
    master = event(
        uid=SERIES_UID,
        sequence=4,
        start=FIRST,
        end=FIRST + timedelta(hours=1),
        rrule="FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=6",
        exdates=(FIRST + timedelta(weeks=2),),
        url="",
    )
    moved = event(
        uid=SERIES_UID,
        sequence=4,
        start=FIRST + timedelta(weeks=4, hours=2),
        end=FIRST + timedelta(weeks=4, hours=3),
        recurrence_id=FIRST + timedelta(weeks=4),
        summary="Brown bag (later)",
    )
    return master, moved


def test_series_request_expands_to_the_pattern_minus_exdates_with_the_override():
    master, moved = series_events()
    data = request([moved, master])  # any order in, master first out
    text = data.decode()
    lines = unfold(text)
    assert "RRULE:FREQ=WEEKLY;COUNT=6;INTERVAL=1;BYDAY=WE" in lines
    assert "EXDATE;TZID=Europe/Amsterdam:20260916T120000" in lines
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20260930T120000" in lines
    assert text.index("RRULE") < text.index("RECURRENCE-ID")
    calendar = check_calendar(data)
    starts = [
        (occurrence.start.astimezone(UTC), str(occurrence["SUMMARY"]))
        for occurrence in recurring_ical_events.of(calendar).between(
            datetime(2026, 1, 1), datetime(2027, 1, 1)
        )
    ]
    # Across the change to winter time (25 Oct) the wall clock stays 12:00.
    assert sorted(starts) == [
        (datetime(2026, 9, 2, 10, 0, tzinfo=UTC), "Brown bag"),
        (datetime(2026, 9, 9, 10, 0, tzinfo=UTC), "Brown bag"),
        (datetime(2026, 9, 23, 10, 0, tzinfo=UTC), "Brown bag"),
        (datetime(2026, 9, 30, 12, 0, tzinfo=UTC), "Brown bag (later)"),
        (datetime(2026, 10, 7, 10, 0, tzinfo=UTC), "Brown bag"),
    ]


def test_cancel_of_one_occurrence_carries_its_recurrence_id_under_the_series_uid():
    _master, moved = series_events()
    data = build_cancel(event=moved, attendee=ANNA, organizer=ORGANIZER, dtstamp=STAMP)
    lines = unfold(data.decode())
    assert f"UID:{SERIES_UID}" in lines
    assert "RECURRENCE-ID;TZID=Europe/Amsterdam:20260930T120000" in lines
    vevent = lines[lines.index("BEGIN:VEVENT") :]
    assert not [line for line in vevent if line.startswith(("RRULE", "EXDATE"))]
    check_calendar(data)


def test_local_until_is_written_in_utc():
    master, _moved = series_events()
    local_until = FeedEvent(**{**master.__dict__, "rrule": "FREQ=WEEKLY;UNTIL=20261231T120000"})
    lines = unfold(request([local_until]).decode())
    assert "RRULE:FREQ=WEEKLY;UNTIL=20261231T110000Z" in lines


def test_one_invitation_is_one_calendar_object():
    with pytest.raises(ValueError, match="one UID"):
        request([event(), event(uid="other@kennisplein")])
    with pytest.raises(ValueError, match="at least one"):
        request([])


NASTY = "Koffie, thee; en\nnieuwe regel\rlos CR — 🎉 " + "é" * 40


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Europe/London", "America/New_York",
                                  "Asia/Kolkata", "UTC"])  # fmt: skip
def test_nasty_text_and_names_are_escaped_and_folded_for_every_reader(zone):
    nasty = event(
        summary=NASTY,
        location="Zaal 4, 2e verdieping; links",
        description="x" * 2500 + "\n" + "ü" * 2500,
        timezone=zone,
    )
    attendee = Attendee(email="zoë@example.org", name='Zoë "Z" Ünal\x07', partstat="ACCEPTED")
    data = request([nasty], attendee=attendee)
    assert max(len(line.encode()) for line in data.decode().split("\r\n")) <= 75
    calendar = check_calendar(data)
    (parsed,) = calendar.walk("VEVENT")
    # A lone CR is a line break in the text (RFC 5545 has only \\n).
    assert str(parsed["SUMMARY"]) == NASTY.replace("\r", "\n")
    assert str(parsed["DESCRIPTION"]) == "x" * 2500 + "\n" + "ü" * 2500
    assert parsed["ATTENDEE"].params["CN"] == "Zoë Z Ünal"
    cancel = build_cancel(event=nasty, attendee=attendee, organizer=ORGANIZER, dtstamp=STAMP)
    check_calendar(cancel)
    assert Calendar.from_ical(cancel)["METHOD"] == "CANCEL"


def test_web_calendar_links_carry_the_event_in_utc():

    item = event(summary="Koffie & taart", description="d" * 1500)
    google = urlsplit(google_calendar_link(item))
    query = parse_qs(google.query)
    assert (google.netloc, query["action"], query["text"]) == (
        "calendar.google.com",
        ["TEMPLATE"],
        ["Koffie & taart"],
    )
    assert query["dates"] == ["20260602T100000Z/20260602T113000Z"]
    assert query["details"] == ["d" * 1000 + "…\n\nhttps://kennisplein.example/sessions/7/"]
    outlook = parse_qs(urlsplit(outlook_web_link(item)).query)
    assert (outlook["startdt"], outlook["enddt"], outlook["location"]) == (
        ["2026-06-02T10:00:00Z"],
        ["2026-06-02T11:30:00Z"],
        ["Zaal 4"],
    )
