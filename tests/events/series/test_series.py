"""Recurring sessions: RRULEs from form choices, DST-exact expansion, materialised occurrences,
whole-series edits, "this and following" splits and cancelling the rest."""

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.models import Rsvp, Series, Session
from events.series.recurrence import HORIZON, Recurrence, build_rrule, occurrence_starts
from events.series.services.scheduling import (
    series_cancel_rest,
    series_create,
    series_extend_all,
    series_materialise,
    series_split,
    series_update_all,
)
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_update
from tests.factories import MembershipFactory, SessionFactory, UserFactory

AMS = ZoneInfo("Europe/Amsterdam")
ZONE = "Europe/Amsterdam"


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def _rule(first_start: datetime, **recurrence) -> str:
    return build_rrule(Recurrence(**recurrence), first_start=first_start, zone=ZONE)


def _starts(rule: str, first_start: datetime, **kwargs) -> list[datetime]:
    return occurrence_starts(rule, first_start=first_start, zone=ZONE, **kwargs)


def _refused(code: str, **recurrence) -> str:
    first_start = recurrence.pop("first_start", _local(2026, 6, 3, 12, 0))  # a Wednesday
    with translation.override("en"), pytest.raises(DomainError) as raised:
        _rule(first_start, **recurrence)
    assert raised.value.code == code
    return raised.value.message


# --- build_rrule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_start", "recurrence", "rule"),
    [
        (
            _local(2026, 6, 3, 12, 0),
            {"frequency": "weekly", "count": 10},
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10",
        ),
        (
            _local(2026, 6, 3, 12, 0),
            {"frequency": "weekly", "interval": 2, "weekday": 4, "until": date(2026, 12, 31)},
            # 23:59:59 on the last day in Amsterdam (CET) is 22:59:59 UTC.
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20261231T225959Z",
        ),
        (
            _local(2026, 6, 3, 12, 0),
            {"frequency": "weekly", "until": date(2026, 8, 31)},
            # ... and in summer (CEST) 21:59:59 UTC.
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260831T215959Z",
        ),
        (
            _local(2026, 6, 10, 12, 0),
            {"frequency": "monthly_weekday", "nth": 2, "count": 5},
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=2WE;COUNT=5",
        ),
        (
            _local(2026, 6, 26, 16, 0),
            {"frequency": "monthly_weekday", "nth": -1, "interval": 3, "count": 4},
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;COUNT=4",
        ),
        (
            _local(2026, 6, 15, 9, 0),
            {"frequency": "monthly_day", "day": 15, "count": 12},
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;COUNT=12",
        ),
        (
            _local(2026, 6, 30, 9, 0),
            {"frequency": "monthly_day", "day": -1, "interval": 12, "count": 3},
            "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=-1;COUNT=3",
        ),
        (
            _local(2026, 6, 28, 9, 0),
            {"frequency": "monthly_day", "day": 28, "count": 500},
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28;COUNT=500",
        ),
    ],
)
def test_build_rrule_for_every_frequency(first_start, recurrence, rule):
    assert _rule(first_start, **recurrence) == rule


