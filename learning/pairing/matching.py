"""Who meets whom in a pairing round: pure (people and history in, groups out; no database).

The rules, in order of weight: never pair two people who met before when it can be avoided,
then prefer people who do not share a team. An odd number makes one trio. The result is a
permutation of everyone who takes part: nobody is left out and nobody appears twice.

The method: a shuffled greedy pass (each person takes the first free candidate that costs
nothing, looking through a window of candidates, else the cheapest in it), then a repair pass
that swaps partners between two groups while that lowers the cost. Both are linear in the
number of people for realistic histories, so 5,000 people pair in well under a second.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

REPEAT = 100  # cost of meeting someone again, per earlier meeting
SAME_TEAM = 1  # cost of meeting someone from one's own team
WINDOW = 64  # candidates looked at before settling for the cheapest
REPAIR_ROUNDS = 3


@dataclass(frozen=True)
class Person:
    id: int
    team: str = ""


def history_of(groups: Iterable[Sequence[int]]) -> dict[frozenset[int], int]:
    """How often each two people met, from earlier rounds' groups (pairs and trios)."""
    met: dict[frozenset[int], int] = {}
    for group in groups:
        members = list(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                key = frozenset((a, b))
                met[key] = met.get(key, 0) + 1
    return met


class _Costs:
    def __init__(self, people: Sequence[Person], met: Mapping[frozenset[int], int]) -> None:
        self.team = {person.id: person.team.strip().casefold() for person in people}
        self.met = met

    def pair(self, a: int, b: int) -> int:
        cost = REPEAT * self.met.get(frozenset((a, b)), 0)
        if self.team[a] and self.team[a] == self.team[b]:
            cost += SAME_TEAM
        return cost

    def group(self, members: Sequence[int]) -> int:
        return sum(self.pair(a, b) for i, a in enumerate(members) for b in members[i + 1 :])


def _greedy(order: list[int], costs: _Costs) -> list[list[int]]:
    free = list(order)
    groups: list[list[int]] = []
    while len(free) >= 2:
        person = free.pop(0)
        best_index, best_cost = 0, None
        for index, candidate in enumerate(free[:WINDOW]):
            cost = costs.pair(person, candidate)
            if best_cost is None or cost < best_cost:
                best_index, best_cost = index, cost
                if cost == 0:
                    break
        if best_cost is not None and best_cost >= REPEAT:
            # Everyone in the window met this person before: look at the rest as well.
            for index in range(WINDOW, len(free)):
                cost = costs.pair(person, free[index])
                if cost < best_cost:
                    best_index, best_cost = index, cost
                    if cost < REPEAT:
                        break
        groups.append([person, free.pop(best_index)])
    if free:
        odd = free[0]
        if groups:
            cheapest = min(range(len(groups)), key=lambda i: costs.group([*groups[i], odd]))
            groups[cheapest].append(odd)
        else:
            groups.append([odd])
    return groups


def _repair(groups: list[list[int]], costs: _Costs) -> None:
    """Swap one member between a group that meets again and another group while that lowers
    their joint cost (a shared team alone is not worth the search)."""
    pairs = [i for i, group in enumerate(groups) if len(group) == 2]
    for _round in range(REPAIR_ROUNDS):
        improved = False
        for i in range(len(groups)):
            group = groups[i]
            if costs.group(group) < REPEAT:
                continue
            for j in pairs:
                if j == i or costs.group(group) == 0:
                    continue
                other = groups[j]
                before = costs.group(group) + costs.group(other)
                for x in range(len(group)):
                    for y in range(2):
                        left = [*group]
                        right = [*other]
                        left[x], right[y] = right[y], left[x]
                        if costs.group(left) + costs.group(right) < before:
                            groups[i], groups[j] = left, right
                            group, other = left, right
                            before = costs.group(left) + costs.group(right)
                            improved = True
        if not improved:
            break


def pair_people(
    people: Sequence[Person],
    *,
    met: Mapping[frozenset[int], int] | None = None,
    seed: int | str | None = None,
) -> list[tuple[int, ...]]:
    """Groups of two (one of three when the number is odd) covering everyone once.

    ``met``: how often two people met before (``history_of``); ``seed`` makes the draw
    repeatable (the round's id), so running a round twice gives the same pairs."""
    ids = [person.id for person in people]
    if len(set(ids)) != len(ids):
        raise ValueError("a person takes part once per round")
    if len(ids) < 2:
        return []
    costs = _Costs(people, met or {})
    order = list(ids)
    random.Random(seed).shuffle(order)
    groups = _greedy(order, costs)
    _repair(groups, costs)
    return [tuple(group) for group in groups]


def repeats(groups: Iterable[Sequence[int]], met: Mapping[frozenset[int], int]) -> int:
    """How many two-people meetings in ``groups`` happened before."""
    return sum(1 for key in history_of(groups) if met.get(key))


def random_pairs(ids: Sequence[int], *, seed: int | str | None = None) -> list[tuple[int, ...]]:
    """The plainest way to pair: shuffle and take them two by two (the benchmark's baseline)."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    groups = [tuple(order[i : i + 2]) for i in range(0, len(order) - len(order) % 2, 2)]
    if len(order) % 2 and groups:
        groups[-1] = (*groups[-1], order[-1])
    return groups
