""" "Going to all upcoming sessions of a series", with per-occurrence exceptions.

The service answers each upcoming occurrence through rsvp_set (capacity, waitlist, deadline),
remembers the choice for occurrences materialised later, and "stop going" undoes only the
answers that came from the series. Over HTTP: 404 for a private series, a clear message for bad
input, a summary message, and a number of queries that grows by a fixed amount per occurrence.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.models import Rsvp, Series, SeriesRsvp, Session
from events.series.recurrence import Recurrence
from events.series.services.rsvp import OccurrenceOutcome, SeriesNotFound, series_rsvp_set
from events.series.services.scheduling import series_create, series_extend_all, series_split
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel
from tests.factories import MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
FIRST = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)  # a Wednesday
GOING, DECLINED, WAITLISTED = "going", "declined", "waitlisted"


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def members(community, member, other_user, coordinator):
    """Mia and Otto are members of the public Python-gilde; Cora coordinates it."""
    MembershipFactory(user=member, community=community)
    MembershipFactory(user=other_user, community=community)
    return community


@pytest.fixture
def client(client):
    client.cookies["kp_language"] = "en"
    return client


def _series(community, coordinator, *, count: int, capacity: int | None = 8, **changes) -> Series:
    fields = {
        "title": "Lean Coffee",
        "format": "kenniscafe",
        "start": FIRST,
        "end": FIRST + timedelta(hours=1),
        "timezone": "Europe/Amsterdam",
        "location": "Koffiecorner",
        "capacity": capacity,
    }
    details = SessionDetails(**{**fields, **changes})
    return series_create(
        community=community,
        actor=coordinator,
        details=details,
        recurrence=Recurrence(frequency="weekly", count=count),
    )


def _occurrences(series) -> list[Session]:
    return list(Session.objects.filter(series=series).order_by("start", "id"))


def _answers(user, series) -> list[tuple]:
    """(week number from 1, status, position, from_series) of the person's answers."""
    weeks = {o.pk: n for n, o in enumerate(_occurrences(series), start=1)}
    return sorted(
        (weeks[r.session_id], r.status, r.position, r.from_series)
        for r in Rsvp.objects.filter(user=user, session__in=list(weeks))
    )


def _outcomes(result, series) -> list[tuple]:
    weeks = {o.pk: n for n, o in enumerate(_occurrences(series), start=1)}
    return [(weeks[o.session_id], o.outcome, o.position, o.reason) for o in result.outcomes]


def _going(series, user, status=GOING):
    return series_rsvp_set(series_id=series.pk, user=user, status=status)


def _fill(session, count: int) -> list:
    people = [UserFactory() for _ in range(count)]
    for person in people:
        MembershipFactory(user=person, community=session.community)
        rsvp_set(session_id=session.pk, user=person, status=GOING)
    return people


# --- The service ------------------------------------------------------------------------------


def test_going_answers_every_upcoming_not_cancelled_occurrence(
    members, coordinator, member, time_machine
):
    series = _series(members, coordinator, count=6)
    weeks = _occurrences(series)
    session_cancel(session_id=weeks[2].pk, actor=coordinator, reason="Studiedag")
    # Week 1 has started (and is not over): not "upcoming" any more.
    time_machine.move_to(weeks[0].start + timedelta(minutes=5), tick=False)

    result = _going(series, member)

    assert (result.series_id, result.status) == (series.pk, GOING)
    assert result.outcomes[0] == OccurrenceOutcome(weeks[1].pk, weeks[1].start, GOING)
    assert _outcomes(result, series) == [
        (2, GOING, None, ""),
        (4, GOING, None, ""),
        (5, GOING, None, ""),
        (6, GOING, None, ""),
    ]
    assert _answers(member, series) == [
        (2, GOING, None, True),
        (4, GOING, None, True),
        (5, GOING, None, True),
        (6, GOING, None, True),
    ]
    assert list(SeriesRsvp.objects.values_list("series", "user", "status")) == [
        (series.pk, member.pk, GOING)
    ]
    assert set(Rsvp.objects.values_list("mode", "guests")) == {("in_room", 0)}


