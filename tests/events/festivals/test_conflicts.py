"""The programme's conflict detection: one pure function, a table of cases."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.festivals.conflicts import (
    ROOM_TOO_SMALL,
    ROOM_TWICE,
    SPEAKER_TWICE,
    TOO_LONG,
    Conflict,
    Placement,
    _overlap,
    programme_conflicts,
)


def p(key, *, room=1, start="10:00", end="10:30", minutes=25, speakers=(100,), cap=40, aud=0):
    def t(clock):
        hour, minute = map(int, clock.split(":"))
        return datetime(2030, 5, 1, hour, minute, tzinfo=UTC)

    return Placement(
        key=key, room_id=room, room_capacity=cap, slot_start=t(start), slot_end=t(end),
        minutes=minutes, speakers=frozenset(speakers), expected_audience=aud,
    )  # fmt: skip


CASES = [
    ("empty programme", [], []),
    ("one session that fits", [p(1)], []),
    (
        "two rooms at once, different speakers",
        [p(1, room=1, speakers=(100,)), p(2, room=2, speakers=(200,))],
        [],
    ),
    (
        "same room back to back (end = next start) is fine",
        [p(1, start="10:00", end="10:30"), p(2, start="10:30", end="11:00", speakers=(200,))],
        [],
    ),
    (
        "speaker in two rooms at once",
        [p(1, room=1, speakers=(100,)), p(2, room=2, speakers=(100, 300))],
        [Conflict(SPEAKER_TWICE, (1, 2), 100)],
    ),
    (
        "speaker in partly overlapping slots",
        [p(1, room=1, start="10:00", end="11:00"), p(2, room=2, start="10:45", end="11:15")],
        [Conflict(SPEAKER_TWICE, (1, 2), 100)],
    ),
    (
        "two speakers shared: one conflict each",
        [p(1, room=1, speakers=(100, 200)), p(2, room=2, speakers=(200, 100))],
        [Conflict(SPEAKER_TWICE, (1, 2), 100), Conflict(SPEAKER_TWICE, (1, 2), 200)],
    ),
    (
        "room used twice",
        [p(1, speakers=(100,)), p(2, speakers=(200,), start="10:15", end="10:45")],
        [Conflict(ROOM_TWICE, (1, 2))],
    ),
    (
        "room used twice by the same speaker: both kinds",
        [p(1), p(2)],
        [Conflict(ROOM_TWICE, (1, 2)), Conflict(SPEAKER_TWICE, (1, 2), 100)],
    ),
    ("session longer than its slot", [p(1, minutes=31)], [Conflict(TOO_LONG, (1,))]),
    ("session exactly as long as its slot", [p(1, minutes=30)], []),
    ("room too small", [p(1, cap=40, aud=41)], [Conflict(ROOM_TOO_SMALL, (1,))]),
    ("room exactly full", [p(1, cap=40, aud=40)], []),
    (
        "every kind at once, in a stable order",
        [p(7, minutes=45, cap=10, aud=20), p(3, start="10:10", end="10:20")],
        [
            Conflict(SPEAKER_TWICE, (3, 7), 100),
            Conflict(ROOM_TWICE, (3, 7)),
            Conflict(TOO_LONG, (3,)),
            Conflict(TOO_LONG, (7,)),
            Conflict(ROOM_TOO_SMALL, (7,)),
        ],
    ),
]


@pytest.mark.parametrize(("label", "placements", "expected"), CASES, ids=[c[0] for c in CASES])
def test_programme_conflicts_table(label, placements, expected):
    assert programme_conflicts(placements) == sorted(
        expected,
        key=lambda c: (
            (SPEAKER_TWICE, ROOM_TWICE, TOO_LONG, ROOM_TOO_SMALL).index(c.kind),
            c.keys,
            c.speaker or 0,
        ),
    )


def test_programme_conflicts_order_is_kind_then_keys():
    found = programme_conflicts(
        [p(7, minutes=45, cap=10, aud=20), p(3, start="10:10", end="10:20")]
    )
    assert found == [
        Conflict(SPEAKER_TWICE, (3, 7), 100),
        Conflict(ROOM_TWICE, (3, 7)),
        Conflict(TOO_LONG, (3,)),
        Conflict(TOO_LONG, (7,)),
        Conflict(ROOM_TOO_SMALL, (7,)),
    ]


def _brute_force(placements):
    """Every pair compared: the reference the sweep must agree with."""

    found = []
    for placement in placements:
        if placement.minutes > (placement.slot_end - placement.slot_start).total_seconds() / 60:
            found.append(Conflict(TOO_LONG, (placement.key,)))
        if placement.expected_audience > placement.room_capacity:
            found.append(Conflict(ROOM_TOO_SMALL, (placement.key,)))
    for index, first in enumerate(placements):
        for second in placements[index + 1 :]:
            if _overlap(first, second):
                keys = tuple(sorted((first.key, second.key)))
                if first.room_id == second.room_id:
                    found.append(Conflict(ROOM_TWICE, keys))
                for speaker in sorted(first.speakers & second.speakers):
                    found.append(Conflict(SPEAKER_TWICE, keys, speaker))
    kinds = (SPEAKER_TWICE, ROOM_TWICE, TOO_LONG, ROOM_TOO_SMALL)
    return sorted(found, key=lambda c: (kinds.index(c.kind), c.keys, c.speaker or 0))


@given(
    st.lists(
        st.tuples(
            st.integers(1, 4),  # room
            st.integers(0, 20),  # start, in 15-minute steps from 09:00
            st.integers(1, 6),  # length in 15-minute steps
            st.integers(5, 100),  # minutes
            st.frozensets(st.integers(1, 5), min_size=1, max_size=2),  # speakers
            st.integers(0, 60),  # expected audience
        ),
        max_size=12,
    )
)
def test_programme_conflicts_sweep_agrees_with_every_pair(rows):
    placements = [
        Placement(
            key=index + 1,
            room_id=room,
            room_capacity=40,
            slot_start=datetime(2030, 5, 1, 9, tzinfo=UTC) + timedelta(minutes=15 * start),
            slot_end=datetime(2030, 5, 1, 9, tzinfo=UTC) + timedelta(minutes=15 * (start + length)),
            minutes=minutes,
            speakers=speakers,
            expected_audience=audience,
        )
        for index, (room, start, length, minutes, speakers, audience) in enumerate(rows)
    ]
    assert programme_conflicts(placements) == _brute_force(placements)
