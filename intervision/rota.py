"""The rota and the case selection as pure functions.

No database here: the services pass plain values in and act on what comes out, so the rules can
be tested with examples and with hypothesis.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RotaMember:
    user_id: int
    joined_at: datetime
    last_presented_at: datetime | None = None


def _rota_key(member: RotaMember) -> tuple:
    last = member.last_presented_at
    # Compare naive and aware alike: only the order matters, and all values share one kind.
    return (
        last is not None,
        last.timestamp() if last is not None else 0.0,
        member.joined_at.timestamp(),
        member.user_id,
    )


def rota_order(members: Iterable[RotaMember], *, unavailable: Iterable[int] = ()) -> list[int]:
    """User ids in rota order: never presented first, then least recently presented; ties by
    earliest join, then id. Members who are absent or declined (``unavailable``) are skipped."""
    skip = set(unavailable)
    return [m.user_id for m in sorted(members, key=_rota_key) if m.user_id not in skip]


def propose_presenters(
    members: Iterable[RotaMember], *, unavailable: Iterable[int] = (), count: int = 3
) -> list[int]:
    """The next ``count`` presenters the rota proposes."""
    return rota_order(members, unavailable=unavailable)[:count]


@dataclass(frozen=True)
class Candidate:
    case_id: int
    presenter_id: int
    urgency: int
    submitted_at: datetime
    presenter_last_presented_at: datetime | None = None
    presenter_joined_at: datetime | None = None
    priority_bump: int = 0


class SelectionError(ValueError):
    """The facilitator's choice is not one of the candidates, or the mode is unknown."""


MODES = ("vote", "urgency", "rotation", "facilitator")


def _tie_break(candidate: Candidate) -> tuple:
    """Carried-over cases first, then the least recent presenter, then the earliest submission."""
    last = candidate.presenter_last_presented_at
    joined = candidate.presenter_joined_at
    return (
        -candidate.priority_bump,
        last is not None,
        last.timestamp() if last is not None else 0.0,
        candidate.submitted_at.timestamp(),
        joined.timestamp() if joined is not None else 0.0,
        candidate.case_id,
    )


def select_case(
    candidates: Iterable[Candidate],
    *,
    mode: str,
    votes: Mapping[int, int] | None = None,
    chosen: int | None = None,
) -> int | None:
    """The case id to discuss, or None without candidates.

    ``vote``: most votes; ``urgency``: highest urgency (1–5); ``rotation``: the least recent
    presenter; ``facilitator``: ``chosen``. Ties: ``_tie_break``. One candidate is always chosen.
    """
    pool = list(candidates)
    if mode not in MODES:
        raise SelectionError(mode)
    if not pool:
        return None
    if len(pool) == 1:
        return pool[0].case_id
    if mode == "facilitator":
        if chosen not in {c.case_id for c in pool}:
            raise SelectionError("chosen")
        return chosen
    votes = votes or {}
    if mode == "vote":
        primary = {c.case_id: -votes.get(c.case_id, 0) for c in pool}
    elif mode == "urgency":
        primary = {c.case_id: -c.urgency for c in pool}
    else:  # rotation: the least recent presenter, before any carried-over bump
        primary = {c.case_id: _tie_break(c)[1:3] for c in pool}
    return min(pool, key=lambda c: (primary[c.case_id], _tie_break(c))).case_id