def test_going_again_changes_nothing(members, coordinator, member):
    series = _series(members, coordinator, count=3)
    _going(series, member)
    before = list(Rsvp.objects.order_by("id").values_list("id", "status", "updated_at"))

    result = _going(series, member)

    assert _outcomes(result, series) == [
        (1, GOING, None, ""),
        (2, GOING, None, ""),
        (3, GOING, None, ""),
    ]
    assert list(Rsvp.objects.order_by("id").values_list("id", "status", "updated_at")) == before
    assert SeriesRsvp.objects.count() == 1


def test_a_full_occurrence_puts_the_person_on_its_waitlist(members, coordinator, member):
    series = _series(members, coordinator, count=4, capacity=2)
    weeks = _occurrences(series)
    _fill(weeks[1], 3)  # two going, one waiting

    result = _going(series, member)

    assert _outcomes(result, series) == [
        (1, GOING, None, ""),
        (2, WAITLISTED, 2, ""),
        (3, GOING, None, ""),
        (4, GOING, None, ""),
    ]
    assert _answers(member, series) == [
        (1, GOING, None, True),
        (2, WAITLISTED, 2, True),
        (3, GOING, None, True),
        (4, GOING, None, True),
    ]
    assert Rsvp.objects.filter(session=weeks[1], status=GOING).count() == 2  # never overbooked


def test_occurrences_past_their_deadline_are_skipped(members, coordinator, member, other_user):
    series = _series(members, coordinator, count=3)
    weeks = _occurrences(series)
    rsvp_set(session_id=weeks[2].pk, user=member, status=GOING)
    Session.objects.filter(pk__in=[weeks[1].pk, weeks[2].pk]).update(
        rsvp_deadline=NOW - timedelta(hours=1)
    )

    result = _going(series, member)

    assert _outcomes(result, series) == [
        (1, GOING, None, ""),
        (2, "skipped", None, "deadline"),
        (3, GOING, None, ""),  # already going before the deadline: still going
    ]
    with translation.override("en"):
        assert _going(series, other_user).outcomes[1].message == "Sign-up has closed."
    assert _answers(member, series) == [(1, GOING, None, True), (3, GOING, None, False)]


def test_occurrences_materialised_later_get_the_standing_answer_in_order(
    members, coordinator, member, other_user, time_machine
):
    series = _series(members, coordinator, count=52, capacity=1)
    assert len(_occurrences(series)) == 15
    _going(series, member)
    _going(series, other_user)  # waits behind Mia everywhere
    latecomer = MembershipFactory(community=members).user

    time_machine.move_to(NOW + timedelta(days=14), tick=False)
    assert series_extend_all() == 2

    weeks = _occurrences(series)
    assert len(weeks) == 17
    for week in weeks[15:]:
        assert list(
            Rsvp.objects.filter(session=week)
            .order_by("user__email")
            .values_list("user__email", "status", "position", "from_series")
        ) == [
            ("member@example.org", GOING, None, True),
            ("other@example.org", WAITLISTED, 1, True),
        ]
    assert not Rsvp.objects.filter(user=latecomer).exists()
    assert not Rsvp.objects.filter(user=coordinator).exists()


def test_materialising_skips_people_who_may_no_longer_answer(
    private_community, coordinator, member, time_machine
):
    membership = MembershipFactory(user=member, community=private_community)
    series = _series(private_community, coordinator, count=52)
    _going(series, member)
    membership.state = "left"
    membership.save(update_fields=["state"])

    time_machine.move_to(NOW + timedelta(days=7), tick=False)
    assert series_extend_all() == 1

    assert Rsvp.objects.filter(session=_occurrences(series)[-1]).count() == 0
    assert SeriesRsvp.objects.filter(user=member).count() == 1  # waits in case she comes back


