"""The rota and the case selection are pure functions: examples and properties (hypothesis)."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intervision.rota import (
    Candidate,
    RotaMember,
    SelectionError,
    propose_presenters,
    rota_order,
    select_case,
)

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


# --- the rota: examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "unavailable", "expected"),
    [
        # Never presented first, by join date; then least recent.
        (
            [RotaMember(1, at(0), at(50)), RotaMember(2, at(5)), RotaMember(3, at(1))],
            (),
            [3, 2, 1],
        ),
        # Least recent presenter first among those who presented.
        (
            [
                RotaMember(1, at(0), at(50)),
                RotaMember(2, at(0), at(20)),
                RotaMember(3, at(0), at(30)),
            ],
            (),
            [2, 3, 1],
        ),
        # Equal last presentation: earliest joined, then lowest id.
        (
            [RotaMember(4, at(2), at(9)), RotaMember(2, at(1), at(9)), RotaMember(3, at(1), at(9))],
            (),
            [2, 3, 4],
        ),
        # Absent or declined people are skipped.
        ([RotaMember(1, at(0)), RotaMember(2, at(1)), RotaMember(3, at(2))], (1, 3), [2]),
        ([], (), []),
    ],
)
def test_rota_order_examples(members, unavailable, expected):
    assert rota_order(members, unavailable=unavailable) == expected


def test_propose_presenters_shows_the_next_three():
    members = [RotaMember(i, at(i)) for i in range(1, 7)]
    assert propose_presenters(members) == [1, 2, 3]
    assert propose_presenters(members, unavailable={2}) == [1, 3, 4]


def simulate(members: list[RotaMember], sessions: int, absent=lambda n: set()) -> list[int]:
    """Each session the rota's first available member presents."""
    last = {m.user_id: m.last_presented_at for m in members}
    joined = {m.user_id: m.joined_at for m in members}
    presenters = []
    for n in range(sessions):
        current = [RotaMember(u, joined[u], last[u]) for u in last]
        order = rota_order(current, unavailable=absent(n))
        presenter = order[0]
        presenters.append(presenter)
        last[presenter] = at(2000 + 42 * n)  # after every drawn history
    return presenters


def test_twelve_sessions_six_members_each_presents_exactly_twice():
    members = [RotaMember(i, at(i)) for i in range(1, 7)]
    presenters = simulate(members, 12)
    assert presenters == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]
    assert Counter(presenters) == {i: 2 for i in range(1, 7)}


def test_an_absent_member_is_skipped_and_comes_first_next_time():
    members = [RotaMember(i, at(i)) for i in range(1, 5)]
    presenters = simulate(members, 4, absent=lambda n: {1} if n == 0 else set())
    assert presenters == [2, 1, 3, 4]


# --- the rota: properties -------------------------------------------------------------------

joined_days = st.integers(min_value=0, max_value=1000)
maybe_last = st.one_of(st.none(), st.integers(min_value=0, max_value=1000))


@st.composite
def groups(draw, min_size=1, max_size=10):
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    return [
        RotaMember(i, at(draw(joined_days)), None if (d := draw(maybe_last)) is None else at(d))
        for i in range(1, size + 1)
    ]


@given(groups(), st.sets(st.integers(min_value=1, max_value=10)))
def test_rota_is_a_permutation_of_the_available_members(members, unavailable):
    order = rota_order(members, unavailable=unavailable)
    assert sorted(order) == sorted(m.user_id for m in members if m.user_id not in unavailable)


@given(groups(min_size=2))
def test_never_presented_come_before_everyone_who_presented(members):
    order = rota_order(members)
    never = {m.user_id for m in members if m.last_presented_at is None}
    assert set(order[: len(never)]) == never


@given(groups())
def test_rota_does_not_depend_on_input_order(members):
    assert rota_order(members) == rota_order(list(reversed(members)))


@given(st.integers(min_value=4, max_value=8), st.integers(min_value=1, max_value=4))
def test_full_attendance_gives_everyone_the_same_number_of_turns(size, rounds):
    members = [RotaMember(i, at(i)) for i in range(1, size + 1)]
    assert Counter(simulate(members, size * rounds)) == {i: rounds for i in range(1, size + 1)}


