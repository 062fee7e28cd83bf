"""The session pages over HTTP: what's on, a session, RSVP (htmx and not), scheduling one-off
sessions and series, editing and cancelling occurrences, attendance, takeaways, my agenda, the
home and community pages; bad input gets a message and changes nothing; list pages run a
constant number of queries."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.mail.models import OutboxMessage
from events.models import Rsvp, Series, Session, Takeaway
from events.series.recurrence import Frequency, Recurrence
from events.series.services.scheduling import series_create
from events.sessions.forms import EditSessionForm
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails
from learning.articles.services import article_create
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def client(client):
    """Pages in English (the strings asserted below)."""
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def members(community, member, coordinator):
    """Mia is a member of the public Python-gilde; Cora coordinates it."""
    MembershipFactory(user=member, community=community)
    return community


def login(client, user):
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    """The messages this request added (not those left over from earlier ones)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def titles(page) -> list[str]:
    return [session.title for session in page.object_list]


def at(day: date, hour: int, minute: int = 0, zone=AMS) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def future_day(days: int = 14) -> date:
    return timezone.localdate() + timedelta(days=days)


def upcoming(community, title: str, days: int = 7, **fields) -> Session:
    day = future_day(days)
    fields.setdefault("start", at(day, 12))
    fields.setdefault("end", fields["start"] + timedelta(hours=1))
    fields.setdefault("location", "Zaal 1")
    return SessionFactory(community=community, title=title, **fields)


def past(community, title: str, days_ago: int = 7, **fields) -> Session:
    day = timezone.localdate() - timedelta(days=days_ago)
    return SessionFactory(
        community=community,
        title=title,
        start=at(day, 12),
        end=at(day, 13),
        location="Zaal 1",
        **fields,
    )


# --- What's on --------------------------------------------------------------------------------


def test_whats_on_lists_upcoming_sessions_the_viewer_may_see(
    client, members, member, private_community
):
    upcoming(members, "Public brown bag", days=3)
    upcoming(None, "Organisation lecture", days=4)
    upcoming(private_community, "Secret meeting", days=5)
    past(members, "Last month")
    upcoming(CommunityFactory(archived=True), "Archived", days=6)

    response = login(client, member).get("/sessions/")

    assert response.status_code == 200
    assert titles(response.context["page"]) == ["Public brown bag", "Organisation lecture"]
    assert "2 sessions" in response.content.decode()


def test_whats_on_filters_by_format_community_topic_and_dates(client, members, member):
    other = CommunityFactory(name="Frontend", slug="frontend")
    python = TopicFactory(name="Python", slug="python")
    members.topics.add(python)
    upcoming(members, "Brown bag", days=3, format="brown_bag")
    upcoming(members, "Workshop", days=10, format="workshop")
    upcoming(other, "Frontend talk", days=3, format="brown_bag")
    login(client, member)

    def listed(query):
        response = client.get("/sessions/", query)
        assert response.status_code == 200
        return titles(response.context["page"])

    assert listed({"format": "workshop"}) == ["Workshop"]
    assert listed({"community": "frontend"}) == ["Frontend talk"]
    assert listed({"topic": "python"}) == ["Brown bag", "Workshop"]
    day = future_day(10).isoformat()
    assert listed({"date_from": day, "date_to": day}) == ["Workshop"]
    assert listed({"date_to": future_day(3).isoformat(), "format": "brown_bag"}) == [
        "Brown bag",
        "Frontend talk",
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date"},
        {"format": "<script>"},
        {"date_from": "2030-02-01", "date_to": "2030-01-01"},
        {"community": "../../etc"},
    ],
)
def test_whats_on_garbage_filters_get_a_message_and_the_full_list(client, members, member, query):
    upcoming(members, "Brown bag", days=3)

    response = login(client, member).get("/sessions/", query)

    assert response.status_code == 400
    assert titles(response.context["page"]) == ["Brown bag"]
    assert "Some filters are not valid and were left out." in response.content.decode()


def test_whats_on_is_paginated(client, members, member):
    for number in range(23):
        upcoming(members, f"Session {number:02d}", days=3 + number)
    login(client, member)

    first = client.get("/sessions/")
    second = client.get("/sessions/", {"page": "2"})
    garbage = client.get("/sessions/", {"page": "abc"})

    assert len(first.context["page"].object_list) == 20
    assert titles(second.context["page"]) == ["Session 20", "Session 21", "Session 22"]
    assert garbage.context["page"].number == 1


