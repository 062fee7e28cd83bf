"""Conflicts on a festival programme grid: ONE pure function (data in, conflicts out).

The programme builder shows what ``programme_conflicts`` finds and the placing service refuses
any placement that would add a conflict. No database access here, so the table test in
tests/events/test_festival_conflicts.py covers every kind directly.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Placement:
    """A proposal placed in a slot, reduced to what conflicts depend on."""

    key: int  # the proposal's id
    room_id: int
    room_capacity: int
    slot_start: datetime
    slot_end: datetime
    minutes: int  # the session's length
    speakers: frozenset[int]  # user ids
    expected_audience: int  # the larger of the organisers' estimate and the people who picked it


SPEAKER_TWICE = "speaker_twice"
ROOM_TWICE = "room_twice"
TOO_LONG = "too_long"
ROOM_TOO_SMALL = "room_too_small"
KINDS = (SPEAKER_TWICE, ROOM_TWICE, TOO_LONG, ROOM_TOO_SMALL)


@dataclass(frozen=True)
class Conflict:
    kind: str
    keys: tuple[int, ...]  # the proposals involved, sorted
    speaker: int | None = None  # SPEAKER_TWICE: who


def _overlap(a: Placement, b: Placement) -> bool:
    return a.slot_start < b.slot_end and b.slot_start < a.slot_end


def programme_conflicts(placements: list[Placement]) -> list[Conflict]:
    """Every conflict among ``placements``, in a stable order (kind, keys, speaker).

    - SPEAKER_TWICE: a speaker in two placements whose slots overlap (once per speaker and pair);
    - ROOM_TWICE: two placements in the same room whose slots overlap;
    - TOO_LONG: a session longer than its slot;
    - ROOM_TOO_SMALL: a room's capacity below the expected audience.
    """
    found: list[Conflict] = []
    for placement in placements:
        slot_minutes = (placement.slot_end - placement.slot_start).total_seconds() / 60
        if placement.minutes > slot_minutes:
            found.append(Conflict(TOO_LONG, (placement.key,)))
        if placement.expected_audience > placement.room_capacity:
            found.append(Conflict(ROOM_TOO_SMALL, (placement.key,)))
    # A sweep over the placements in start order: the inner loop stops at the first one that
    # starts after this one ends, so a day's grid costs about n·(rooms), not n².
    ordered = sorted(placements, key=lambda p: (p.slot_start, p.key))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.slot_start >= first.slot_end:
                break
            if not _overlap(first, second):
                continue
            keys = tuple(sorted((first.key, second.key)))
            if first.room_id == second.room_id:
                found.append(Conflict(ROOM_TWICE, keys))
            for speaker in sorted(first.speakers & second.speakers):
                found.append(Conflict(SPEAKER_TWICE, keys, speaker))
    return sorted(found, key=lambda c: (KINDS.index(c.kind), c.keys, c.speaker or 0))


def conflicts_involving(conflicts: list[Conflict], key: int) -> list[Conflict]:
    return [conflict for conflict in conflicts if key in conflict.keys]


def conflict_message(conflict: Conflict, titles: dict[int, str], names: dict[int, str]) -> str:
    title = " / ".join(titles.get(key, "?") for key in conflict.keys)
    if conflict.kind == SPEAKER_TWICE:
        return _("%(speaker)s would be in two places at once: %(title)s.") % {
            "speaker": names.get(conflict.speaker, "?"),
            "title": title,
        }
    if conflict.kind == ROOM_TWICE:
        return _("The room is used twice at the same time: %(title)s.") % {"title": title}
    if conflict.kind == TOO_LONG:
        return _("%(title)s is longer than its slot.") % {"title": title}
    if conflict.kind == ROOM_TOO_SMALL:
        return _("%(title)s expects more people than the room holds.") % {"title": title}
    return title