def test_answering_one_occurrence_differently_keeps_the_series_answer(
    members, coordinator, member, time_machine
):
    series = _series(members, coordinator, count=52)
    _going(series, member)
    weeks = _occurrences(series)

    rsvp_set(session_id=weeks[2].pk, user=member, status=DECLINED)

    assert SeriesRsvp.objects.filter(series=series, user=member).count() == 1
    assert _answers(member, series)[:4] == [
        (1, GOING, None, True),
        (2, GOING, None, True),
        (3, DECLINED, None, False),
        (4, GOING, None, True),
    ]
    time_machine.move_to(NOW + timedelta(days=7), tick=False)
    series_extend_all()
    assert _answers(member, series)[-1] == (16, GOING, None, True)


def test_answering_an_occurrence_again_makes_it_the_persons_own(members, coordinator, member):
    series = _series(members, coordinator, count=2)
    _going(series, member)
    week = _occurrences(series)[0]

    rsvp_set(session_id=week.pk, user=member, status=GOING)

    assert _answers(member, series) == [(1, GOING, None, False), (2, GOING, None, True)]


def test_stop_declines_only_series_answers_and_promotes_the_waitlist(
    members, coordinator, member, other_user
):
    series = _series(members, coordinator, count=5, capacity=1)
    weeks = _occurrences(series)
    rsvp_set(session_id=weeks[0].pk, user=member, status=GOING)  # her own, before the series
    rsvp_set(session_id=weeks[4].pk, user=member, status="maybe")  # her own
    _going(series, member)  # weeks 2-4 from the series (and 5: maybe → going)
    rsvp_set(session_id=weeks[4].pk, user=member, status="maybe")  # her own again
    rsvp_set(session_id=weeks[2].pk, user=other_user, status=GOING)  # waits behind Mia
    rsvp_set(session_id=weeks[3].pk, user=member, status=DECLINED)  # her own exception

    result = _going(series, member, status=DECLINED)

    assert _outcomes(result, series) == [
        (1, "kept", None, ""),
        (2, DECLINED, None, ""),
        (3, DECLINED, None, ""),
        (5, "kept", None, ""),
    ]
    assert _answers(member, series) == [
        (1, GOING, None, False),
        (2, DECLINED, None, True),
        (3, DECLINED, None, True),
        (4, DECLINED, None, False),
        (5, "maybe", None, False),
    ]
    assert _answers(other_user, series) == [(3, GOING, None, False)]
    assert list(
        OutboxMessage.objects.filter(kind="waitlist_promoted").values_list("kind", "recipient")
    ) == [("waitlist_promoted", other_user.pk)]
    assert SeriesRsvp.objects.count() == 0
    # Stopping again changes nothing; only her own answers are reported (kept).
    again = _going(series, member, status=DECLINED)
    assert _outcomes(again, series) == [(1, "kept", None, ""), (5, "kept", None, "")]


def test_a_series_decline_never_overrides_an_answer_given_meanwhile(members, coordinator, member):
    """The race the service cannot see from its list: under the session lock, rsvp_set itself
    refuses to let a series decline undo the person's own answer."""
    series = _series(members, coordinator, count=1)
    week = _occurrences(series)[0]
    rsvp_set(session_id=week.pk, user=member, status=GOING)

    kept = rsvp_set(session_id=week.pk, user=member, status=DECLINED, from_series=True)

    assert (kept.status, kept.from_series) == (GOING, False)
    assert _answers(member, series) == [(1, GOING, None, False)]


def test_stop_declines_a_series_answer_also_after_the_deadline(members, coordinator, member):
    series = _series(members, coordinator, count=2)
    _going(series, member)
    Session.objects.filter(series=series).update(rsvp_deadline=NOW - timedelta(hours=1))

    result = _going(series, member, status=DECLINED)

    assert _outcomes(result, series) == [(1, DECLINED, None, ""), (2, DECLINED, None, "")]


def test_series_answers_keep_guests_and_take_part_online_where_there_is_no_room(
    members, coordinator, member
):
    series = _series(
        members, coordinator, count=2, location="", online_url="https://meet.example.org/lc"
    )

    _going(series, member)

    assert set(Rsvp.objects.values_list("mode", "guests", "status")) == {("online", 0, GOING)}


