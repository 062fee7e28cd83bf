"""Question search ("vraag & antwoord").

A generated organisation with ``scale`` × 1,000 questions, then ten times as many (``--scale
10``, the default: 10,000 → 100,000), each with an answer's text in half of them. Per query type
(one word, a prefix, a rare word, browsing without words), 25 different queries are timed as the
questions page runs them (the matching ids up to 1,001, the capped count, the first page of 20 and its tags) by a member
of about a tenth of the communities; the figures are p50 and p95 at the large size with the
small size as baseline, so the ratio is how search grows with ten times the data (the aim is at
most 2). ``EXPLAIN`` of a rare-word search says whether the GIN index is used.

Needs PostgreSQL (the full-text index); on SQLite the scenario is skipped.
"""

import random
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bench.generators import BATCH, TOPICS, make_communities, make_people
from bench.measure import Context, Figure, Skipped, count_queries
from bench.scenarios.takeaways import RARE, WORDS_EN, WORDS_NL
from events.models import TakeawayTag
from knowledge.models import Question
from knowledge.selectors.questions import question_list, question_page

QUERIES_PER_TYPE = 25
PAGE = 20


def _text(rng: random.Random, words: int) -> str:
    vocabulary = WORDS_NL if rng.random() < 0.7 else WORDS_EN
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def make_questions(count, *, rng, communities, people, tags, start=0) -> None:
    """``count`` questions: 70 % Dutch, a rare word in 1 %, a tag each, a third organisation-
    wide, the rest in random communities (private ones included), half with an answer."""
    now = timezone.now()
    rows = []
    for index in range(start, start + count):
        body = _text(rng, rng.randint(10, 40))
        if rng.random() < 0.01:
            body += " " + rng.choice(RARE)
        moment = now - timedelta(minutes=index)
        rows.append(
            Question(
                community=None if rng.random() < 0.33 else rng.choice(communities),
                author=rng.choice(people),
                title=(_text(rng, rng.randint(4, 9)).capitalize() + "?")[:200],
                body=body,
                tags_text=rng.choice(tags).name,
                answers_text=_text(rng, rng.randint(10, 30)) if rng.random() < 0.5 else "",
                answer_count=1 if rng.random() < 0.5 else 0,
                created_at=moment,
                published_at=moment,
            )
        )
    made = Question.objects.bulk_create(rows, batch_size=BATCH)
    by_name = {tag.name: tag for tag in tags}
    Question.tags.through.objects.bulk_create(
        [
            Question.tags.through(question_id=q.pk, takeawaytag_id=by_name[q.tags_text].pk)
            for q in made
        ],
        batch_size=BATCH,
    )


def _run(viewer, q: str) -> int:
    page = question_page(viewer, q=q, number=1, per_page=PAGE)  # as the questions page does
    rows = [(question.title, [tag.name for tag in question.tags.all()]) for question in page]
    return page.paginator.count + len(rows)


def _percentiles(viewer, queries: list[str]) -> tuple[float, float]:
    _run(viewer, queries[0])  # warm-up
    times = []
    for q in queries:
        started = time.perf_counter()
        _run(viewer, q)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _uses_index(viewer, q: str) -> bool:
    sql, params = question_list(viewer, q=q).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "question_search_gin" in plan


def run(context: Context) -> list[Figure]:
    if connection.vendor != "postgresql":
        raise Skipped("question search needs PostgreSQL (full-text index)")
    rng = random.Random(context.seed + 21)
    small, large = 1_000 * context.scale, 10_000 * context.scale
    people = make_people(1_000, rng=rng, prefix="qs")
    viewer = people[0]
    communities = make_communities(200, rng=rng, people=people, viewer=viewer)
    tags = list(TakeawayTag.objects.filter(name__in=TOPICS)) or TakeawayTag.objects.bulk_create(
        [TakeawayTag(name=name, slug=name.lower()) for name in TOPICS]
    )
    queries = {
        "word": [rng.choice(WORDS_NL + WORDS_EN) for _ in range(QUERIES_PER_TYPE)],
        "prefix": [rng.choice(WORDS_NL + WORDS_EN)[:5] for _ in range(QUERIES_PER_TYPE)],
        "rare": [rng.choice(RARE) for _ in range(QUERIES_PER_TYPE)],
        "browse": ["" for _ in range(QUERIES_PER_TYPE)],
    }
    measured, counts, index_used = {}, {}, {}
    built = 0
    for size in (small, large):
        context.log(f"questions: growing to {size:,} questions")
        started = time.perf_counter()
        make_questions(
            size - built, rng=rng, communities=communities, people=people, tags=tags, start=built
        )
        built = size
        context.log(f"questions: built in {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measured[size] = {name: _percentiles(viewer, qs) for name, qs in queries.items()}
        counts[size] = {
            name: max(count_queries(lambda q=q: _run(viewer, q)) for q in qs)
            for name, qs in queries.items()
        }
        index_used[size] = _uses_index(viewer, RARE[0])
    figures = []
    for name in queries:
        for position, label in ((0, "p50"), (1, "p95")):
            value, baseline = measured[large][name][position], measured[small][name][position]
            constant = counts[large][name] == counts[small][name]
            figures.append(
                Figure(
                    f"questions.search.{name}.{label}@{large}",
                    value,
                    baseline,
                    "ms",
                    note=(
                        f"baseline: the same at {small:,}; {counts[large][name]} queries;"
                        f" GIN index {'used' if index_used[large] else 'NOT USED'}"
                        + ("" if constant else " — QUERY COUNT GROWS")
                    ),
                    details={
                        "small": small,
                        "large": large,
                        "queries": counts[large][name],
                        "query_count_constant": constant,
                        "index_used": index_used[large],
                        "growth_within_2x": value <= 2 * baseline,
                    },
                )
            )
    return figures