@pytest.mark.parametrize(
    ("recurrence", "code", "message"),
    [
        ({"frequency": "daily", "count": 3}, "frequency", "Choose how often the session repeats."),
        (
            {"frequency": "weekly", "interval": 0, "count": 3},
            "interval",
            "Repeat every 1 to 12 weeks or months.",
        ),
        (
            {"frequency": "weekly", "interval": 13, "count": 3},
            "interval",
            "Repeat every 1 to 12 weeks or months.",
        ),
        ({"frequency": "weekly"}, "end", "Say until when, or how many times, the session repeats."),
        (
            {"frequency": "weekly", "count": 3, "until": date(2026, 12, 1)},
            "end",
            "Say until when, or how many times, the session repeats.",
        ),
        ({"frequency": "weekly", "count": 501}, "count", "A series has at most 500 sessions."),
        ({"frequency": "weekly", "count": 0}, "count", "A series has at most 500 sessions."),
        # 20 years of weeks is more than 500 sessions, even without a count.
        (
            {"frequency": "weekly", "until": date(2046, 6, 3)},
            "count",
            "A series has at most 500 sessions.",
        ),
        (
            {"frequency": "weekly", "until": date(2026, 6, 2)},
            "until",
            "The series must end after it starts.",
        ),
        ({"frequency": "weekly", "weekday": 7, "count": 3}, "weekday", "Choose a day of the week."),
        (
            {"frequency": "monthly_weekday", "nth": 5, "count": 3},
            "nth",
            "Choose the first to fourth, or the last, weekday.",
        ),
        (
            {"frequency": "monthly_weekday", "nth": 0, "count": 3},
            "nth",
            "Choose the first to fourth, or the last, weekday.",
        ),
        (
            {"frequency": "monthly_weekday", "count": 3},
            "nth",
            "Choose the first to fourth, or the last, weekday.",
        ),
        (
            {"frequency": "monthly_day", "day": 29, "count": 3},
            "day",
            "Choose a day from 1 to 28, or the last day.",
        ),
        (
            {"frequency": "monthly_day", "day": 30, "count": 3},
            "day",
            "Choose a day from 1 to 28, or the last day.",
        ),
        (
            {"frequency": "monthly_day", "day": 31, "count": 3},
            "day",
            "Choose a day from 1 to 28, or the last day.",
        ),
        (
            {"frequency": "monthly_day", "day": 0, "count": 3},
            "day",
            "Choose a day from 1 to 28, or the last day.",
        ),
        (
            {"frequency": "monthly_day", "count": 3},
            "day",
            "Choose a day from 1 to 28, or the last day.",
        ),
        # Mondays from a Wednesday to the Friday after: not one session.
        (
            {"frequency": "weekly", "weekday": 0, "until": date(2026, 6, 5)},
            "empty",
            "This pattern gives no sessions at all.",
        ),
    ],
)
def test_build_rrule_bad_input_is_refused(recurrence, code, message):
    assert _refused(code, **recurrence) == message


def test_build_rrule_until_the_day_of_the_first_start_gives_that_one_session():
    first = _local(2026, 6, 3, 12, 0)

    rule = _rule(first, frequency="weekly", until=date(2026, 6, 3))

    assert _starts(rule, first) == [first]


# --- DST: wall-clock time stays fixed ---------------------------------------------------------


def test_occurrence_starts_keep_12_00_across_the_dst_changes_of_2026_and_2027():
    first = _local(2026, 3, 1, 12, 0)  # a Sunday: the clocks change on Sundays
    rule = _rule(first, frequency="weekly", until=date(2027, 12, 31))

    starts = _starts(rule, first)

    assert len(starts) == 96
    assert (starts[0].date(), starts[-1].date()) == (date(2026, 3, 1), date(2027, 12, 26))
    assert all(s.astimezone(AMS).time().isoformat() == "12:00:00" for s in starts)
    # Seven days apart on the wall clock; in real time an hour less across a spring change and
    # an hour more across an autumn one, exactly on those four weeks.
    week = timedelta(days=7)
    gaps = {}
    for a, b in itertools.pairwise(starts):
        gaps.setdefault(b.astimezone(UTC) - a.astimezone(UTC), []).append(b.date())
    assert sorted(gaps) == [week - timedelta(hours=1), week, week + timedelta(hours=1)]
    assert gaps[week - timedelta(hours=1)] == [date(2026, 3, 29), date(2027, 3, 28)]
    assert gaps[week + timedelta(hours=1)] == [date(2026, 10, 25), date(2027, 10, 31)]
    offsets = [(s.date(), s.astimezone(AMS).utcoffset()) for s in starts]
    flips = [
        (day, offset)
        for (_prev_day, prev), (day, offset) in itertools.pairwise(offsets)
        if offset != prev
    ]
    assert flips == [
        (date(2026, 3, 29), timedelta(hours=2)),
        (date(2026, 10, 25), timedelta(hours=1)),
        (date(2027, 3, 28), timedelta(hours=2)),
        (date(2027, 10, 31), timedelta(hours=1)),
    ]
    as_utc = {s.date(): s.astimezone(UTC).strftime("%H:%M") for s in starts}
    assert [
        as_utc[date(*d)]
        for d in [
            (2026, 3, 22),
            (2026, 3, 29),
            (2026, 10, 18),
            (2026, 10, 25),
            (2027, 3, 21),
            (2027, 3, 28),
            (2027, 10, 24),
            (2027, 10, 31),
        ]
    ] == [
        "11:00",
        "10:00",
        "10:00",
        "11:00",
        "11:00",
        "10:00",
        "10:00",
        "11:00",
    ]