def test_whats_on_needs_login(client):
    response = client.get("/sessions/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/sessions/"


# --- The session page -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_user", "staff"])
def test_session_page_of_a_private_community_is_404_for_outsiders(
    client, private_community, request, who
):
    session = upcoming(private_community, "Secret")
    response = login(client, request.getfixturevalue(who)).get(f"/sessions/{session.pk}/")
    assert response.status_code == 404


def test_session_page_unknown_id_is_404(client, member):
    assert login(client, member).get("/sessions/987654/").status_code == 404
    assert client.get("/sessions/abc/").status_code == 404


def test_session_page_shows_seats_left_my_status_and_who_is_going_to_members(
    client, members, member, other_user
):
    session = upcoming(members, "Workshop", capacity=3, max_guests=1)
    going = UserFactory(display_name="Gert Going")
    MembershipFactory(user=going, community=members)
    rsvp_set(session_id=session.pk, user=going, status="going", guests=1)
    rsvp_set(session_id=session.pk, user=member, status="maybe")

    response = login(client, member).get(f"/sessions/{session.pk}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "1 seat left" in page
    assert "(of 3)" in page
    assert "You might come." in page
    assert [r.user.name for r in response.context["going"]] == ["Gert Going"]
    assert [r.user.name for r in response.context["maybe"]] == ["Mia Member"]
    assert "Gert Going" in page
    assert "(+1 guest)" in page
    # Members do not see the waitlist nor remove buttons.
    assert "Waiting list" not in page
    assert "from the list" not in page

    # Someone outside the (public) community sees the session but not who comes.
    outsider = login(client, other_user).get(f"/sessions/{session.pk}/")
    assert outsider.status_code == 200
    assert outsider.context["attendees"] is None
    assert "Gert Going" not in outsider.content.decode()


def test_session_page_without_community_shows_who_is_going_to_everyone(client, member, other_user):
    session = upcoming(None, "Lecture")
    rsvp_set(session_id=session.pk, user=member, status="going")

    response = login(client, other_user).get(f"/sessions/{session.pk}/")

    assert [r.user.name for r in response.context["going"]] == ["Mia Member"]


def test_session_page_shows_my_waitlist_position_and_hosts_see_the_waitlist(
    client, members, member, coordinator
):
    session = upcoming(members, "Full workshop", capacity=1)
    first, second = UserFactory(display_name="Anna First"), UserFactory(display_name="Bob Second")
    rsvp_set(session_id=session.pk, user=coordinator, status="going")
    rsvp_set(session_id=session.pk, user=first, status="going")
    rsvp_set(session_id=session.pk, user=second, status="going")
    rsvp_set(session_id=session.pk, user=member, status="going")
    rsvp_set(session_id=session.pk, user=first, status="declined")

    mine = login(client, member).get(f"/sessions/{session.pk}/")
    assert mine.context["my_position"] == 2
    assert "You are on the waiting list: number 2." in mine.content.decode()
    assert "0 seats left" in mine.content.decode()

    session.hosts.set([coordinator])
    hosts_view = login(client, coordinator).get(f"/sessions/{session.pk}/")
    page = hosts_view.content.decode()
    assert [r.user.name for r in hosts_view.context["waitlisted"]] == ["Bob Second", "Mia Member"]
    assert [r.user.name for r in hosts_view.context["declined"]] == ["Anna First"]
    assert 'Remove <span class="visually-hidden">Bob Second</span> from the list' in page
    assert f'href="/sessions/{session.pk}/edit/"' in page
    assert f'href="/sessions/{session.pk}/attendance/"' in page


def test_session_page_shows_hybrid_choice_and_materials(client, members, member):
    session = upcoming(
        members,
        "Hybrid",
        online_url="https://meet.example.org/abc",
        online_capacity=2,
        materials="https://example.org/slides\nhttps://example.org/code",
    )

    page = login(client, member).get(f"/sessions/{session.pk}/").content.decode()

    assert "hybrid: in the room or online" in page
    assert "2 online places left" in page
    assert 'value="online"' in page
    assert 'value="in_room"' in page
    assert '<a href="https://example.org/slides" rel="noopener noreferrer">' in page
    assert '<a href="https://example.org/code" rel="noopener noreferrer">' in page


def test_session_page_times_in_viewer_zone_with_session_zone_when_different(client, members):
    london = UserFactory(timezone="Europe/London")
    session = upcoming(members, "Timed", start=datetime(2031, 3, 12, 12, 0, tzinfo=AMS))

    london_page = login(client, london).get(f"/sessions/{session.pk}/").content.decode()
    amsterdam_page = login(client, UserFactory()).get(f"/sessions/{session.pk}/").content.decode()

    assert "Wednesday 12 March 2031, 11:00–12:00" in london_page
    assert "your time, Europe/London" in london_page
    assert "Wednesday 12 March 2031, 12:00–13:00 in Europe/Amsterdam" in london_page
    assert "Wednesday 12 March 2031, 12:00–13:00" in amsterdam_page
    assert "your time" not in amsterdam_page


def test_session_page_takeaways_follow_their_visibility(
    client, members, member, coordinator, other_user
):
    session = past(members, "Past talk")
    author = UserFactory(display_name="Ada Author")
    MembershipFactory(user=author, community=members)
    for visibility in ["private", "community", "organisation"]:
        TakeawayFactory(
            session=session, author=author, title=f"{visibility} note", visibility=visibility
        )

    def shown(user):
        response = login(client, user).get(f"/sessions/{session.pk}/")
        return sorted(t.title for t in response.context["takeaways"])

    assert shown(author) == ["community note", "organisation note", "private note"]
    assert shown(member) == ["community note", "organisation note"]
    assert shown(coordinator) == ["community note", "organisation note"]
    assert shown(other_user) == ["organisation note"]


# --- RSVP -------------------------------------------------------------------------------------


def test_rsvp_going_redirects_back_with_a_message(client, members, member):
    session = upcoming(members, "Brown bag", capacity=10)

    response = login(client, member).post(f"/sessions/{session.pk}/rsvp/", {"status": "going"})

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    assert texts(response) == ["You are going. See you there!"]
    rsvp = Rsvp.objects.get(session=session, user=member)
    assert (rsvp.status, rsvp.guests, rsvp.mode, rsvp.position) == ("going", 0, "in_room", None)


def test_rsvp_with_htmx_returns_the_panel_only(client, members, member):
    session = upcoming(members, "Brown bag", capacity=1)
    rsvp_set(session_id=session.pk, user=UserFactory(), status="going")

    response = login(client, member).post(
        f"/sessions/{session.pk}/rsvp/", {"status": "going"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="rsvp-panel"')
    assert "<html" not in page
    assert "You are on the waiting list: number 1." in page
    assert "The session is full: you are on the waiting list, number 1." in page
    assert Rsvp.objects.get(session=session, user=member).position == 1


def test_rsvp_online_only_session_defaults_to_online(client, members, member):
    session = upcoming(members, "Webinar", location="", online_url="https://meet.example.org/x")

    login(client, member).post(f"/sessions/{session.pk}/rsvp/", {"status": "going"})

    assert Rsvp.objects.get(session=session, user=member).mode == "online"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "waitlisted"}, "Answer going, maybe or not going."),
        ({"status": ""}, "This field is required."),
        ({}, "This field is required."),
        ({"status": "going", "guests": "lots"}, "Give the number of guests as a whole number."),
        ({"status": "going", "guests": "1"}, "This session does not allow guests."),
        ({"status": "going", "guests": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"status": "going", "mode": "online"}, "This session cannot be followed online."),
        ({"status": "going", "mode": "teleport"}, "Choose in the room or online."),
    ],
)
def test_rsvp_bad_input_gets_a_message_and_changes_nothing(client, members, member, data, message):
    session = upcoming(members, "Brown bag", capacity=10)

    response = login(client, member).post(f"/sessions/{session.pk}/rsvp/", data)

    assert response.status_code == 302
    assert texts(response) == [message]
    assert not Rsvp.objects.filter(session=session).exists()


def test_rsvp_guests_over_the_limit_are_refused(client, members, member):
    session = upcoming(members, "Brown bag", capacity=10, max_guests=2)

    response = login(client, member).post(
        f"/sessions/{session.pk}/rsvp/", {"status": "going", "guests": "3"}
    )

    assert texts(response) == ["You may bring at most 2 guests."]
    assert not Rsvp.objects.exists()


