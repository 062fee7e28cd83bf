"""A coffee-pairing round of 5,000 people, against a plain random shuffle in the same run.

- ``pairing.match@5000``: the pure matching (``pair_people``) of 5,000 people in 20 teams with
  four earlier rounds behind them (avoid everyone met before, then a shared team), against
  shuffling the same ids and taking them two by two (``random_pairs``). The note says how many
  repeated meetings each made: the matching must make none.
- ``pairing.round@N`` (N = scale × 500, 5,000 at the default scale): the whole round in the
  database, ``pairing_round_run`` (participants, history, matching, Pair rows, one introduction
  mail per person with its calendar invitation rendered into the outbox), against the random
  shuffle plus a ``bulk_create`` of the same number of Pair rows.
"""

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench.generators import make_people
from bench.measure import Context, Figure, median_seconds
from communities.mail.models import OutboxMessage
from learning.pairing.matching import Person, history_of, pair_people, random_pairs, repeats
from learning.pairing.models import Pair, PairingOptIn, PairingProgramme, PairingRound
from learning.pairing.services import pairing_round_run

MATCH_SIZE = 5_000
EARLIER_ROUNDS = 4


def _match(context: Context) -> Figure:
    rng = random.Random(context.seed)
    people = [Person(id=n, team=f"team {rng.randrange(20)}") for n in range(MATCH_SIZE)]
    earlier: list[tuple[int, ...]] = []
    for number in range(EARLIER_ROUNDS):
        earlier += pair_people(people, met=history_of(earlier), seed=f"bench:{number}")
    met = history_of(earlier)
    ids = [p.id for p in people]
    seconds = median_seconds(
        lambda: pair_people(people, met=met, seed="bench:x"), repeat=context.repeat
    )
    floor = median_seconds(lambda: random_pairs(ids, seed="bench:x"), repeat=context.repeat)
    ours = repeats(pair_people(people, met=met, seed="bench:x"), met)
    plain = repeats(random_pairs(ids, seed="bench:x"), met)
    return Figure(
        f"pairing.match@{MATCH_SIZE}",
        seconds * 1000,
        floor * 1000,
        "ms",
        note=f"repeated meetings: {ours} (random shuffle: {plain}); {EARLIER_ROUNDS} rounds before",
        details={
            "size": MATCH_SIZE,
            "repeats": ours,
            "baseline_repeats": plain,
            "correct": ours == 0,
        },
    )


def _count_queries(function) -> int:
    """Every query, however many (Django's query log keeps only the last 9,000)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function()
    return count


def _round(context: Context) -> Figure:
    size = context.scale * 500
    rng = random.Random(context.seed)
    people = make_people(size, rng=rng, prefix="pairing")
    programme = PairingProgramme.objects.create(
        name="Bench pairing", cadence_weeks=2, next_round_on=timezone.localdate()
    )
    PairingOptIn.objects.bulk_create(
        (PairingOptIn(programme=programme, user=person) for person in people), batch_size=1000
    )

    def ours():
        with transaction.atomic():
            made = pairing_round_run(programme_id=programme.pk)
        return made

    def plain():
        with transaction.atomic():
            round_ = PairingRound.objects.create(
                programme=programme, number=10_000 + rng.randrange(10**6), held_on=date.today()
            )
            start = timezone.now() + timedelta(days=2)
            Pair.objects.bulk_create(
                (
                    Pair(round=round_, first_id=group[0], second_id=group[1], slot_start=start)
                    for group in random_pairs([p.pk for p in people], seed=rng.random())
                ),
                batch_size=1000,
            )

    def reset():
        OutboxMessage.objects.filter(kind="pairing_introduction").delete()

    queries = _count_queries(ours)
    reset()
    seconds = median_seconds(lambda: (ours(), reset()), repeat=context.repeat, warmup=0)
    floor = median_seconds(plain, repeat=context.repeat, warmup=0)
    return Figure(
        f"pairing.round@{size}",
        seconds,
        floor,
        "s",
        note=f"{queries} queries, {size} introduction mails; baseline: shuffle + bulk_create",
        details={"size": size, "queries": queries},
    )


def run(context: Context) -> list[Figure]:
    context.log("bench: pairing: matching 5,000 people")
    figures = [_match(context)]
    context.log(f"bench: pairing: a whole round of {context.scale * 500} people")
    figures.append(_round(context))
    return figures