def test_occurrence_starts_every_second_wednesday_until_june_2027():
    first = _local(2026, 12, 9, 12, 0)
    rule = _rule(first, frequency="monthly_weekday", nth=2, until=date(2027, 6, 30))

    starts = _starts(rule, first)

    assert rule == "FREQ=MONTHLY;INTERVAL=1;BYDAY=2WE;UNTIL=20270630T215959Z"
    assert [s.isoformat() for s in starts] == [
        "2026-12-09T12:00:00+01:00",
        "2027-01-13T12:00:00+01:00",
        "2027-02-10T12:00:00+01:00",
        "2027-03-10T12:00:00+01:00",
        "2027-04-14T12:00:00+02:00",
        "2027-05-12T12:00:00+02:00",
        "2027-06-09T12:00:00+02:00",
    ]


def test_occurrence_starts_monthly_on_the_last_day():
    first = _local(2027, 11, 30, 12, 0)
    rule = _rule(first, frequency="monthly_day", day=-1, count=5)

    assert [s.date().isoformat() for s in _starts(rule, first)] == [
        "2027-11-30",
        "2027-12-31",
        "2028-01-31",
        "2028-02-29",  # a leap year
        "2028-03-31",
    ]


def test_occurrence_starts_monthly_on_the_last_friday():
    first = _local(2026, 1, 30, 16, 0)
    rule = _rule(first, frequency="monthly_weekday", nth=-1, count=6)

    assert [s.isoformat() for s in _starts(rule, first)] == [
        "2026-01-30T16:00:00+01:00",
        "2026-02-27T16:00:00+01:00",
        "2026-03-27T16:00:00+01:00",
        "2026-04-24T16:00:00+02:00",
        "2026-05-29T16:00:00+02:00",
        "2026-06-26T16:00:00+02:00",
    ]


def test_occurrence_starts_every_three_weeks_with_a_count():
    first = _local(2026, 10, 6, 9, 30)
    rule = _rule(first, frequency="weekly", interval=3, count=4)

    assert [s.isoformat() for s in _starts(rule, first)] == [
        "2026-10-06T09:30:00+02:00",
        "2026-10-27T09:30:00+01:00",
        "2026-11-17T09:30:00+01:00",
        "2026-12-08T09:30:00+01:00",
    ]


def test_occurrence_starts_after_and_before_bound_the_window():
    first = _local(2026, 6, 3, 12, 0)
    rule = _rule(first, frequency="weekly", count=10)

    window = _starts(
        rule, first, after=_local(2026, 6, 10, 12, 0), before=_local(2026, 7, 1, 12, 0)
    )

    assert [s.date().isoformat() for s in window] == ["2026-06-17", "2026-06-24"]


# --- series_create and the rolling horizon ----------------------------------------------------

NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
FIRST = _local(2026, 3, 4, 12, 0)  # a Wednesday, before the March DST change


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def _details(**changes) -> SessionDetails:
    details = SessionDetails(
        title="Lean Coffee",
        format="kenniscafe",
        start=FIRST,
        end=FIRST + timedelta(hours=1),
        timezone=ZONE,
        location="Koffiecorner",
        capacity=8,
    )
    return replace(details, **changes)


def _create(community, coordinator, recurrence=None, **changes) -> Series:
    return series_create(
        community=community,
        actor=coordinator,
        details=_details(**changes),
        recurrence=recurrence or Recurrence(frequency="weekly", count=52),
    )


def _occurrences(series) -> list[Session]:
    return list(Session.objects.filter(series=series).order_by("recurrence_id"))


def _local_starts(series) -> list[str]:
    return [s.start.astimezone(AMS).isoformat() for s in _occurrences(series)]