def test_rsvp_after_the_deadline_only_declining_works(client, members, member):
    session = upcoming(members, "Brown bag", rsvp_deadline=timezone.now() - timedelta(hours=1))
    RsvpFactory(session=session, user=member, status="going")
    login(client, member)

    refused = client.post(f"/sessions/{session.pk}/rsvp/", {"status": "maybe"})
    assert texts(refused) == [
        "Sign-up for this session has closed; you can still say you are not coming."
    ]
    assert Rsvp.objects.get(session=session, user=member).status == "going"

    declined = client.post(f"/sessions/{session.pk}/rsvp/", {"status": "declined"})
    assert texts(declined) == ["Saved: you are not going."]
    assert Rsvp.objects.get(session=session, user=member).status == "declined"


def test_rsvp_to_cancelled_or_past_sessions_is_refused(client, members, member):
    cancelled = upcoming(members, "Cancelled", state="cancelled")
    over = past(members, "Over")
    login(client, member)

    assert texts(client.post(f"/sessions/{cancelled.pk}/rsvp/", {"status": "going"})) == [
        "This session has been cancelled."
    ]
    assert texts(client.post(f"/sessions/{over.pk}/rsvp/", {"status": "going"})) == [
        "This session is over."
    ]
    assert not Rsvp.objects.exists()


def test_rsvp_to_members_only_session_is_refused_to_non_members(client, members, other_user):
    session = upcoming(members, "Members only", members_only=True)

    response = login(client, other_user).post(f"/sessions/{session.pk}/rsvp/", {"status": "going"})

    assert texts(response) == ["This session is only for members of the community."]
    assert not Rsvp.objects.exists()


def test_rsvp_to_a_private_session_is_404_for_outsiders(client, private_community, other_user):
    session = upcoming(private_community, "Secret")
    response = login(client, other_user).post(f"/sessions/{session.pk}/rsvp/", {"status": "going"})
    assert response.status_code == 404
    assert not Rsvp.objects.exists()


def test_rsvp_get_is_not_allowed(client, members, member):
    session = upcoming(members, "Brown bag")
    assert login(client, member).get(f"/sessions/{session.pk}/rsvp/").status_code == 405


def test_declining_promotes_the_first_on_the_waitlist(client, members, member, other_user):
    session = upcoming(members, "Full", capacity=1)
    rsvp_set(session_id=session.pk, user=other_user, status="going")
    rsvp_set(session_id=session.pk, user=member, status="going")

    login(client, other_user).post(f"/sessions/{session.pk}/rsvp/", {"status": "declined"})

    page = login(client, member).get(f"/sessions/{session.pk}/").content.decode()
    assert Rsvp.objects.get(session=session, user=member).status == "going"
    assert "You are going." in page
    assert OutboxMessage.objects.filter(kind="waitlist_promoted").count() == 1


# --- Scheduling: one-off sessions and series --------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def next_month_second_wednesday() -> date:
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return nth_weekday(year, month, 2, 2)


def schedule_data(**overrides) -> dict:
    day = future_day(21)
    data = {
        "title": "Type hints in practice",
        "format": "brown_bag",
        "description": "Bring your lunch.",
        "guest_speaker": "",
        "start_date": day.isoformat(),
        "start_time": "12:00",
        "end_time": "13:00",
        "end_date": "",
        "timezone": "Europe/Amsterdam",
        "location": "Zaal 4.12",
        "online_url": "",
        "capacity": "20",
        "online_capacity": "",
        "rsvp_deadline_date": "",
        "rsvp_deadline_time": "",
        "materials": "",
        "max_guests": "0",
        "repeat": "once",
        "frequency": "weekly",
        "interval": "1",
        "weekday": "",
        "nth": "",
        "day": "",
        "ends": "until",
        "until": "",
        "count": "",
    }
    data.update(overrides)
    return data


def test_schedule_page_is_for_coordinators_only(
    client, members, member, coordinator, private_community, other_user
):
    assert (
        login(client, coordinator).get("/communities/python-gilde/sessions/new/").status_code == 200
    )
    assert login(client, member).get("/communities/python-gilde/sessions/new/").status_code == 404
    assert (
        client.post("/communities/python-gilde/sessions/new/", schedule_data()).status_code == 404
    )
    assert (
        login(client, other_user).get("/communities/security-champions/sessions/new/").status_code
        == 404
    )
    assert login(client, coordinator).get("/communities/nope/sessions/new/").status_code == 404
    assert not Session.objects.exists()


def test_schedule_a_one_off_session(client, members, coordinator, member):
    day = future_day(21)
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(
            hosts=[member.pk],
            rsvp_deadline_date=(day - timedelta(days=1)).isoformat(),
            rsvp_deadline_time="17:00",
            materials="https://example.org/slides\n\n https://example.org/repo ",
            online_url="https://meet.example.org/py",
            max_guests="1",
            members_only="on",
        ),
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    assert texts(response) == ["The session has been scheduled."]
    assert (session.start, session.end) == (at(day, 12), at(day, 13))
    assert session.rsvp_deadline == at(day - timedelta(days=1), 17)
    assert session.capacity == 20
    assert session.materials == "https://example.org/slides\nhttps://example.org/repo"
    assert (session.max_guests, session.members_only, session.is_hybrid) == (1, True, True)
    assert list(session.hosts.all()) == [member]
    assert session.community == members


