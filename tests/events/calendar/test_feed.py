"""The pure PUBLISH builder of events/calendar/feed.py: bytes, escaping, folding, readers."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from icalendar import Calendar

from events.calendar.ical.feed import FeedEvent, build_publish_calendar, session_event
from tests.events.calendar.calendar_checks import check_calendar

STAMP = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ORGANIZER = "mailto:kennisplein@example.org"


def event(**overrides) -> FeedEvent:
    values = {
        "uid": "11111111-2222-3333-4444-555555555555@kennisplein",
        "sequence": 3,
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


def build(events, name="Mijn sessies") -> bytes:
    return build_publish_calendar(
        events=events, name=name, refresh_minutes=240, dtstamp=STAMP, organizer=ORGANIZER
    )


def test_publish_calendar_has_the_feed_properties_and_exact_event_lines():
    text = build([event()]).decode()
    assert text.startswith(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kennisplein//Kennisplein//NL\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:Mijn sessies\r\n"
        "X-WR-CALNAME:Mijn sessies\r\nREFRESH-INTERVAL;VALUE=DURATION:PT4H\r\n"
        "X-PUBLISHED-TTL:PT4H\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"
    )
    assert "DTSTART;TZID=Europe/Amsterdam:20260602T120000\r\n" in text
    assert "DTEND;TZID=Europe/Amsterdam:20260602T133000\r\n" in text
    assert "DTSTAMP:20260501T120000Z\r\n" in text
    assert "UID:11111111-2222-3333-4444-555555555555@kennisplein\r\n" in text
    assert "SEQUENCE:3\r\n" in text
    assert "STATUS:CONFIRMED\r\n" in text
    assert "ORGANIZER:mailto:kennisplein@example.org\r\n" in text
    assert "URL:https://kennisplein.example/sessions/7/\r\n" in text
    assert "ATTENDEE" not in text
    assert text.count("BEGIN:VTIMEZONE") == 1
    check_calendar(text.encode())


def test_publish_calendar_is_byte_identical_for_the_same_data_in_any_order():
    first = event(uid="a@kennisplein")
    second = event(
        uid="b@kennisplein",
        start=first.start + timedelta(days=1),
        end=first.end + timedelta(days=1),
    )
    assert build([first, second]) == build([second, first])
    assert b"UID:a@kennisplein" in build([first, second]).split(b"UID:b@kennisplein")[0]


def test_publish_calendar_one_vtimezone_per_tzid_in_use():
    zones = ["Europe/Amsterdam", "Europe/London", "America/New_York", "Asia/Kolkata"]
    events = [event(uid=f"{n}@kennisplein", timezone=zone) for n, zone in enumerate(zones + zones)]
    data = build(events)
    text = data.decode()
    assert [line for line in text.split("\r\n") if line.startswith("TZID:")] == [
        "TZID:America/New_York",
        "TZID:Asia/Kolkata",
        "TZID:Europe/Amsterdam",
        "TZID:Europe/London",
    ]
    assert "DTSTART;TZID=Asia/Kolkata:20260602T153000\r\n" in text
    assert "DTSTART;TZID=America/New_York:20260602T060000\r\n" in text
    check_calendar(data)


def test_publish_calendar_utc_session_has_no_vtimezone_and_no_tzid():
    data = build([event(timezone="UTC")])
    assert b"VTIMEZONE" not in data
    assert b"DTSTART:20260602T100000Z\r\n" in data
    check_calendar(data)


def test_publish_calendar_statuses_tentative_and_cancelled():
    data = build(
        [
            event(uid="t@kennisplein", status="TENTATIVE"),
            event(uid="c@kennisplein", status="CANCELLED"),
        ]
    )
    parsed = check_calendar(data)
    assert {str(e["UID"]): str(e["STATUS"]) for e in parsed.walk("VEVENT")} == {
        "t@kennisplein": "TENTATIVE",
        "c@kennisplein": "CANCELLED",
    }


def test_publish_calendar_bad_input_is_escaped_folded_and_round_trips():
    summary = "Koffie, taart; en\nmeer\rnog 🎉 Ĳsselmeer – Zoë"
    description = ("Ééñ regel, met; tekens\\ en 🎉 " * 200)[:5000]
    location = "Gebouw A; zaal 3, Utrecht"
    data = build([event(summary=summary, description=description, location=location)])
    text = data.decode()
    assert "SUMMARY:Koffie\\, taart\\; en\\nmeer\\nnog 🎉 Ĳsselmeer – Zoë\r\n" in text
    assert "LOCATION:Gebouw A\\; zaal 3\\, Utrecht\r\n" in text
    assert "\r" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    parsed = check_calendar(data)
    vevent = next(iter(parsed.walk("VEVENT")))
    assert str(vevent["SUMMARY"]) == summary.replace("\r", "\n")
    assert str(vevent["DESCRIPTION"]) == description
    assert len(str(vevent["DESCRIPTION"])) == 5000
    assert str(vevent["LOCATION"]) == location


def test_publish_calendar_non_ascii_calendar_name_round_trips():
    data = build([event()], name="Zoë's sessies — Kennisplein, Ĳ")
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Zoë's sessies — Kennisplein, Ĳ"
    check_calendar(data)


def test_publish_calendar_empty_feed_is_valid():
    data = build([])
    assert b"BEGIN:VEVENT" not in data
    check_calendar(data)


def _session(**overrides):
    values = {
        "uid": "s@kennisplein",
        "sequence": 1,
        "start": datetime(2026, 6, 2, 10, tzinfo=UTC),
        "end": datetime(2026, 6, 2, 11, tzinfo=UTC),
        "timezone": "Europe/Amsterdam",
        "title": "Casus: ruzie met de manager",
        "description": "Geheime casus van Piet",
        "location": "Kamer 2",
        "online_url": "",
        "format": "intervision",
        "state": "scheduled",
        "community_id": 5,
        "community": SimpleNamespace(name="Intervisiegroep Noord"),
        "updated_at": STAMP,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def test_session_event_intervision_shows_only_group_and_time_and_place():
    item = session_event(_session(), url="https://kennisplein.example/sessions/9/")
    assert (item.summary, item.description, item.location) == (
        "Intervision — Intervisiegroep Noord",
        "",
        "Kamer 2",
    )
    data = build([item])
    assert b"Geheime" not in data
    assert b"ruzie" not in data
    assert b"DESCRIPTION" not in data


def test_session_event_status_follows_state_and_waitlist():
    assert session_event(_session(format="workshop"), url="").status == "CONFIRMED"
    assert session_event(_session(format="workshop"), url="", tentative=True).status == "TENTATIVE"
    cancelled = _session(format="workshop", state="cancelled")
    assert session_event(cancelled, url="", tentative=True).status == "CANCELLED"