def test_series_create_materialises_exactly_the_occurrences_within_the_horizon(
    community, coordinator, now
):
    series = _create(community, coordinator)

    series.refresh_from_db()
    assert series.materialised_until == NOW + HORIZON == datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
    assert (series.rrule, series.timezone, series.duration, series.sequence, series.ended) == (
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=52",
        ZONE,
        timedelta(hours=1),
        0,
        False,
    )
    assert series.first_start == FIRST
    occurrences = _occurrences(series)
    assert [o.start.astimezone(AMS).date().isoformat() for o in occurrences] == [
        "2026-03-04",
        "2026-03-11",
        "2026-03-18",
        "2026-03-25",
        "2026-04-01",
        "2026-04-08",
        "2026-04-15",
        "2026-04-22",
        "2026-04-29",
        "2026-05-06",
        "2026-05-13",
        "2026-05-20",
        "2026-05-27",
        "2026-06-03",
        "2026-06-10",
    ]
    assert {o.start.astimezone(AMS).time().isoformat() for o in occurrences} == {"12:00:00"}
    assert {o.end - o.start for o in occurrences} == {timedelta(hours=1)}
    assert [o.start.astimezone(UTC).hour for o in occurrences[2:5]] == [11, 11, 10]
    assert all(o.recurrence_id == o.start for o in occurrences)
    assert {
        (o.title, o.format, o.location, o.capacity, o.community_id, o.timezone) for o in occurrences
    } == {("Lean Coffee", "kenniscafe", "Koffiecorner", 8, community.pk, ZONE)}
    assert len({o.uid for o in occurrences} | {series.uid}) == 16
    assert {tuple(o.hosts.values_list("email", flat=True)) for o in occurrences} == {
        ("coordinator@example.org",)
    }


def test_series_create_with_a_count_stops_at_the_count(community, coordinator, now):
    series = _create(community, coordinator, Recurrence(frequency="weekly", count=3))

    assert _local_starts(series) == [
        "2026-03-04T12:00:00+01:00",
        "2026-03-11T12:00:00+01:00",
        "2026-03-18T12:00:00+01:00",
    ]


def test_series_create_bad_recurrence_creates_nothing(community, coordinator, now):
    with pytest.raises(DomainError) as raised:
        _create(community, coordinator, Recurrence(frequency="weekly", count=501))

    assert raised.value.code == "count"
    assert (Series.objects.count(), Session.objects.count()) == (0, 0)


def test_series_create_bad_details_create_nothing(community, coordinator, now):
    with pytest.raises(DomainError) as raised:
        _create(community, coordinator, end=FIRST - timedelta(hours=1))

    assert raised.value.code == "end_before_start"
    assert (Series.objects.count(), Session.objects.count()) == (0, 0)


def test_series_create_by_a_member_is_refused(community, now):
    member = MembershipFactory(community=community).user

    with pytest.raises(DomainError) as raised:
        _create(community, member)

    assert raised.value.code == "forbidden"
    assert Series.objects.count() == 0


def test_series_extend_all_adds_the_next_occurrences_idempotently(
    community, coordinator, now, time_machine
):
    series = _create(community, coordinator)
    time_machine.move_to(NOW + timedelta(days=14), tick=False)

    first = series_extend_all()
    second = series_extend_all()

    assert (first, second) == (2, 0)
    starts = _local_starts(series)
    assert len(starts) == 17
    assert starts[-3:] == [
        "2026-06-10T12:00:00+02:00",
        "2026-06-17T12:00:00+02:00",
        "2026-06-24T12:00:00+02:00",
    ]
    series.refresh_from_db()
    assert series.materialised_until == datetime(2026, 6, 29, 9, 0, tzinfo=UTC)


def test_series_extend_all_with_an_explicit_now(community, coordinator, now):
    series = _create(community, coordinator)

    made = series_extend_all(now=NOW + timedelta(days=7))

    assert made == 1
    assert _local_starts(series)[-1] == "2026-06-17T12:00:00+02:00"
    assert series_extend_all(now=NOW + timedelta(days=7)) == 0


def test_series_materialise_again_over_the_same_range_creates_nothing(community, coordinator, now):
    series = _create(community, coordinator)
    series.materialised_until = None  # as if the bookkeeping were lost

    assert series_materialise(series=series, until=NOW + HORIZON) == 0
    assert Session.objects.filter(series=series).count() == 15