def test_schedule_takes_format_defaults_and_the_chosen_time_zone(client, members, coordinator):
    day = future_day(21)
    login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(
            title="Workshop",
            format="workshop",
            end_time="",
            capacity="",
            timezone="America/New_York",
        ),
    )
    login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(title="Unlimited", format="workshop", capacity="", no_seat_limit="on"),
    )
    login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(title="Knowledge", format="knowledge_session", capacity=""),
    )

    workshop = Session.objects.get(title="Workshop")
    new_york = ZoneInfo("America/New_York")
    assert workshop.start == at(day, 12, zone=new_york)
    assert workshop.end == at(day, 14, zone=new_york)
    assert (workshop.timezone, workshop.capacity) == ("America/New_York", 16)
    assert Session.objects.get(title="Unlimited").capacity is None
    assert Session.objects.get(title="Knowledge").capacity is None
    assert list(coordinator.hosted_sessions.order_by("title").values_list("title", flat=True)) == [
        "Knowledge",
        "Unlimited",
        "Workshop",
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "11:00"}, "The end must be after the start."),
        ({"end_time": "12:00"}, "The end must be after the start."),
        (
            {"end_date": (future_day(25)).isoformat(), "end_time": "12:00"},
            "A session can last at most 72 hours.",
        ),
        ({"capacity": "-1"}, "Ensure this value is greater than or equal to 1."),
        ({"capacity": "99999999999"}, "Ensure this value is less than or equal to 10000."),
        ({"max_guests": "11"}, "Ensure this value is less than or equal to 10."),
        ({"start_date": "2020-01-01"}, "A new session must start in the future."),
        ({"start_date": "2031-13-45"}, "Enter a valid date."),
        ({"start_time": "25:61"}, "Enter a valid time."),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
        (
            {"format": "intervision"},
            "Select a valid choice. intervision is not one of the available choices.",
        ),
        (
            {"timezone": "Mars/Olympus"},
            "Choose a time zone from the list, such as Europe/Amsterdam.",
        ),
        ({"location": ""}, "Give a location, an online meeting link, or both."),
        ({"online_url": "javascript:alert(1)"}, "Enter a valid URL."),
        (
            {"materials": "ftp://example.org/x"},
            "“ftp://example.org/x” is not a web address (http:// or https://).",
        ),
        (
            {"hosts": ["999999"]},
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
        ({"hosts": ["abc"]}, "“abc” is not a valid value."),
        (
            {"start_date": "2031-03-30", "start_time": "02:30", "end_time": "04:00"},
            "02:30 does not exist on that day in Europe/Amsterdam (the clocks change).",
        ),
        (
            {"rsvp_deadline_date": (future_day(22)).isoformat(), "rsvp_deadline_time": "10:00"},
            "The sign-up deadline must be before the start.",
        ),
        (
            {"repeat": "sometimes"},
            "Select a valid choice. sometimes is not one of the available choices.",
        ),
    ],
)
def test_schedule_bad_input_gets_a_message_and_creates_nothing(
    client, members, coordinator, overrides, message
):
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/", schedule_data(**overrides)
    )

    assert response.status_code == 400
    assert message in [
        str(error) for errors in response.context["form"].errors.values() for error in errors
    ]
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_schedule_host_must_be_an_active_member(client, members, coordinator, other_user):
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/", schedule_data(hosts=[other_user.pk])
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_schedule_a_monthly_series_on_the_second_wednesday(client, members, coordinator):
    first = next_month_second_wednesday()
    until = first + timedelta(days=60)

    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(
            start_date=first.isoformat(),
            repeat="repeats",
            frequency="monthly_weekday",
            nth="2",
            weekday="2",
            until=until.isoformat(),
        ),
    )

    series = Series.objects.get()
    occurrences = list(series.occurrences.order_by("start"))
    expected_days = [first]
    for months in (1, 2):
        year, month = (
            first.year + (first.month - 1 + months) // 12,
            (first.month - 1 + months) % 12 + 1,
        )
        day = nth_weekday(year, month, 2, 2)
        if day <= until:
            expected_days.append(day)
    assert response.status_code == 302
    assert response["Location"] == f"/series/{series.pk}/"
    assert [o.start for o in occurrences] == [at(day, 12) for day in expected_days]
    assert series.rrule.startswith("FREQ=MONTHLY;INTERVAL=1;BYDAY=2WE;UNTIL=")
    count = len(expected_days)
    assert texts(response) == [
        f"The series has been scheduled: {count} sessions are on the calendar."
    ]


def test_schedule_a_weekly_series_by_count(client, members, coordinator):
    login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(repeat="repeats", frequency="weekly", interval="2", ends="count", count="3"),
    )

    starts = list(Session.objects.order_by("start").values_list("start", flat=True))
    day = future_day(21)
    assert starts == [
        at(day, 12),
        at(day + timedelta(weeks=2), 12),
        at(day + timedelta(weeks=4), 12),
    ]
    assert Series.objects.get().rrule.endswith(";COUNT=3")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"until": ""}, "Say until when the series runs (at most 500 sessions)."),
        ({"ends": "count", "count": ""}, "Say how many sessions the series has."),
        ({"ends": "count", "count": "501"}, "Ensure this value is less than or equal to 500."),
        ({"until": "2045-01-01"}, "A series has at most 500 sessions."),
        ({"until": "2020-01-01"}, "The series must end after it starts."),
        (
            {"frequency": "monthly_weekday", "nth": "5", "until": "2040-01-01"},
            "Select a valid choice. 5 is not one of the available choices.",
        ),
        (
            {"frequency": "monthly_day", "day": "0", "until": "2040-01-01"},
            "Select a valid choice. 0 is not one of the available choices.",
        ),
        (
            {"frequency": "daily", "until": "2040-01-01"},
            "Select a valid choice. daily is not one of the available choices.",
        ),
        (
            {"interval": "13", "until": "2040-01-01"},
            "Ensure this value is less than or equal to 12.",
        ),
        (
            {"day": "31", "frequency": "monthly_day", "until": "2040-01-01"},
            "Select a valid choice. 31 is not one of the available choices.",
        ),
    ],
)
def test_schedule_series_bad_input_gets_a_message_and_creates_nothing(
    client, members, coordinator, overrides, message
):
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(repeat="repeats", **overrides),
    )

    assert response.status_code == 400
    assert message in [
        str(e) for errors in response.context["form"].errors.values() for e in errors
    ]
    assert not Series.objects.exists()
    assert not Session.objects.exists()


# --- Editing and cancelling -------------------------------------------------------------------


def weekly_series(community, actor, count: int = 3) -> Series:
    day = future_day(7)
    return series_create(
        community=community,
        actor=actor,
        details=SessionDetails(
            title="Lean Coffee",
            format="meetup",
            start=at(day, 9),
            end=at(day, 10),
            location="Koffiehoek",
            capacity=10,
        ),
        recurrence=Recurrence(frequency=Frequency.WEEKLY, count=count),
    )


def edit_data(session: Session, **overrides) -> dict:

    initial = EditSessionForm.initial_for(session)
    data = {}
    for key, value in initial.items():
        if value is None or value is False:
            continue
        if key == "hosts":
            data[key] = [host.pk for host in value]
        elif isinstance(value, (date, time)):
            data[key] = value.strftime("%H:%M") if isinstance(value, time) else value.isoformat()
        elif value is True:
            data[key] = "on"
        else:
            data[key] = str(value)
    data.update(overrides)
    return data


def test_edit_page_is_for_hosts_and_coordinators(client, members, member, coordinator, other_user):
    session = upcoming(members, "Talk")
    host = UserFactory()
    session.hosts.set([host])

    assert login(client, coordinator).get(f"/sessions/{session.pk}/edit/").status_code == 200
    assert login(client, host).get(f"/sessions/{session.pk}/edit/").status_code == 200
    assert login(client, member).get(f"/sessions/{session.pk}/edit/").status_code == 404
    assert login(client, other_user).post(f"/sessions/{session.pk}/edit/", {}).status_code == 404