def test_series_going_keeps_the_guests_someone_already_brings(members, coordinator, member):
    series = _series(members, coordinator, count=2, max_guests=2)
    first = _occurrences(series)[0]
    rsvp_set(session_id=first.pk, user=member, status="maybe", guests=2)

    _going(series, member)

    assert list(Rsvp.objects.order_by("session__start").values_list("status", "guests")) == [
        (GOING, 2),
        (GOING, 0),
    ]


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        ("maybe", "status", "Answer going or not going for the series."),
        ("waitlisted", "status", "Answer going or not going for the series."),
        ("", "status", "Answer going or not going for the series."),
    ],
)
def test_bad_status_is_refused_and_changes_nothing(
    members, coordinator, member, status, code, message
):
    series = _series(members, coordinator, count=2)

    with translation.override("en"), pytest.raises(DomainError) as raised:
        _going(series, member, status=status)

    assert (raised.value.code, raised.value.message) == (code, message)
    assert (SeriesRsvp.objects.count(), Rsvp.objects.count()) == (0, 0)


def test_members_only_series_is_refused_to_non_members(community, coordinator, other_user):
    series = _series(community, coordinator, count=2, members_only=True)

    with translation.override("en"), pytest.raises(DomainError) as raised:
        _going(series, other_user)

    assert raised.value.message == "This series is only for members of the community."
    assert (SeriesRsvp.objects.count(), Rsvp.objects.count()) == (0, 0)


def test_an_ended_series_without_upcoming_sessions_is_refused(
    members, coordinator, member, time_machine
):
    series = _series(members, coordinator, count=2)
    time_machine.move_to(NOW + timedelta(days=60), tick=False)

    with translation.override("en"), pytest.raises(DomainError) as raised:
        _going(series, member)
    assert (raised.value.code, raised.value.message) == (
        "no_upcoming",
        "This series has no upcoming sessions.",
    )

    assert SeriesRsvp.objects.count() == 0


def test_a_private_series_is_not_found_for_outsiders(private_community, coordinator, other_user):
    series = _series(private_community, coordinator, count=2)

    with pytest.raises(SeriesNotFound):
        _going(series, other_user)

    assert (SeriesRsvp.objects.count(), Rsvp.objects.count()) == (0, 0)


def test_this_and_following_carries_the_standing_answers_over(members, coordinator, member):
    series = _series(members, coordinator, count=52)
    _going(series, member)
    third = _occurrences(series)[2]
    details = SessionDetails(
        title="Lean Coffee XL",
        format="kenniscafe",
        start=third.start,
        end=third.start + timedelta(hours=2),
        timezone="Europe/Amsterdam",
        location="Koffiecorner",
        capacity=8,
    )

    new = series_split(session_id=third.pk, actor=coordinator, details=details)

    assert list(SeriesRsvp.objects.order_by("series_id").values_list("series", "user")) == [
        (series.pk, member.pk),
        (new.pk, member.pk),
    ]
    assert set(Rsvp.objects.filter(session__series=new).values_list("status", "from_series")) == {
        (GOING, True)
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_series_and_single_answers_never_overbook(
    transactional_db, postgres, members, coordinator
):
    """PostgreSQL, real concurrency: 15 people go to the whole series while 5 others answer
    single occurrences (last one first), all at once. Each occurrence is answered under its own
    lock, so every occurrence ends with exactly its capacity going and a gap-free waitlist, and
    nobody gets an error (no deadlock, no duplicate position)."""
    series = _series(members, coordinator, count=4, capacity=5)
    weeks = _occurrences(series)
    crowd = [MembershipFactory(community=members).user for _ in range(20)]
    calls = [lambda person=person: _going(series, person) for person in crowd[:15]]
    calls += [
        lambda person=person: [
            rsvp_set(session_id=week.pk, user=person, status=GOING) for week in reversed(weeks)
        ]
        for person in crowd[15:]
    ]
    go = threading.Event()

    def run(call):
        go.wait(timeout=30)
        try:
            return call()
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(run, call) for call in calls]
        go.set()
        errors = [future.exception(timeout=60) for future in futures]

    assert errors == [None] * 20
    for week in weeks:
        answers = Rsvp.objects.filter(session=week)
        assert answers.filter(status=GOING).count() == 5
        assert sorted(answers.filter(status=WAITLISTED).values_list("position", flat=True)) == (
            list(range(1, 16))
        )
    assert SeriesRsvp.objects.count() == 15


