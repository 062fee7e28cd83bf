"""The pairing rule, for every draw: everyone is in exactly one group of two (one of three when
the number is odd), and nobody meets someone again while a new partner is possible."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from learning.pairing.matching import Person, history_of, pair_people, random_pairs, repeats


def check_partition(groups, ids):
    members = [pk for group in groups for pk in group]
    assert sorted(members) == sorted(ids)
    sizes = sorted(len(group) for group in groups)
    assert set(sizes) <= {2, 3}
    assert sizes.count(3) == len(ids) % 2


@settings(max_examples=40, deadline=None)
@given(
    teams=st.lists(st.sampled_from(["", "Noord", "Zuid", "ICT", "HR"]), min_size=50, max_size=50),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_fifty_people_meet_nobody_twice_in_five_rounds(teams, seed):
    people = [Person(id=n + 1, team=team) for n, team in enumerate(teams)]
    earlier = []
    for number in range(5):
        met = history_of(earlier)
        groups = pair_people(people, met=met, seed=f"{seed}:{number}")
        check_partition(groups, [p.id for p in people])
        assert repeats(groups, met) == 0
        earlier += groups


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=9),
    rounds=st.integers(min_value=1, max_value=8),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_small_groups_pair_everyone_even_when_a_repeat_is_unavoidable(size, rounds, seed):
    people = [Person(id=n) for n in range(size)]
    earlier = []
    for number in range(rounds):
        groups = pair_people(people, met=history_of(earlier), seed=f"{seed}:{number}")
        check_partition(groups, list(range(size)))
        earlier += groups


def test_a_repeat_happens_only_when_every_partner_was_met():
    # Four people have three ways to pair up; the fourth round must repeat one.
    people = [Person(id=n) for n in range(4)]
    earlier = []
    for number in range(3):
        met = history_of(earlier)
        groups = pair_people(people, met=met, seed=number)
        assert repeats(groups, met) == 0
        earlier += groups
    assert set(history_of(earlier)) == {frozenset(p) for p in combinations(range(4), 2)}
    assert repeats(pair_people(people, met=history_of(earlier), seed=9), history_of(earlier)) == 2


def test_colleagues_of_one_team_are_split_up_when_possible():
    people = [Person(1, "Noord"), Person(2, "Noord"), Person(3, "Zuid"), Person(4, "Zuid")]
    for seed in range(20):
        groups = pair_people(people, seed=seed)
        assert all({p.id for p in people if p.id in g} for g in groups)
        teams = [{people[pk - 1].team for pk in group} for group in groups]
        assert teams == [{"Noord", "Zuid"}, {"Noord", "Zuid"}]


def test_the_same_seed_gives_the_same_pairs():
    people = [Person(id=n) for n in range(30)]
    assert pair_people(people, seed="7:1") == pair_people(people, seed="7:1")


def test_random_pairs_covers_everyone():
    check_partition(random_pairs(list(range(11)), seed=1), list(range(11)))
