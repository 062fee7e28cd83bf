# ruff: noqa: F811 -- the permission matrix's world fixture is imported, then requested by name
"""The crafted inputs that gave server errors, each answered as bad input and changing nothing.

Unicode digits (``"²".isdigit()`` is true, ``int("²")`` fails), NUL bytes (PostgreSQL text cannot
hold one), dates at the end of the calendar (9999-12-31 in a western time zone overflows) and a
``next`` that is no URL. ``tests/test_fuzz.py`` looks for more of the same everywhere.
"""

from __future__ import annotations

import pytest

from communities.parsing import ascii_int
from events.calendar.services.replies import inbound_mail_process
from events.models import CalendarReply, Proposal, ProposalReview, Rsvp, Series, Session, Slot
from intervision.models import IntervisionSession
from tests.events.calendar.reply_mail import CLIENTS
from tests.events.sessions.test_views import schedule_data
from tests.test_permission_matrix import world  # noqa: F401

pytestmark = pytest.mark.django_db


def as_role(client, world, role):
    client.force_login(world["users"][role])
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "-1", " 1", "1e3", ""])
def test_ascii_int_takes_only_ascii_digits_that_fit_a_column(value):
    assert ascii_int(value) is None


@pytest.mark.parametrize(
    ("value", "number"), [("0", 0), ("42", 42), ("9" * 18, 10**18 - 1), (7, 7)]
)
def test_ascii_int_reads_plain_numbers(value, number):
    assert ascii_int(value) == number


@pytest.mark.parametrize("track", ["²", "٣", "9" * 30])
def test_festival_filter_with_a_strange_track_shows_the_whole_programme(client, world, track):
    response = as_role(client, world, "member").get(
        f"/festivals/{world['values']['fe_slug']}/", {"track": track}
    )
    assert response.status_code == 200
    assert b"Op het programma" in response.content


def test_proposal_with_unicode_digits_in_track_and_duration_is_refused(client, world):
    slug = world["values"]["fe_slug"]
    before = Proposal.objects.count()
    response = as_role(client, world, "member").post(
        f"/festivals/{slug}/propose/",
        {"title": "Een voorstel", "abstract": "Kort.", "track": "²", "duration": "²"},
    )
    assert response.status_code in (200, 400)
    assert Proposal.objects.count() == before


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/festivals/{fe_slug}/propose/", {"title": "a\x00b", "abstract": "x"}),
        ("/festivals/{fe_slug}/proposals/{fe_proposal}/", {"title": "t", "abstract": "a\x00b"}),
        ("/festivals/{fe_slug}/proposals/{fe_proposal}/review/", {"score": "3", "comment": "\x00"}),
        ("/intervision/sessions/{iv_session}/close/", {"theme": "a\x00b"}),
        ("/me/", {"display_name": "a\x00b"}),
    ],
)
def test_nul_in_free_text_is_a_400_and_changes_nothing(client, world, path, data):
    counts = (Proposal.objects.count(), ProposalReview.objects.count())
    states = list(IntervisionSession.objects.values_list("pk", "state"))
    response = as_role(client, world, "coordinator").post(path.format(**world["values"]), data)
    assert response.status_code == 400
    assert b"That request could not be read" in response.content
    assert (Proposal.objects.count(), ProposalReview.objects.count()) == counts
    assert list(IntervisionSession.objects.values_list("pk", "state")) == states


def test_nul_in_a_query_parameter_is_a_400(client, world):
    response = as_role(client, world, "member").get("/sessions/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_review_with_a_unicode_digit_score_is_refused(client, world):
    values = world["values"]
    response = as_role(client, world, "coordinator").post(
        f"/festivals/{values['fe_slug']}/proposals/{values['fe_proposal']}/review/",
        {"score": "²", "comment": "Goed"},
    )
    assert response.status_code == 302
    assert ProposalReview.objects.count() == 0


def test_programme_place_and_slot_with_unicode_digits_are_refused(client, world):
    slug = world["values"]["fe_slug"]
    slots = Slot.objects.count()
    cora = as_role(client, world, "coordinator")
    placed = cora.post(f"/festivals/{slug}/programme/place/", {"proposal": "²", "slot": "²"})
    slot = cora.post(
        f"/festivals/{slug}/programme/slots/",
        {"day": "2026-06-01", "start": "10:00", "end": "11:00", "room": "²"},
    )
    far = cora.post(
        f"/festivals/{slug}/programme/slots/",
        {"day": "0001-01-01", "start": "00:00", "end": "00:30", "room": ""},
    )
    assert (placed.status_code, slot.status_code, far.status_code) == (302, 302, 302)
    assert Slot.objects.count() == slots


def test_series_rsvp_with_a_unicode_digit_session_goes_back_to_the_next_occurrence(client, world):
    series = Series.objects.get(pk=world["values"]["public_series"])
    occurrence = series.occurrences.get()
    response = as_role(client, world, "member").post(
        f"/series/{series.pk}/rsvp/", {"status": "going", "session": "²"}
    )
    assert (response.status_code, response["Location"]) == (302, f"/sessions/{occurrence.pk}/")


def test_attendance_with_a_unicode_digit_is_refused(client, world):
    session_id = world["values"]["public_session"]
    response = as_role(client, world, "coordinator").post(
        f"/sessions/{session_id}/attendance/", {"attended": ["²"]}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/sessions/{session_id}/attendance/",
    )
    assert not Rsvp.objects.filter(session_id=session_id, attended=True).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_date": "9999-12-31", "timezone": "America/Los_Angeles"},
        {"start_date": "9999-12-31", "timezone": "Asia/Tokyo"},
        {"start_date": "0001-01-01", "timezone": "Asia/Tokyo"},
        {"repeat": "repeats", "frequency": "weekly", "ends": "until", "until": "9999-12-31"},
        {"end_date": "9999-12-31"},
        {"rsvp_deadline_date": "9999-12-31", "rsvp_deadline_time": "23:59"},
    ],
)
def test_dates_at_the_end_of_the_calendar_are_refused_with_a_message(client, world, overrides):
    before = (Session.objects.count(), Series.objects.count())
    response = as_role(client, world, "coordinator").post(
        f"/communities/{world['values']['public_slug']}/sessions/new/", schedule_data(**overrides)
    )
    assert response.status_code == 400
    assert b"Ensure this value is" in response.content
    assert (Session.objects.count(), Series.objects.count()) == before


@pytest.mark.parametrize("where", ["uid", "attendee", "message_id", "sender"])
def test_inbound_mail_with_a_nul_byte_is_rejected_cleanly(world, caplog, where):
    fields = {
        "to": "kennisplein+r.1.0123456789abcdef0123@localhost",
        "sender": "anna@example.org",
        "uid": "nul-session@kennisplein",
        "attendee": "anna@example.org",
        "partstat": "ACCEPTED",
        "sequence": 0,
        "organizer": "kennisplein@localhost",
    }
    builder = CLIENTS["outlook-desktop"]
    if where == "message_id":
        raw = builder(**fields, message_id="a\x00b@example.net")
    else:
        fields[where] = f"a\x00{fields[where]}"
        raw = builder(**fields)
    with caplog.at_level("INFO"):
        results = inbound_mail_process(raw)
    assert [result.outcome for result in results] == ["rejected"]
    assert results[0].reason == "a NUL byte in the message"
    assert not [record for record in caplog.records if record.exc_info]
    assert CalendarReply.objects.filter(reason="a NUL byte in the message").count() == 1