# --- Over HTTP --------------------------------------------------------------------------------


def _texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def test_post_going_summarises_the_outcome(client, members, coordinator, member):
    series = _series(members, coordinator, count=6, capacity=1)
    weeks = _occurrences(series)
    _fill(weeks[3], 1)
    Session.objects.filter(pk=weeks[5].pk).update(rsvp_deadline=NOW - timedelta(minutes=1))
    client.force_login(member)

    response = client.post(
        f"/series/{series.pk}/rsvp/", {"status": "going", "session": str(weeks[1].pk)}
    )

    assert (response.status_code, response["Location"]) == (302, f"/sessions/{weeks[1].pk}/")
    assert _texts(response) == [
        "You are going to 4 sessions; on the waiting list for 1.",
        "Not answered for 1 session: Sign-up has closed.",
    ]
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success", "warning"]


def test_post_going_to_five_sessions_and_waiting_for_one(client, members, coordinator, member):
    series = _series(members, coordinator, count=6, capacity=1)
    _fill(_occurrences(series)[2], 1)
    client.force_login(member)

    response = client.post(f"/series/{series.pk}/rsvp/", {"status": "going"})

    assert _texts(response) == ["You are going to 5 sessions; on the waiting list for 1."]
    # No occurrence posted: back to the series' next session.
    assert response["Location"] == f"/sessions/{_occurrences(series)[0].pk}/"


def test_post_summary_in_dutch(client, members, coordinator, member):
    series = _series(members, coordinator, count=6, capacity=1)
    _fill(_occurrences(series)[2], 1)
    client.cookies["kp_language"] = "nl"
    client.force_login(member)

    response = client.post(f"/series/{series.pk}/rsvp/", {"status": "going"})

    assert _texts(response) == ["Je bent aangemeld voor 5 sessies; voor 1 sta je op de wachtlijst."]


def test_post_stop_summarises_what_was_declined_and_kept(client, members, coordinator, member):
    series = _series(members, coordinator, count=3)
    first = _occurrences(series)[0]
    rsvp_set(session_id=first.pk, user=member, status=GOING)
    _going(series, member)
    client.force_login(member)

    response = client.post(
        f"/series/{series.pk}/rsvp/", {"status": "declined", "session": str(first.pk)}
    )

    assert _texts(response) == [
        "You are no longer going to 2 sessions of this series.",
        "The answer you gave 1 session yourself stays as it was.",
    ]
    assert SeriesRsvp.objects.count() == 0