def test_series_extend_all_never_passes_the_end_of_the_series(community, coordinator, now):
    series = _create(community, coordinator, Recurrence(frequency="weekly", count=3))

    assert series_extend_all(now=NOW + timedelta(days=365)) == 0
    assert len(_occurrences(series)) == 3


def test_series_extend_all_leaves_ended_series_alone(community, coordinator, now):
    series = _create(community, coordinator)
    Series.objects.filter(pk=series.pk).update(ended=True)

    assert series_extend_all(now=NOW + timedelta(days=60)) == 0
    assert len(_occurrences(series)) == 15


# --- series_update_all ------------------------------------------------------------------------


def test_series_update_all_moves_upcoming_non_edited_occurrences(
    community, coordinator, now, time_machine
):
    series = _create(community, coordinator)
    occurrences = _occurrences(series)
    edited, cancelled = occurrences[3], occurrences[4]
    session_update(
        session_id=edited.pk,
        actor=coordinator,
        details=_details(title="Lean Coffee with guests", start=edited.start, end=edited.end),
    )
    session_cancel(session_id=cancelled.pk, actor=coordinator, reason="Holiday")
    # Two occurrences are in the past by the time the series is edited.
    time_machine.move_to(occurrences[2].start - timedelta(hours=1), tick=False)
    new_start = _local(2026, 3, 4, 13, 30)

    series_update_all(
        series_id=series.pk,
        actor=coordinator,
        details=_details(
            title="Lean Coffee",
            location="Atrium",
            start=new_start,
            end=new_start + timedelta(minutes=45),
        ),
    )

    series.refresh_from_db()
    assert (series.sequence, series.location, series.duration) == (
        1,
        "Atrium",
        timedelta(minutes=45),
    )
    rows = {o.pk: o for o in _occurrences(series)}
    past = [rows[o.pk] for o in occurrences[:2]]
    assert [(o.start.astimezone(AMS).strftime("%H:%M"), o.location, o.sequence) for o in past] == [
        ("12:00", "Koffiecorner", 0),
        ("12:00", "Koffiecorner", 0),
    ]
    assert (rows[edited.pk].title, rows[edited.pk].location, rows[edited.pk].sequence) == (
        "Lean Coffee with guests",
        "Koffiecorner",
        1,
    )
    assert rows[edited.pk].start.astimezone(AMS).strftime("%H:%M") == "12:00"
    assert (rows[cancelled.pk].location, rows[cancelled.pk].state) == ("Koffiecorner", "cancelled")
    moved = [rows[o.pk] for o in occurrences[2:3] + occurrences[5:]]
    assert len(moved) == 11
    assert {
        (o.start.astimezone(AMS).strftime("%H:%M"), o.end - o.start, o.location, o.sequence)
        for o in moved
    } == {("13:30", timedelta(minutes=45), "Atrium", 1)}
    assert [o.start.astimezone(AMS).date() for o in moved][:2] == [
        date(2026, 3, 18),
        date(2026, 4, 8),
    ]


def test_series_update_all_later_occurrences_follow_the_new_time(
    community, coordinator, now, time_machine
):
    series = _create(community, coordinator)
    new_start = _local(2026, 3, 4, 13, 30)
    series_update_all(
        series_id=series.pk,
        actor=coordinator,
        details=_details(start=new_start, end=new_start + timedelta(hours=1)),
    )

    made = series_extend_all(now=NOW + timedelta(days=14))

    assert made == 2
    assert {s[11:] for s in _local_starts(series)} == {"13:30:00+01:00", "13:30:00+02:00"}
    assert _local_starts(series)[-2:] == [
        "2026-06-17T13:30:00+02:00",
        "2026-06-24T13:30:00+02:00",
    ]


def test_series_update_all_capacity_below_the_going_of_an_occurrence_changes_nothing(
    community, coordinator, now
):
    series = _create(community, coordinator, capacity=3)
    busy = _occurrences(series)[5]
    for person in UserFactory.create_batch(3):
        rsvp_set(session_id=busy.pk, user=person, status="going")

    with pytest.raises(DomainError) as raised:
        series_update_all(
            series_id=series.pk, actor=coordinator, details=_details(capacity=2, title="Smaller")
        )

    assert raised.value.code == "capacity_below_going"
    series.refresh_from_db()
    assert (series.capacity, series.title, series.sequence) == (3, "Lean Coffee", 0)
    assert {(o.capacity, o.title, o.sequence) for o in _occurrences(series)} == {
        (3, "Lean Coffee", 0)
    }