def test_edit_form_shows_times_in_the_session_zone(client, members, coordinator):
    session = upcoming(
        members,
        "Remote",
        start=datetime(2031, 3, 12, 9, 0, tzinfo=ZoneInfo("America/New_York")),
        timezone="America/New_York",
    )

    form = login(client, coordinator).get(f"/sessions/{session.pk}/edit/").context["form"]

    assert (form["start_date"].value(), form["start_time"].value(), form["end_time"].value()) == (
        date(2031, 3, 12),
        time(9, 0),
        time(10, 0),
    )
    assert "scope" not in form.fields


def test_edit_a_one_off_session(client, members, coordinator):
    session = upcoming(members, "Talk", capacity=10)
    sequence = session.sequence

    response = login(client, coordinator).post(
        f"/sessions/{session.pk}/edit/",
        edit_data(session, title="Better talk", location="Zaal 2", capacity="12"),
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert texts(response) == ["Your changes have been saved."]
    assert (session.title, session.location, session.capacity) == ("Better talk", "Zaal 2", 12)
    assert session.sequence == sequence + 1


def test_edit_capacity_below_the_seats_taken_is_refused(client, members, coordinator):
    session = upcoming(members, "Talk", capacity=10)
    for _ in range(2):
        rsvp_set(session_id=session.pk, user=UserFactory(), status="going")

    response = login(client, coordinator).post(
        f"/sessions/{session.pk}/edit/", edit_data(session, capacity="1", title="Changed")
    )

    session.refresh_from_db()
    assert response.status_code == 400
    assert "2 seats are taken: lower the capacity only after people cancel." in (
        response.content.decode()
    )
    assert (session.capacity, session.title) == (10, "Talk")


def test_edit_a_cancelled_session_is_refused(client, members, coordinator):
    session = upcoming(members, "Talk", state="cancelled")

    response = login(client, coordinator).get(f"/sessions/{session.pk}/edit/")

    assert response.status_code == 302
    assert texts(response) == ["A cancelled session cannot be changed."]


def test_edit_only_this_occurrence(client, members, coordinator):
    series = weekly_series(members, coordinator)
    _first, second, _third = series.occurrences.order_by("start")

    response = login(client, coordinator).post(
        f"/sessions/{second.pk}/edit/",
        edit_data(
            second, scope="this", title="Special edition", start_time="10:00", end_time="11:00"
        ),
    )

    assert response.status_code == 302
    assert list(series.occurrences.order_by("start").values_list("title", flat=True)) == [
        "Lean Coffee",
        "Special edition",
        "Lean Coffee",
    ]
    second.refresh_from_db()
    assert second.start.astimezone(AMS).time() == time(10, 0)
    assert second.edited_in_series is True


def test_edit_this_and_following_splits_the_series(client, members, coordinator):
    series = weekly_series(members, coordinator)
    _first, second, third = series.occurrences.order_by("start")

    response = login(client, coordinator).post(
        f"/sessions/{second.pk}/edit/",
        edit_data(
            second, scope="following", title="Lean Coffee 2.0", start_time="08:30", end_time="09:30"
        ),
    )

    assert texts(response) == ["This and the following sessions have been changed."]
    series.refresh_from_db()
    new = Series.objects.exclude(pk=series.pk).get()
    assert series.ended is True
    assert new.uid != series.uid
    assert list(series.occurrences.values_list("title", flat=True)) == ["Lean Coffee"]
    moved = list(new.occurrences.order_by("start"))
    assert [o.pk for o in moved] == [second.pk, third.pk]
    assert [o.title for o in moved] == ["Lean Coffee 2.0", "Lean Coffee 2.0"]
    assert [o.start.astimezone(AMS).time() for o in moved] == [time(8, 30), time(8, 30)]


def test_edit_the_whole_series(client, members, coordinator):
    series = weekly_series(members, coordinator)
    _first, _second, third = series.occurrences.order_by("start")

    response = login(client, coordinator).post(
        f"/sessions/{third.pk}/edit/", edit_data(third, scope="all", title="Lean Coffee ☕")
    )

    assert texts(response) == ["The whole series has been changed."]
    assert list(series.occurrences.values_list("title", flat=True)) == ["Lean Coffee ☕"] * 3


def test_edit_bad_scope_changes_nothing(client, members, coordinator):
    series = weekly_series(members, coordinator)
    first = series.occurrences.order_by("start").first()

    response = login(client, coordinator).post(
        f"/sessions/{first.pk}/edit/", edit_data(first, scope="everything", title="X")
    )

    assert response.status_code == 400
    assert set(series.occurrences.values_list("title", flat=True)) == {"Lean Coffee"}


def test_cancel_page_is_for_hosts_and_coordinators(client, members, member, coordinator):
    session = upcoming(members, "Talk")
    assert login(client, coordinator).get(f"/sessions/{session.pk}/cancel/").status_code == 200
    assert login(client, member).get(f"/sessions/{session.pk}/cancel/").status_code == 404
    assert client.post(f"/sessions/{session.pk}/cancel/", {"reason": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.state == "scheduled"


def test_cancel_a_session_tells_who_signed_up(client, members, member, coordinator):
    session = upcoming(members, "Talk")
    rsvp_set(session_id=session.pk, user=member, status="going")

    response = login(client, coordinator).post(
        f"/sessions/{session.pk}/cancel/", {"reason": "Speaker is ill"}
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert texts(response) == ["The session has been cancelled; everyone who signed up is told."]
    assert (session.state, session.cancel_reason) == ("cancelled", "Speaker is ill")
    assert list(
        OutboxMessage.objects.order_by("id").values_list("kind", "to_email", "calendar_method")
    ) == [
        ("calendar_request", "member@example.org", "REQUEST"),
        ("session_cancelled", "member@example.org", "CANCEL"),
    ]
    page = login(client, member).get(f"/sessions/{session.pk}/").content.decode()
    assert "Speaker is ill" in page
    assert "This session has been cancelled." in page


def test_cancel_reason_too_long_changes_nothing(client, members, coordinator):
    session = upcoming(members, "Talk")

    response = login(client, coordinator).post(
        f"/sessions/{session.pk}/cancel/", {"reason": "x" * 281}
    )

    session.refresh_from_db()
    assert response.status_code == 400
    assert "Ensure this value has at most 280 characters (it has 281)." in response.content.decode()
    assert session.state == "scheduled"


def test_cancel_the_rest_of_a_series(client, members, coordinator):
    series = weekly_series(members, coordinator)
    _first, second, _third = series.occurrences.order_by("start")

    response = login(client, coordinator).post(
        f"/sessions/{second.pk}/cancel/", {"reason": "Summer break", "scope": "rest"}
    )

    assert texts(response) == ["2 sessions have been cancelled."]
    assert list(series.occurrences.order_by("start").values_list("state", flat=True)) == [
        "scheduled",
        "cancelled",
        "cancelled",
    ]
    series.refresh_from_db()
    assert series.ended is True


def test_cancel_only_one_occurrence(client, members, coordinator):
    series = weekly_series(members, coordinator)
    _first, second, _third = series.occurrences.order_by("start")

    login(client, coordinator).post(
        f"/sessions/{second.pk}/cancel/", {"reason": "", "scope": "this"}
    )

    assert list(series.occurrences.order_by("start").values_list("state", flat=True)) == [
        "scheduled",
        "cancelled",
        "scheduled",
    ]


def test_schedule_a_series_beyond_the_horizon_lands_on_the_community(client, members, coordinator):
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(
            start_date="2031-01-08", repeat="repeats", frequency="weekly", ends="count", count="4"
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/communities/python-gilde/"
    assert texts(response) == [
        "The series has been scheduled. Its sessions appear on the calendar 120 days ahead."
    ]
    assert Series.objects.count() == 1
    assert not Session.objects.exists()


# --- Attendance and the hosts' list -----------------------------------------------------------


def test_attendance_checklist_marks_who_came_and_counts_no_shows(client, members, coordinator):
    session = past(members, "Yesterday", days_ago=1)
    came, stayed_away = UserFactory(display_name="Carla Came"), UserFactory(display_name="Nina No")
    RsvpFactory(session=session, user=came, status="going")
    RsvpFactory(session=session, user=stayed_away, status="going")
    login(client, coordinator)

    response = client.post(f"/sessions/{session.pk}/attendance/", {"attended": [str(came.pk)]})

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/attendance/"
    assert texts(response) == ["Attendance saved: 1 person came."]
    assert dict(Rsvp.objects.values_list("user__display_name", "attended")) == {
        "Carla Came": True,
        "Nina No": False,
    }
    page = client.get(f"/sessions/{session.pk}/attendance/").content.decode()
    assert "1 person came" in page
    assert "1 no-show" in page
    assert re.search(rf'value="{came.pk}"\s+id="attended-{came.pk}"\s+checked', page)
    assert re.search(rf'value="{stayed_away.pk}"\s+id="attended-{stayed_away.pk}"\s*>', page)


def test_attendance_before_the_start_is_refused(client, members, coordinator, member):
    session = upcoming(members, "Tomorrow")
    RsvpFactory(session=session, user=member, status="going")
    login(client, coordinator)

    page = client.get(f"/sessions/{session.pk}/attendance/").content.decode()
    response = client.post(f"/sessions/{session.pk}/attendance/", {"attended": [str(member.pk)]})

    assert "Attendance can be taken once the session has started." in page
    assert texts(response) == ["Attendance can be taken once the session has started."]
    assert Rsvp.objects.get().attended is None


@pytest.mark.parametrize("value", ["abc", "-1", "1" * 30, ""])
def test_attendance_garbage_ids_change_nothing(client, members, coordinator, member, value):
    session = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=session, user=member, status="going")

    response = login(client, coordinator).post(
        f"/sessions/{session.pk}/attendance/", {"attended": [value]}
    )

    assert texts(response) == ["That list of people is not valid."]
    assert Rsvp.objects.get().attended is None


def test_attendance_is_for_hosts_only(client, members, member):
    session = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=session, user=member, status="going")
    login(client, member)

    assert client.get(f"/sessions/{session.pk}/attendance/").status_code == 404
    assert (
        client.post(
            f"/sessions/{session.pk}/attendance/", {"attended": [str(member.pk)]}
        ).status_code
        == 404
    )
    assert Rsvp.objects.get().attended is None


def test_host_removes_someone_and_the_waitlist_moves_up(client, members, coordinator):
    session = upcoming(members, "Full", capacity=1)
    going, waiting = UserFactory(display_name="Greta Going"), UserFactory()
    rsvp_set(session_id=session.pk, user=going, status="going")
    rsvp_set(session_id=session.pk, user=waiting, status="going")
    rsvp = Rsvp.objects.get(user=going)

    response = login(client, coordinator).post(f"/sessions/{session.pk}/rsvps/{rsvp.pk}/remove/")

    assert response.status_code == 302
    assert texts(response) == ["Greta Going is no longer on the list."]
    assert dict(Rsvp.objects.values_list("user_id", "status")) == {
        going.pk: "declined",
        waiting.pk: "going",
    }


def test_remove_is_for_hosts_and_only_for_this_sessions_answers(
    client, members, member, coordinator
):
    session = upcoming(members, "Talk")
    other = upcoming(members, "Other talk")
    rsvp = RsvpFactory(session=session, user=UserFactory(), status="going")
    elsewhere = RsvpFactory(session=other, user=UserFactory(), status="going")

    assert (
        login(client, member).post(f"/sessions/{session.pk}/rsvps/{rsvp.pk}/remove/").status_code
        == 404
    )
    wrong = login(client, coordinator).post(f"/sessions/{session.pk}/rsvps/{elsewhere.pk}/remove/")
    assert texts(wrong) == ["That person has not answered for this session."]
    assert client.get(f"/sessions/{session.pk}/rsvps/{rsvp.pk}/remove/").status_code == 405
    assert set(Rsvp.objects.values_list("status", flat=True)) == {"going"}


# --- Takeaways --------------------------------------------------------------------------------


def test_takeaway_by_someone_who_came(client, members, member):
    session = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=session, user=member, status="going", attended=True)

    response = login(client, member).post(
        f"/sessions/{session.pk}/takeaways/",
        {"title": "Fixtures compose", "body": "Use factories.", "visibility": "community"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    assert texts(response) == ["Thank you: your takeaway has been saved."]
    takeaway = Takeaway.objects.get()
    assert (takeaway.title, takeaway.body, takeaway.visibility, takeaway.author) == (
        "Fixtures compose",
        "Use factories.",
        "community",
        member,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"title": "x" * 81, "visibility": "community"},
            "Ensure this value has at most 80 characters (it has 81).",
        ),
        (
            {"title": "Ok", "body": "y" * 1001, "visibility": "community"},
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
        ({"title": "", "visibility": "community"}, "This field is required."),
        (
            {"title": "Ok", "visibility": "world"},
            "Select a valid choice. world is not one of the available choices.",
        ),
    ],
)
def test_takeaway_bad_input_changes_nothing(client, members, member, data, message):
    session = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=session, user=member, status="going", attended=True)

    response = login(client, member).post(f"/sessions/{session.pk}/takeaways/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Takeaway.objects.exists()


def test_takeaway_from_people_who_did_not_come_or_before_the_start_is_refused(
    client, members, member, other_user
):
    over = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=over, user=member, status="going", attended=False)
    soon = upcoming(members, "Tomorrow")
    RsvpFactory(session=soon, user=member, status="going")
    data = {"title": "Learned", "visibility": "organisation"}
    refusal = ["Takeaways can be added from the start of the session by people who came."]

    assert texts(login(client, member).post(f"/sessions/{over.pk}/takeaways/", data)) == refusal
    assert texts(client.post(f"/sessions/{soon.pk}/takeaways/", data)) == refusal
    assert texts(login(client, other_user).post(f"/sessions/{over.pk}/takeaways/", data)) == refusal
    assert not Takeaway.objects.exists()


def test_takeaway_to_a_private_session_is_404_for_outsiders(client, private_community, other_user):
    session = past(private_community, "Secret", days_ago=1)
    response = login(client, other_user).post(
        f"/sessions/{session.pk}/takeaways/", {"title": "x", "visibility": "organisation"}
    )
    assert response.status_code == 404


def test_takeaway_form_shows_on_the_session_page_for_people_who_came(client, members, member):
    session = past(members, "Yesterday", days_ago=1)
    RsvpFactory(session=session, user=member, status="going")

    page = login(client, member).get(f"/sessions/{session.pk}/").content.decode()

    assert f'action="/sessions/{session.pk}/takeaways/"' in page
    assert "<legend>Who may read it</legend>" in page


# --- My agenda, home, community page ----------------------------------------------------------


def test_agenda_lists_my_answers_and_my_communities_sessions(client, members, member):
    elsewhere = CommunityFactory(name="Frontend", slug="frontend")
    mine = upcoming(members, "My community's talk", days=3)
    answered = upcoming(elsewhere, "Frontend talk I go to", days=4)
    upcoming(elsewhere, "Frontend talk I skip", days=5)
    declined = upcoming(elsewhere, "Frontend talk I declined", days=6)
    past(members, "Last week")
    RsvpFactory(session=answered, user=member, status="waitlisted", position=1)
    RsvpFactory(session=declined, user=member, status="declined")
    RsvpFactory(session=mine, user=member, status="going")

    response = login(client, member).get("/agenda/")
    page = response.content.decode()

    assert response.status_code == 200
    assert titles(response.context["page"]) == ["My community's talk", "Frontend talk I go to"]
    assert "You are going" in page
    assert "You are on the waiting list" in page


def test_agenda_month_view(client, members, member):
    upcoming(members, "March talk", start=datetime(2031, 3, 31, 23, 30, tzinfo=AMS))
    upcoming(members, "April talk", start=datetime(2031, 4, 1, 9, 0, tzinfo=AMS))
    upcoming(members, "February talk", start=datetime(2031, 2, 28, 9, 0, tzinfo=AMS))

    response = login(client, member).get("/agenda/", {"month": "2031-03"})

    assert response.status_code == 200
    assert [s.title for s in response.context["weeks"][-1][0]["sessions"]] == ["March talk"]
    assert [d["date"] for d in response.context["days_with_sessions"]] == [date(2031, 3, 31)]
    assert (response.context["previous"], response.context["following"]) == ("2031-02", "2031-04")
    assert len(response.context["weeks"]) == 6
    page = response.content.decode()
    assert "March 2031: 1 session" in page
    assert "April talk" not in page


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2031-13", "Give the month as YYYY-MM, e.g. 2026-03."),
        ("abc", "Give the month as YYYY-MM, e.g. 2026-03."),
        ("1999-12", "Give a month between 2000 and 2100."),
        ("x" * 500, "Give the month as YYYY-MM, e.g. 2026-03."),
        ("2031-3", "Give the month as YYYY-MM, e.g. 2026-03."),
    ],
)
def test_agenda_bad_month_gets_a_message_and_this_month(client, member, month, message):
    response = login(client, member).get("/agenda/", {"month": month})

    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [message]
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_home_shows_my_next_sessions(client, members, member):
    going = upcoming(members, "I go", days=3)
    maybe = upcoming(members, "Maybe", days=4)
    cancelled = upcoming(members, "Cancelled", days=5, state="cancelled")
    RsvpFactory(session=going, user=member, status="going")
    RsvpFactory(session=maybe, user=member, status="maybe")
    RsvpFactory(session=cancelled, user=member, status="going")

    response = login(client, member).get("/")

    assert [s.title for s in response.context["my_sessions"]] == ["I go"]
    assert "My next sessions" in response.content.decode()