def test_post_with_htmx_returns_the_panel_with_the_message_and_the_stop_button(
    client, members, coordinator, member
):
    series = _series(members, coordinator, count=2)
    first = _occurrences(series)[0]
    client.force_login(member)

    response = client.post(
        f"/series/{series.pk}/rsvp/",
        {"status": "going", "session": str(first.pk)},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="rsvp-panel"')
    assert "You are going to 2 sessions of this series." in page
    assert "Stop going to the series" in page
    assert "You are going to all upcoming sessions of this series" in page


def test_session_page_of_an_occurrence_offers_the_series_buttons(
    client, members, coordinator, member
):
    series = _series(members, coordinator, count=2)
    first = _occurrences(series)[0]
    client.force_login(member)

    page = client.get(f"/sessions/{first.pk}/").content.decode()

    assert f'action="/series/{series.pk}/rsvp/"' in page
    assert "Going to all upcoming sessions of this series" in page
    assert "Stop going to the series" not in page  # nothing to stop yet


def test_session_page_of_a_one_off_session_has_no_series_buttons(client, members, member):

    session = SessionFactory(community=members, location="Zaal 1")
    client.force_login(member)

    page = client.get(f"/sessions/{session.pk}/").content.decode()

    assert "/series/" not in page


@pytest.mark.parametrize("status", ["maybe", "<script>", ""])
def test_post_bad_input_gets_a_message_and_changes_nothing(
    client, members, coordinator, member, status
):
    series = _series(members, coordinator, count=2)
    client.force_login(member)

    response = client.post(f"/series/{series.pk}/rsvp/", {"status": status, "session": "x1"})

    assert response.status_code == 302
    assert _texts(response) == ["Answer going or not going for the series."]
    assert (SeriesRsvp.objects.count(), Rsvp.objects.count()) == (0, 0)


def test_post_to_a_private_series_is_404_for_outsiders(
    client, private_community, coordinator, other_user
):
    series = _series(private_community, coordinator, count=2)
    client.force_login(other_user)

    response = client.post(f"/series/{series.pk}/rsvp/", {"status": "going"})

    assert response.status_code == 404
    assert (SeriesRsvp.objects.count(), Rsvp.objects.count()) == (0, 0)


def test_post_to_a_private_series_works_for_members(client, private_community, coordinator, member):
    MembershipFactory(user=member, community=private_community)
    series = _series(private_community, coordinator, count=2)
    client.force_login(member)

    response = client.post(f"/series/{series.pk}/rsvp/", {"status": "going"})

    assert response.status_code == 302
    assert Rsvp.objects.filter(user=member, status=GOING).count() == 2


def test_get_is_not_allowed(client, members, coordinator, member):
    series = _series(members, coordinator, count=2)
    client.force_login(member)
    assert client.get(f"/series/{series.pk}/rsvp/").status_code == 405


# Each occurrence is answered in its own transaction under its own lock (never one transaction
# holding every session's lock), so the POST's queries grow linearly, by design:
# - fixed, 12: the login session and user; the series as the viewer may see it (view, and again
#   in the service, which checks for itself); where to go back to; the standing answer's
#   transaction (savepoint, series lock, the upcoming occurrences, exists?, insert, release);
#   the person's answers for those occurrences.
# - per occurrence, 8 (rsvp_set): savepoint, session lock, may the person see it, their answer,
#   seats taken, anyone waiting, insert, release.
#   + 2 for the calendar: the standing answer, whether their calendar already holds the series
#   (then the occurrence would be mailed on its own; here it is not). Whether they may still see
#   it and their answer come from the RSVP just written, not read again.
#   + 1 for webhooks: does any endpoint want rsvp.changed (here none, so nothing more).
# - fixed, + 27 for the one series invitation at the end (its own transaction): the standing
#   answer, whether they may see the series and go to any of it, the occurrences and answers it
#   lists (and those they wait for), the last SEQUENCE sent, a waiting update it replaces, the
#   outbox row, what the calendar was told (one row for the series, one bulk insert for the
#   occurrences).
# Inside the test transaction every atomic() is a savepoint (SAVEPOINT/RELEASE are logged); in
# production they are BEGIN/COMMIT, which Django does not log.
FIXED_QUERIES = 39
PER_OCCURRENCE = 11


@pytest.mark.parametrize(("count", "queries"), [(3, 72), (10, 149)])
def test_post_queries_grow_by_a_fixed_amount_per_occurrence(
    client, members, coordinator, member, count, queries
):
    series = _series(members, coordinator, count=count)
    client.force_login(member)
    client.get("/")  # the session is loaded and the language settled

    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/series/{series.pk}/rsvp/", {"status": "going"})

    assert response.status_code == 302
    assert Rsvp.objects.filter(user=member, status=GOING).count() == count
    assert len(captured) == queries == FIXED_QUERIES + PER_OCCURRENCE * count, [
        q["sql"] for q in captured.captured_queries
    ]