def test_series_update_all_raising_the_capacity_promotes_the_waitlists(community, coordinator, now):
    series = _create(community, coordinator, capacity=1)
    busy = _occurrences(series)[5]
    people = [UserFactory(email=f"p{n}@example.org") for n in range(1, 4)]
    for person in people:
        rsvp_set(session_id=busy.pk, user=person, status="going")

    series_update_all(series_id=series.pk, actor=coordinator, details=_details(capacity=2))

    assert dict(Rsvp.objects.filter(session=busy).values_list("user__email", "status")) == {
        "p1@example.org": "going",
        "p2@example.org": "going",
        "p3@example.org": "waitlisted",
    }
    assert list(
        OutboxMessage.objects.filter(kind="waitlist_promoted").values_list("to_email", flat=True)
    ) == ["p2@example.org"]


def test_series_update_all_by_a_member_is_refused(community, coordinator, now):
    series = _create(community, coordinator)
    member = MembershipFactory(community=community).user

    with pytest.raises(DomainError) as raised:
        series_update_all(series_id=series.pk, actor=member, details=_details(title="Mine"))

    assert raised.value.code == "not_found"
    assert Series.objects.get(pk=series.pk).title == "Lean Coffee"


# --- series_split ("this and following") ------------------------------------------------------


def test_series_split_ends_the_old_series_and_moves_the_rest_with_their_rsvps(
    community, coordinator, now
):
    old = _create(community, coordinator, Recurrence(frequency="weekly", count=10))
    occurrences = _occurrences(old)
    at = occurrences[3]  # 2026-03-25, the Wednesday before the DST change
    later = occurrences[5]
    anna, ben = UserFactory(email="anna@example.org"), UserFactory(email="ben@example.org")
    rsvp_set(session_id=at.pk, user=anna, status="going")
    rsvp_set(session_id=later.pk, user=ben, status="maybe")
    rsvp_set(session_id=occurrences[1].pk, user=anna, status="going")
    new_start = _local(2026, 3, 25, 14, 0)

    new = series_split(
        session_id=at.pk,
        actor=coordinator,
        details=_details(
            title="Lean Coffee (afternoon)", start=new_start, end=new_start + timedelta(hours=1)
        ),
    )

    old.refresh_from_db()
    # 2026-03-25 12:00 CET is 11:00 UTC: the old rule ends one second before.
    assert old.rrule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260325T105959Z"
    assert (old.ended, old.sequence) == (True, 1)
    assert [s.date().isoformat() for s in _starts(old.rrule, old.first_start)] == [
        "2026-03-04",
        "2026-03-11",
        "2026-03-18",
    ]
    assert _local_starts(old) == [
        "2026-03-04T12:00:00+01:00",
        "2026-03-11T12:00:00+01:00",
        "2026-03-18T12:00:00+01:00",
    ]
    assert new.uid != old.uid
    assert (new.rrule, new.first_start, new.title, new.ended, new.sequence) == (
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=7",
        new_start,
        "Lean Coffee (afternoon)",
        False,
        0,
    )
    assert _local_starts(new) == [
        "2026-03-25T14:00:00+01:00",
        "2026-04-01T14:00:00+02:00",
        "2026-04-08T14:00:00+02:00",
        "2026-04-15T14:00:00+02:00",
        "2026-04-22T14:00:00+02:00",
        "2026-04-29T14:00:00+02:00",
        "2026-05-06T14:00:00+02:00",
    ]
    # The same rows moved (their RSVPs with them); no new rows were made.
    assert [o.pk for o in _occurrences(new)] == [o.pk for o in occurrences[3:]]
    assert Session.objects.count() == 10
    assert all(o.recurrence_id == o.start for o in _occurrences(new))
    assert {(o.title, o.sequence) for o in _occurrences(new)} == {("Lean Coffee (afternoon)", 1)}
    assert sorted(Rsvp.objects.values_list("session_id", "user__email", "status")) == sorted(
        [
            (at.pk, "anna@example.org", "going"),
            (later.pk, "ben@example.org", "maybe"),
            (occurrences[1].pk, "anna@example.org", "going"),
        ]
    )
    assert Session.objects.get(pk=at.pk).series_id == new.pk
    assert Session.objects.get(pk=occurrences[1].pk).series_id == old.pk