def test_community_page_shows_upcoming_and_past_sessions_and_the_schedule_button(
    client, members, member, coordinator
):
    upcoming(members, "Next week", days=7)
    upcoming(members, "Tomorrow", days=1)
    old = past(members, "Last month", days_ago=30)
    past(members, "Last week", days_ago=7)
    TakeawayFactory(session=old, author=coordinator, title="Shared", visibility="organisation")
    TakeawayFactory(session=old, author=coordinator, title="Mine", visibility="private")

    coordinators_page = login(client, coordinator).get("/communities/python-gilde/")
    members_page = login(client, member).get("/communities/python-gilde/")

    assert [s.title for s in members_page.context["sessions"]] == ["Tomorrow", "Next week"]
    assert [s.title for s in members_page.context["past_sessions"]] == ["Last week", "Last month"]
    assert [s.takeaway_count for s in members_page.context["past_sessions"]] == [0, 1]
    assert [s.takeaway_count for s in coordinators_page.context["past_sessions"]] == [0, 2]
    assert 'href="/communities/python-gilde/sessions/new/"' in coordinators_page.content.decode()
    assert "sessions/new/" not in members_page.content.decode()


# --- A constant number of queries (rule 3) ----------------------------------------------------


def queries_for(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def populate(community, user, number: int, start: int = 0) -> list[Session]:
    """``number`` upcoming and as many past sessions with answers, hosts and takeaways."""
    sessions = []
    for index in range(start, start + number):
        session = upcoming(community, f"Upcoming {index}", days=1 + index % 60, capacity=30)
        session.hosts.set([user])
        RsvpFactory(session=session, user=user, status="going")
        RsvpFactory(session=session, user=UserFactory(), status="maybe")
        old = past(community, f"Past {index}", days_ago=1 + index % 60)
        TakeawayFactory(session=old, author=user, title="t", visibility="organisation")
        sessions += [session, old]
    return sessions


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/sessions/", {}),
        ("/sessions/", {"format": "brown_bag", "topic": "python", "community": "python-gilde"}),
        ("/agenda/", {}),
        ("/agenda/", {"month": "current"}),
        ("/communities/python-gilde/", {}),
        ("/", {}),
    ],
)
def test_list_pages_run_the_same_queries_for_1_and_50_sessions(
    client, members, member, url, params
):
    members.topics.add(TopicFactory(name="Python", slug="python"))
    if params.get("month") == "current":
        params = {"month": timezone.localdate().strftime("%Y-%m")}
    login(client, member)
    populate(members, member, 1)
    one = queries_for(client, url, **params)
    populate(members, member, 49, start=1)
    fifty = queries_for(client, url, **params)

    print(f"{url} {params} queries at 1: {one}, at 50: {fifty}")
    assert Session.objects.count() == 100
    assert one == fifty