@given(groups(min_size=2, max_size=8), st.integers(min_value=1, max_value=30))
def test_no_one_presents_twice_before_everyone_available_presented_once(members, sessions):
    presenters = simulate(members, sessions)
    size = len(members)
    for start in range(0, len(presenters) - size + 1, size):
        window = presenters[start : start + size]
        assert len(set(window)) == size


# --- case selection: examples ---------------------------------------------------------------


def case(case_id, presenter, *, urgency=3, submitted=0, last=None, bump=0, joined=0):
    return Candidate(
        case_id=case_id,
        presenter_id=presenter,
        urgency=urgency,
        submitted_at=at(submitted),
        presenter_last_presented_at=None if last is None else at(last),
        presenter_joined_at=at(joined),
        priority_bump=bump,
    )


def test_no_candidates_selects_nothing():
    assert select_case([], mode="vote") is None


def test_one_candidate_is_selected_in_every_mode():
    for mode in ("vote", "urgency", "rotation", "facilitator"):
        assert select_case([case(7, 1)], mode=mode) == 7


def test_vote_most_votes_wins():
    cases = [case(1, 1), case(2, 2), case(3, 3)]
    assert select_case(cases, mode="vote", votes={1: 1, 2: 3, 3: 2}) == 2


def test_vote_tie_goes_to_least_recent_presenter_then_earliest_submission():
    cases = [case(1, 1, last=30, submitted=1), case(2, 2, last=10, submitted=2)]
    assert select_case(cases, mode="vote", votes={1: 2, 2: 2}) == 2
    never = [case(1, 1, last=5, submitted=0), case(2, 2, last=None, submitted=3)]
    assert select_case(never, mode="vote", votes={}) == 2
    same = [case(1, 1, last=5, submitted=4), case(2, 2, last=5, submitted=3)]
    assert select_case(same, mode="vote", votes={1: 1, 2: 1}) == 2


def test_urgency_highest_first_then_tie_break():
    cases = [case(1, 1, urgency=4), case(2, 2, urgency=5, last=40), case(3, 3, urgency=5, last=20)]
    assert select_case(cases, mode="urgency") == 3


def test_rotation_least_recent_presenter_wins_whatever_the_votes():
    cases = [case(1, 1, last=10), case(2, 2, last=None, submitted=9), case(3, 3, last=2)]
    assert select_case(cases, mode="rotation", votes={1: 5}) == 2


def test_carried_over_case_wins_a_tie():
    cases = [case(1, 1, last=None), case(2, 2, last=40, bump=1)]
    assert select_case(cases, mode="vote", votes={1: 1, 2: 1}) == 2
    # ...but not against more votes.
    assert select_case(cases, mode="vote", votes={1: 2, 2: 1}) == 1


def test_facilitator_choice_must_be_a_candidate():
    cases = [case(1, 1), case(2, 2)]
    assert select_case(cases, mode="facilitator", chosen=2) == 2
    with pytest.raises(SelectionError):
        select_case(cases, mode="facilitator", chosen=9)
    with pytest.raises(SelectionError):
        select_case(cases, mode="lottery")


# --- case selection: properties ---------------------------------------------------------------


@st.composite
def candidate_sets(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    return [
        case(
            i,
            100 + i,
            urgency=draw(st.integers(min_value=1, max_value=5)),
            submitted=draw(st.integers(min_value=0, max_value=50)),
            last=draw(maybe_last),
            bump=draw(st.integers(min_value=0, max_value=2)),
        )
        for i in range(1, size + 1)
    ]


@given(candidate_sets(), st.sampled_from(["vote", "urgency", "rotation"]), st.data())
def test_selection_picks_a_candidate_and_ignores_input_order(cases, mode, data):
    votes = {c.case_id: data.draw(st.integers(min_value=0, max_value=6)) for c in cases}
    picked = select_case(cases, mode=mode, votes=votes)
    assert picked in {c.case_id for c in cases}
    assert select_case(list(reversed(cases)), mode=mode, votes=votes) == picked


@given(candidate_sets(), st.data())
def test_vote_winner_has_the_most_votes(cases, data):
    votes = {c.case_id: data.draw(st.integers(min_value=0, max_value=6)) for c in cases}
    picked = select_case(cases, mode="vote", votes=votes)
    assert votes[picked] == max(votes.values())


@given(candidate_sets())
def test_urgency_winner_is_among_the_most_urgent(cases):
    picked = next(c for c in cases if c.case_id == select_case(cases, mode="urgency"))
    assert picked.urgency == max(c.urgency for c in cases)
