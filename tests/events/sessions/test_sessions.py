"""Scheduling one-off sessions (create, update, cancel) and the first version of takeaways."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.models import Rsvp, Session, Takeaway
from events.sessions.services.rsvp import SessionNotFound, rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from events.takeaways.services import takeaway_create
from tests.factories import (
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
START = datetime(2030, 3, 12, 12, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def _details(**changes) -> SessionDetails:
    details = SessionDetails(
        title="Type hints in practice",
        format=Session.Format.BROWN_BAG,
        start=START,
        end=START + timedelta(hours=1),
        timezone="Europe/Amsterdam",
        location="Zaal 3.14",
        capacity=20,
    )
    return replace(details, **changes)


def _refused(code: str, call, **kwargs) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as raised:
        call(**kwargs)
    assert raised.value.code == code
    return raised.value


def _fields(session: Session) -> dict:
    session.refresh_from_db()
    return {
        "title": session.title,
        "start": session.start,
        "end": session.end,
        "location": session.location,
        "capacity": session.capacity,
        "description": session.description,
        "sequence": session.sequence,
        "state": session.state,
    }


# --- session_create ---------------------------------------------------------------------------


def test_session_create_stores_the_details_and_makes_the_actor_host(community, coordinator):
    session = session_create(
        community=community,
        actor=coordinator,
        details=_details(
            title="  Type hints in practice ",
            description="**Bring** a laptop",
            online_url="https://meet.example.org/types",
            rsvp_deadline=START - timedelta(days=1),
            materials="https://example.org/slides\nhttps://example.org/repo",
            guest_speaker=" Guido ",
            members_only=True,
            max_guests=1,
            online_capacity=50,
        ),
    )

    session.refresh_from_db()
    assert (session.title, session.format, session.community_id) == (
        "Type hints in practice",
        "brown_bag",
        community.pk,
    )
    assert (session.start, session.end) == (
        datetime(2030, 3, 12, 11, 0, tzinfo=UTC),
        datetime(2030, 3, 12, 12, 0, tzinfo=UTC),
    )
    assert (session.timezone, session.location, session.online_url) == (
        "Europe/Amsterdam",
        "Zaal 3.14",
        "https://meet.example.org/types",
    )
    assert (session.capacity, session.online_capacity, session.max_guests) == (20, 50, 1)
    assert (session.members_only, session.guest_speaker, session.sequence) == (True, "Guido", 0)
    assert session.rsvp_deadline == datetime(2030, 3, 11, 11, 0, tzinfo=UTC)
    assert session.materials_links() == ["https://example.org/slides", "https://example.org/repo"]
    assert (session.state, session.created_by_id) == ("scheduled", coordinator.pk)
    assert list(session.hosts.values_list("email", flat=True)) == ["coordinator@example.org"]
    assert session.uid.endswith("@kennisplein")


def test_session_create_with_named_hosts(community, coordinator):
    speaker = UserFactory(email="speaker@example.org")

    session = session_create(
        community=community, actor=coordinator, details=_details(host_ids=(speaker.pk,))
    )

    assert list(session.hosts.values_list("email", flat=True)) == ["speaker@example.org"]


def test_session_create_with_an_unknown_host_is_refused(community, coordinator):
    _refused(
        "hosts",
        session_create,
        community=community,
        actor=coordinator,
        details=_details(host_ids=(987654,)),
    )

    assert Session.objects.count() == 0


def test_session_create_by_a_member_is_refused(community):
    member = MembershipFactory(community=community).user

    error = _refused(
        "forbidden", session_create, community=community, actor=member, details=_details()
    )

    assert error.message == "Only the coordinators can schedule sessions here."
    assert Session.objects.count() == 0


def test_session_create_by_staff_in_a_public_community_is_allowed(community, private_community):
    staff = StaffFactory()

    session_create(community=community, actor=staff, details=_details())
    _refused(
        "forbidden", session_create, community=private_community, actor=staff, details=_details()
    )

    assert Session.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"title": "   "}, "title", "A session needs a title."),
        ({"format": "lecture"}, "format", "Choose a format."),
        (
            {"start": datetime(2030, 3, 12, 12, 0), "end": datetime(2030, 3, 12, 13, 0)},
            "naive",
            "Give the start and end with a time zone.",
        ),
        (
            {"rsvp_deadline": datetime(2030, 3, 11, 12, 0)},
            "naive",
            "Give the start and end with a time zone.",
        ),
        ({"timezone": "Mars/Olympus"}, "timezone", "Unknown time zone."),
        ({"end": START}, "end_before_start", "The end must be after the start."),
        (
            {"end": START - timedelta(minutes=1)},
            "end_before_start",
            "The end must be after the start.",
        ),
        (
            {"end": START + timedelta(hours=72, minutes=1)},
            "too_long",
            "A session can last at most 72 hours.",
        ),
        ({"capacity": 0}, "capacity", "Capacity must be at least 1, or empty for no limit."),
        ({"capacity": -3}, "capacity", "Capacity must be at least 1, or empty for no limit."),
        (
            {"online_capacity": 0},
            "capacity",
            "Online places must be at least 1, or empty for no limit.",
        ),
        ({"max_guests": 11}, "guests", "Allow between 0 and 10 guests per person."),
        ({"max_guests": -1}, "guests", "Allow between 0 and 10 guests per person."),
        (
            {"rsvp_deadline": START + timedelta(minutes=1)},
            "deadline",
            "The sign-up deadline must be before the start.",
        ),
        (
            {"location": "  ", "online_url": ""},
            "where",
            "Give a location, an online meeting link, or both.",
        ),
        (
            {"start": NOW - timedelta(minutes=1), "end": NOW + timedelta(hours=1)},
            "past",
            "A new session must start in the future.",
        ),
    ],
)
def test_session_create_bad_input_is_refused_and_creates_nothing(
    community, coordinator, changes, code, message
):
    error = _refused(
        code, session_create, community=community, actor=coordinator, details=_details(**changes)
    )

    assert error.message == message
    assert Session.objects.count() == 0


def test_session_create_of_exactly_72_hours_with_deadline_at_the_start_is_accepted(
    community, coordinator
):
    session = session_create(
        community=community,
        actor=coordinator,
        details=_details(
            format=Session.Format.HACKATHON,
            end=START + timedelta(hours=72),
            rsvp_deadline=START,
            capacity=None,
        ),
    )

    assert session.end - session.start == timedelta(hours=72)
    assert session.capacity is None


def test_session_create_online_only_is_accepted(community, coordinator):
    session = session_create(
        community=community,
        actor=coordinator,
        details=_details(location="", online_url="https://meet.example.org/x"),
    )

    assert (session.location, session.online_url, session.is_hybrid) == (
        "",
        "https://meet.example.org/x",
        False,
    )


# --- session_update ---------------------------------------------------------------------------


@pytest.fixture
def scheduled(community, coordinator):
    return session_create(community=community, actor=coordinator, details=_details())


@pytest.mark.parametrize(
    ("changes", "sequence"),
    [
        ({}, 0),
        ({"description": "Now with exercises"}, 0),
        ({"capacity": 30}, 0),
        ({"materials": "https://example.org/slides"}, 0),
        ({"max_guests": 2}, 0),
        ({"title": "Type hints, part 2"}, 1),
        ({"start": START + timedelta(minutes=30), "end": START + timedelta(hours=1)}, 1),
        ({"end": START + timedelta(hours=2)}, 1),
        ({"location": "Zaal 4.01"}, 1),
        ({"online_url": "https://meet.example.org/new"}, 1),
        ({"timezone": "Europe/Brussels"}, 1),
    ],
)
def test_session_update_raises_the_sequence_only_on_significant_changes(
    scheduled, coordinator, changes, sequence
):
    session_update(session_id=scheduled.pk, actor=coordinator, details=_details(**changes))

    assert _fields(scheduled)["sequence"] == sequence


def test_session_update_same_instant_in_another_zone_is_no_change(scheduled, coordinator):
    utc_start = START.astimezone(UTC)

    session_update(
        session_id=scheduled.pk,
        actor=coordinator,
        details=_details(start=utc_start, end=utc_start + timedelta(hours=1)),
    )

    assert _fields(scheduled)["sequence"] == 0


def test_session_update_twice_with_the_same_details_raises_the_sequence_once(
    scheduled, coordinator
):
    details = _details(title="Generics")

    session_update(session_id=scheduled.pk, actor=coordinator, details=details)
    session_update(session_id=scheduled.pk, actor=coordinator, details=details)

    assert _fields(scheduled)["sequence"] == 1


def test_session_update_stores_the_new_details(scheduled, coordinator):
    session_update(
        session_id=scheduled.pk,
        actor=coordinator,
        details=_details(title="Generics", location="Zaal 4.01", capacity=8),
    )

    assert _fields(scheduled) == {
        "title": "Generics",
        "start": datetime(2030, 3, 12, 11, 0, tzinfo=UTC),
        "end": datetime(2030, 3, 12, 12, 0, tzinfo=UTC),
        "location": "Zaal 4.01",
        "capacity": 8,
        "description": "",
        "sequence": 1,
        "state": "scheduled",
    }


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"end": START}, "end_before_start"),
        ({"end": START + timedelta(hours=73)}, "too_long"),
        ({"capacity": 0}, "capacity"),
        ({"start": datetime(2030, 3, 12, 12, 0), "end": datetime(2030, 3, 12, 13, 0)}, "naive"),
        ({"rsvp_deadline": START + timedelta(hours=1)}, "deadline"),
        ({"location": "", "online_url": ""}, "where"),
    ],
)
def test_session_update_bad_input_changes_nothing(scheduled, coordinator, changes, code):
    before = _fields(scheduled)

    _refused(
        code,
        session_update,
        session_id=scheduled.pk,
        actor=coordinator,
        details=_details(title="Changed", **changes),
    )

    assert _fields(scheduled) == before


def test_session_update_capacity_below_the_seats_taken_is_refused(scheduled, coordinator):
    for person in UserFactory.create_batch(3):
        rsvp_set(session_id=scheduled.pk, user=person, status="going")
    before = _fields(scheduled)

    error = _refused(
        "capacity_below_going",
        session_update,
        session_id=scheduled.pk,
        actor=coordinator,
        details=_details(capacity=2, title="Changed"),
    )

    assert error.message == "3 seats are taken: lower the capacity only after people cancel."
    assert _fields(scheduled) == before


def test_session_update_raising_the_capacity_promotes_the_waitlist(scheduled, coordinator):
    session_update(session_id=scheduled.pk, actor=coordinator, details=_details(capacity=1))
    people = [UserFactory(email=f"p{n}@example.org") for n in range(1, 4)]
    for person in people:
        rsvp_set(session_id=scheduled.pk, user=person, status="going")

    session_update(session_id=scheduled.pk, actor=coordinator, details=_details(capacity=2))

    assert dict(Rsvp.objects.values_list("user__email", "status")) == {
        "p1@example.org": "going",
        "p2@example.org": "going",
        "p3@example.org": "waitlisted",
    }
    assert list(
        OutboxMessage.objects.filter(kind="waitlist_promoted").values_list("to_email", flat=True)
    ) == ["p2@example.org"]


def test_session_update_by_a_member_is_not_found(scheduled, community):
    member = MembershipFactory(community=community).user
    before = _fields(scheduled)

    with pytest.raises(SessionNotFound):
        session_update(session_id=scheduled.pk, actor=member, details=_details(title="Mine"))

    assert _fields(scheduled) == before


def test_session_update_by_a_host_is_allowed(scheduled):
    host = UserFactory()
    scheduled.hosts.add(host)

    session_update(session_id=scheduled.pk, actor=host, details=_details(title="By the host"))

    assert _fields(scheduled)["title"] == "By the host"


def test_session_update_of_a_cancelled_session_is_refused(scheduled, coordinator):
    session_cancel(session_id=scheduled.pk, actor=coordinator, reason="Ill")
    before = _fields(scheduled)

    error = _refused(
        "cancelled",
        session_update,
        session_id=scheduled.pk,
        actor=coordinator,
        details=_details(title="Back on"),
    )

    assert error.message == "A cancelled session cannot be changed."
    assert _fields(scheduled) == before


# --- session_cancel ---------------------------------------------------------------------------


def test_session_cancel_notifies_going_maybe_and_waitlisted_once(scheduled, coordinator):
    session_update(session_id=scheduled.pk, actor=coordinator, details=_details(capacity=1))
    answers = {
        "going@example.org": "going",
        "maybe@example.org": "maybe",
        "waiting@example.org": "going",
        "declined@example.org": "declined",
    }
    for email, status in answers.items():
        person = UserFactory(email=email, language="en")
        rsvp_set(session_id=scheduled.pk, user=person, status=status)
    scheduled.refresh_from_db()
    sequence = scheduled.sequence

    first = session_cancel(session_id=scheduled.pk, actor=coordinator, reason="  Speaker ill ")
    second = session_cancel(session_id=scheduled.pk, actor=coordinator, reason="Other reason")

    assert (first.state, first.cancel_reason, first.sequence) == (
        "cancelled",
        "Speaker ill",
        sequence + 1,
    )
    assert first.cancelled_at == NOW
    assert (second.pk, second.cancel_reason, second.sequence) == (
        first.pk,
        "Speaker ill",
        sequence + 1,
    )
    messages = OutboxMessage.objects.filter(kind="session_cancelled").order_by("to_email")
    user_id = {rsvp.user.email: rsvp.user_id for rsvp in Rsvp.objects.select_related("user")}
    # Whoever has it in their calendar by invitation gets a calendar CANCEL (same UID, the next
    # SEQUENCE); whoever might come or waits gets a plain message.
    assert [(m.to_email, m.dedupe_key, m.calendar_method) for m in messages] == [
        (
            "going@example.org",
            f"invite:{scheduled.uid}:{sequence + 1}:CANCEL:{user_id['going@example.org']}",
            "CANCEL",
        ),
        *(
            (email, f"session-cancelled:{scheduled.uid}:{sequence + 1}:{user_id[email]}", "")
            for email in ("maybe@example.org", "waiting@example.org")
        ),
    ]
    assert {m.subject for m in messages} == {"Cancelled: Type hints in practice"}
    # The session stays, visible as cancelled, with its answers.
    assert Rsvp.objects.filter(session=scheduled).count() == 4


def test_session_cancel_with_a_long_reason_is_refused(scheduled, coordinator):
    error = _refused(
        "too_long", session_cancel, session_id=scheduled.pk, actor=coordinator, reason="x" * 281
    )

    assert error.message == "Keep the reason under 280 characters."
    assert _fields(scheduled)["state"] == "scheduled"
    session_cancel(session_id=scheduled.pk, actor=coordinator, reason="x" * 280)
    assert _fields(scheduled)["state"] == "cancelled"


def test_session_cancel_of_a_past_session_sends_nothing(community, coordinator):
    past = SessionFactory(
        community=community,
        start=NOW - timedelta(days=2),
        end=NOW - timedelta(days=2) + timedelta(hours=1),
    )
    RsvpFactory(session=past, status="going")

    session_cancel(session_id=past.pk, actor=coordinator, reason="")

    assert _fields(past)["state"] == "cancelled"
    assert OutboxMessage.objects.count() == 0


def test_session_cancel_by_a_member_is_not_found(scheduled, community):
    member = MembershipFactory(community=community).user

    with pytest.raises(SessionNotFound):
        session_cancel(session_id=scheduled.pk, actor=member, reason="")

    assert _fields(scheduled)["state"] == "scheduled"


# --- takeaway_create --------------------------------------------------------------------------


@pytest.fixture
def started(community):
    """A session that started ten minutes ago."""
    return SessionFactory(
        community=community, start=NOW - timedelta(minutes=10), end=NOW + timedelta(minutes=50)
    )


def _takeaway(session, author, **changes) -> Takeaway:
    fields = {"title": "Use Protocols", "body": "Duck typing, checked.", "visibility": "community"}
    fields.update(changes)
    return takeaway_create(session_id=session.pk, author=author, **fields)


def test_takeaway_create_by_someone_going_after_the_start(started):
    author = RsvpFactory(session=started, status="going").user

    takeaway = _takeaway(started, author, title="  Use Protocols  ")

    takeaway.refresh_from_db()
    assert (takeaway.title, takeaway.body, takeaway.visibility) == (
        "Use Protocols",
        "Duck typing, checked.",
        "community",
    )
    assert (takeaway.author_id, takeaway.session_id) == (author.pk, started.pk)
    assert takeaway.review_due == date(2031, 3, 1)


@pytest.mark.parametrize("status", ["going", "maybe"])
def test_takeaway_create_by_people_who_answered_yes_or_maybe(started, status):
    author = RsvpFactory(session=started, status=status).user

    assert _takeaway(started, author).pk is not None


def test_takeaway_create_by_a_host_without_rsvp(started):
    host = UserFactory()
    started.hosts.add(host)

    assert _takeaway(started, host, visibility="private").visibility == "private"


@pytest.mark.parametrize(
    ("status", "attended"),
    [("declined", None), ("waitlisted", None), ("going", False), (None, None)],
)
def test_takeaway_create_by_people_who_did_not_come_is_refused(started, status, attended):
    author = UserFactory()
    if status:
        RsvpFactory(
            session=started,
            user=author,
            status=status,
            attended=attended,
            position=1 if status == "waitlisted" else None,
        )

    error = _refused("not_allowed", _takeaway, session=started, author=author)

    assert error.message == (
        "Takeaways can be added from the start of the session by people who came."
    )
    assert Takeaway.objects.count() == 0


def test_takeaway_create_before_the_start_is_refused(community):
    session = SessionFactory(community=community, start=NOW + timedelta(minutes=1))
    author = RsvpFactory(session=session, status="going").user

    _refused("not_allowed", _takeaway, session=session, author=author)

    assert Takeaway.objects.count() == 0


def test_takeaway_create_for_a_cancelled_session_is_refused(started):
    started.state = Session.State.CANCELLED
    started.save()
    author = RsvpFactory(session=started, status="going").user

    _refused("not_allowed", _takeaway, session=started, author=author)


def test_takeaway_create_in_a_private_community_by_a_non_member_is_not_found(private_community):
    session = SessionFactory(community=private_community, start=NOW - timedelta(minutes=10))
    author = RsvpFactory(session=session, status="going").user

    with pytest.raises(SessionNotFound):
        _takeaway(session, author)

    assert Takeaway.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"title": "x" * 81}, "title", "Give a title of at most 80 characters."),
        ({"title": "   "}, "title", "Give a title of at most 80 characters."),
        ({"body": "x" * 1001}, "body", "Keep it under 1,000 characters."),
        ({"visibility": "public"}, "visibility", "Choose who may read it."),
    ],
)
def test_takeaway_create_bad_input_is_refused(started, changes, code, message):
    author = RsvpFactory(session=started, status="going").user

    error = _refused(code, _takeaway, session=started, author=author, **changes)

    assert error.message == message
    assert Takeaway.objects.count() == 0


def test_takeaway_create_at_the_limits_is_accepted(started):
    author = RsvpFactory(session=started, status="going").user

    takeaway = _takeaway(started, author, title="x" * 80, body="y" * 1000)

    assert (len(takeaway.title), len(takeaway.body)) == (80, 1000)


def test_takeaway_create_for_an_organisation_wide_session_is_shared_with_everyone(db):
    session = SessionFactory(community=None, start=NOW - timedelta(minutes=10))
    author = RsvpFactory(session=session, status="going").user

    assert _takeaway(session, author, visibility="community").visibility == "organisation"


def test_takeaway_create_on_29_february_is_reviewed_a_year_later(started, time_machine):
    time_machine.move_to(datetime(2032, 2, 29, 12, 0, tzinfo=UTC), tick=False)
    author = RsvpFactory(session=started, status="going").user

    assert _takeaway(started, author).review_due == date(2033, 2, 28)