def test_session_page_runs_the_same_queries_for_1_and_50_people_and_sessions(
    client, members, member, coordinator
):
    session = past(members, "Busy", days_ago=0, capacity=None)
    session.start = timezone.now() - timedelta(minutes=5)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    session.hosts.set([coordinator])

    def add(number: int):
        for _ in range(number):
            person = UserFactory()
            MembershipFactory(user=person, community=members)
            RsvpFactory(session=session, user=person, status="going", guests=0)
            RsvpFactory(session=session, user=UserFactory(), status="maybe")
            RsvpFactory(session=session, user=UserFactory(), status="declined")
            TakeawayFactory(session=session, author=person, title="t", visibility="organisation")
            upcoming(members, "Another session")
            # The articles panel registered by learning (events.extensions) draws these.
            article_create(author=coordinator, community=members, title="a").sessions.add(session)

    RsvpFactory(session=session, user=member, status="going")
    pages = [f"/sessions/{session.pk}/", f"/sessions/{session.pk}/attendance/"]

    def measure() -> list[int]:
        return [
            queries_for(login(client, member), pages[0]),
            queries_for(login(client, coordinator), pages[0]),
            queries_for(login(client, coordinator), pages[1]),
        ]

    add(1)
    one = measure()
    add(49)
    fifty = measure()

    print(f"session page queries (member, host, attendance) at 1: {one}, at 50: {fifty}")
    assert one == fifty
    # Member, host, attendance page; the articles panel (learning) is one query of the first two.
    assert one == [17, 15, 7]