def test_series_split_of_a_series_with_an_end_date_keeps_the_end_date(community, coordinator, now):
    old = _create(community, coordinator, Recurrence(frequency="weekly", until=date(2026, 4, 30)))
    at = _occurrences(old)[2]

    new = series_split(session_id=at.pk, actor=coordinator, details=_details())

    assert new.rrule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260430T215959Z"
    assert len(_occurrences(old)) == 2
    assert len(_occurrences(new)) == 7  # 18 March to 29 April


def test_series_split_capacity_below_the_going_of_a_later_occurrence_changes_nothing(
    community, coordinator, now
):
    old = _create(community, coordinator, Recurrence(frequency="weekly", count=10), capacity=3)
    occurrences = _occurrences(old)
    for person in UserFactory.create_batch(3):
        rsvp_set(session_id=occurrences[6].pk, user=person, status="going")

    with pytest.raises(DomainError) as raised:
        series_split(session_id=occurrences[3].pk, actor=coordinator, details=_details(capacity=2))

    assert raised.value.code == "capacity_below_going"
    old.refresh_from_db()
    assert (old.rrule, old.ended, Series.objects.count()) == (
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10",
        False,
        1,
    )
    assert {o.series_id for o in Session.objects.all()} == {old.pk}


def test_series_split_of_a_one_off_session_is_refused(community, coordinator, now):

    one_off = SessionFactory(community=community)

    with pytest.raises(DomainError) as raised:
        series_split(session_id=one_off.pk, actor=coordinator, details=_details())

    assert raised.value.code == "not_series"


# --- series_cancel_rest -----------------------------------------------------------------------


def test_series_cancel_rest_cancels_from_that_occurrence_on(community, coordinator, now):
    series = _create(community, coordinator, Recurrence(frequency="weekly", count=6))
    occurrences = _occurrences(series)
    anna = UserFactory(email="anna@example.org")
    rsvp_set(session_id=occurrences[4].pk, user=anna, status="going")
    rsvp_set(session_id=occurrences[1].pk, user=anna, status="going")

    cancelled = series_cancel_rest(
        session_id=occurrences[2].pk, actor=coordinator, reason="Moving to Teams"
    )
    again = series_cancel_rest(session_id=occurrences[2].pk, actor=coordinator, reason="x")

    assert (cancelled, again) == (4, 0)
    assert [(o.state, o.cancel_reason) for o in _occurrences(series)] == [
        ("scheduled", ""),
        ("scheduled", ""),
        ("cancelled", "Moving to Teams"),
        ("cancelled", "Moving to Teams"),
        ("cancelled", "Moving to Teams"),
        ("cancelled", "Moving to Teams"),
    ]
    series.refresh_from_db()
    # 2026-03-18 12:00 CET is 11:00 UTC.
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260318T105959Z"
    assert (series.ended, series.sequence) == (True, 1)
    assert list(
        OutboxMessage.objects.filter(kind="session_cancelled").values_list("to_email", flat=True)
    ) == ["anna@example.org"]
    assert series_extend_all(now=NOW + timedelta(days=365)) == 0


def test_series_cancel_rest_from_a_later_cancelled_occurrence_does_not_extend_the_series(
    community, coordinator, now
):
    series = _create(community, coordinator, Recurrence(frequency="weekly", count=6))
    occurrences = _occurrences(series)
    series_cancel_rest(session_id=occurrences[2].pk, actor=coordinator, reason="Stopping")

    cancelled = series_cancel_rest(session_id=occurrences[4].pk, actor=coordinator, reason="")

    assert cancelled == 0
    series.refresh_from_db()
    assert (series.rrule, series.sequence) == (
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260318T105959Z",
        1,
    )