def test_asking_for_more_sessions_than_the_horizon_holds_is_told_about_the_rest(
    client, members, coordinator
):
    response = login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(
            repeat="repeats", frequency="monthly_weekday", nth="1", ends="count", count="8"
        ),
    )

    series = Series.objects.get()
    made = series.occurrences.count()
    assert 3 <= made < 8  # 120 days hold four or five monthly sessions
    assert response["Location"] == f"/series/{series.pk}/"
    assert texts(response) == [
        f"The series has been scheduled: {made} sessions are on the calendar.",
        f"The other {8 - made} sessions appear by themselves once they are within 120 days.",
    ]


def test_series_page_lists_occurrences_with_my_answer_and_answers_the_series(
    client, members, member, coordinator
):
    series = series_create(
        community=members,
        actor=coordinator,
        details=SessionDetails(
            title="Maandelijkse brown-bag",
            format="brown_bag",
            start=at(future_day(7), 12),
            end=at(future_day(7), 13),
            timezone="Europe/Amsterdam",
            location="Zaal 1",
        ),
        recurrence=Recurrence(frequency=Frequency.WEEKLY, count=3),
    )
    _first, second, third = series.occurrences.order_by("start")
    rsvp_set(session_id=second.pk, user=member, status="declined")
    login(client, member)

    with CaptureQueriesContext(connection) as few:
        page = client.get(f"/series/{series.pk}/")
    assert page.status_code == 200
    assert [s.my_status for s in page.context["upcoming"]] == ["", "declined", ""]

    answered = client.post(f"/series/{series.pk}/rsvp/", {"status": "going", "from": "series"})
    assert answered["Location"] == f"/series/{series.pk}/"
    page = client.get(f"/series/{series.pk}/")
    assert [s.my_status for s in page.context["upcoming"]] == ["going", "going", "going"]
    assert page.context["series_going"] is True
    rsvp_set(session_id=third.pk, user=coordinator, status="going")
    with CaptureQueriesContext(connection) as same:
        client.get(f"/series/{series.pk}/")
    assert len(same) == len(few)


def test_monthly_series_without_which_weekday_follows_the_first_session(
    client, members, coordinator
):
    day = future_day(21)
    login(client, coordinator).post(
        "/communities/python-gilde/sessions/new/",
        schedule_data(repeat="repeats", frequency="monthly_weekday", ends="count", count="2"),
    )

    nth = (day.day - 1) // 7 + 1
    code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()]
    expected = f"BYDAY={nth if nth <= 4 else -1}{code}"
    assert Series.objects.get().rrule == f"FREQ=MONTHLY;INTERVAL=1;{expected};COUNT=2"


def _rsvp_post_queries(client, session, person, status: str) -> tuple[int, list[str]]:
    login(client, person)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/sessions/{session.pk}/rsvp/", {"status": status}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="rsvp-panel"')
    return len(captured), [q["sql"] for q in captured.captured_queries]


def test_an_htmx_rsvp_post_reads_the_session_once_for_its_panel(client, members, member):
    """The answer, the lock, the panel and the list of who is coming (updated in place): the
    page's other parts (takeaways, calendar links) are not built, and the session is not read
    before and after."""
    session = upcoming(members, "Brown bag", capacity=1)
    holder = UserFactory()
    MembershipFactory(user=holder, community=members)
    rsvp_set(session_id=session.pk, user=holder, status="going")
    MembershipFactory(user=UserFactory(), community=members)

    waitlisted, sql = _rsvp_post_queries(client, session, member, "going")
    # Declining frees the seat: the first in line is promoted and gets an invitation, the
    # holder a CANCEL (both rendered in this request).
    promoting, _sql = _rsvp_post_queries(client, session, holder, "declined")

    assert Rsvp.objects.get(session=session, user=member).status == "going"
    # Besides the lock: may they see it (before the lock), and the panel's read after it.
    reads = [q for q in sql if 'FROM "events_session"' in q and "FOR UPDATE" not in q]
    assert (waitlisted, promoting, len(reads)) == (21, 48, 2)


def test_an_htmx_answer_on_a_session_without_a_seat_limit_counts_who_goes(client, members, member):
    """Without a capacity the panel says how many go: that count comes from the panel's one
    read of the session, like the seats do when there is a limit."""
    session = upcoming(members, "Open brown bag")
    rsvp_set(session_id=session.pk, user=UserFactory(), status="going")

    login(client, member)
    response = client.post(
        f"/sessions/{session.pk}/rsvp/", {"status": "going"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "2 people going" in " ".join(response.content.decode().split())
