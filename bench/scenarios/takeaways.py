"""Takeaway search and community insights.

Search: a generated organisation with ``scale`` × 1,000 takeaways, then ten times as many
(``--scale 10``, the default: 10,000 → 100,000). Per query type, 25 different queries are timed
as the search page runs them (the paginator's count + the first page of 20, tags prefetched) by
a member of about a tenth of the communities; the figures are p50 and p95 at the large size, with
the small size as baseline, so the ratio is how search grows with ten times the data.

Insights: one community with 2,000 past sessions (8 answers and 1 takeaway each, 60 members):
the insights page over HTTP (figures + SVG charts), time and query count, with a community of
200 sessions as baseline.

Needs PostgreSQL (the full-text index); on SQLite the scenario is skipped.
"""

import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.generators import BATCH, TOPICS, make_communities, make_people
from bench.measure import Context, Figure, Skipped, count_queries
from communities.models import Community, Membership
from events.models import Rsvp, Session, Takeaway, TakeawayTag
from events.takeaways.selectors.search import TakeawayFilters, search_page

QUERIES_PER_TYPE = 25
PAGE = 20
WORDS_NL = [
    "vergadering",
    "vergaderingen",
    "kennisdeling",
    "testen",
    "getest",
    "toegankelijkheid",
    "formulieren",
    "gemeente",
    "wijkteam",
    "datakwaliteit",
    "privacy",
    "beveiliging",
    "wachtwoord",
    "architectuur",
    "besluit",
    "samenwerking",
    "feedback",
    "coaching",
    "inkoop",
    "aanbesteding",
    "duurzaamheid",
    "energie",
    "onderhoud",
    "participatie",
    "jeugdzorg",
    "dienstverlening",
    "klantcontact",
    "planning",
    "overdracht",
]
WORDS_EN = [
    "meeting",
    "testing",
    "tested",
    "deployment",
    "rollback",
    "pipeline",
    "review",
    "pairing",
    "onboarding",
    "typing",
    "protocol",
    "fixture",
    "migration",
    "database",
    "cache",
    "latency",
    "logging",
    "monitoring",
    "incident",
    "postmortem",
    "accessibility",
    "label",
    "contrast",
    "keyboard",
    "secrets",
    "rotation",
    "backup",
    "restore",
]
RARE = [f"zeldzaam{n}" for n in range(50)]


def _text(rng: random.Random, words: int) -> str:
    vocabulary = WORDS_NL if rng.random() < 0.7 else WORDS_EN
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def make_takeaways(count, *, rng, sessions, people, tags, start=0) -> None:
    """``count`` takeaways on random sessions: 70 % Dutch, a rare word in 1 %, a tag each,
    visibilities mixed, a fifth past their review date."""
    today = timezone.localdate()
    rows = []
    for _index in range(start, start + count):
        author = rng.choice(people)
        title = _text(rng, rng.randint(3, 7)).capitalize()[:80]
        body = _text(rng, rng.randint(15, 60))
        if rng.random() < 0.01:
            body += " " + rng.choice(RARE)
        rows.append(
            Takeaway(
                session=rng.choice(sessions),
                author=author,
                owner=author,
                title=title,
                body=body[:1000],
                visibility=rng.choices(
                    ["organisation", "community", "private"], weights=[60, 30, 10]
                )[0],
                tags_text=rng.choice(tags).name,
                review_due=today + timedelta(days=rng.randint(-120, 480)),
            )
        )
    made = Takeaway.objects.bulk_create(rows, batch_size=BATCH)
    by_name = {tag.name: tag for tag in tags}
    Takeaway.tags.through.objects.bulk_create(
        [
            Takeaway.tags.through(takeaway_id=t.pk, takeawaytag_id=by_name[t.tags_text].pk)
            for t in made
        ],
        batch_size=BATCH,
    )


def _queries(rng: random.Random, communities, tags) -> dict[str, list[TakeawayFilters]]:
    public = [c for c in communities if c.visibility == "public" and not c.archived]
    return {
        "word": [
            TakeawayFilters(q=rng.choice(WORDS_NL + WORDS_EN)) for _ in range(QUERIES_PER_TYPE)
        ],
        "two_words": [
            TakeawayFilters(q=f"{rng.choice(WORDS_NL)} {rng.choice(WORDS_NL)}")
            for _ in range(QUERIES_PER_TYPE)
        ],
        "prefix": [
            TakeawayFilters(q=rng.choice(WORDS_NL + WORDS_EN)[:5]) for _ in range(QUERIES_PER_TYPE)
        ],
        "rare": [TakeawayFilters(q=rng.choice(RARE)) for _ in range(QUERIES_PER_TYPE)],
        "filtered": [
            TakeawayFilters(
                q=rng.choice(WORDS_NL), community=rng.choice(public).slug, tag=rng.choice(tags).slug
            )
            for _ in range(QUERIES_PER_TYPE)
        ],
        "browse": [TakeawayFilters() for _ in range(QUERIES_PER_TYPE)],
    }


def _run_search(viewer, filters: TakeawayFilters) -> int:
    page = search_page(viewer, filters, number=1, per_page=PAGE)  # as the search view does
    rows = [(t.title, t.helpful_count, [tag.name for tag in t.tags.all()]) for t in page]
    return page.paginator.count + len(rows)


def _percentiles(viewer, queries: list[TakeawayFilters]) -> tuple[float, float]:
    _run_search(viewer, queries[0])  # warm-up
    times = []
    for filters in queries:
        started = time.perf_counter()
        _run_search(viewer, filters)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def run(context: Context) -> list[Figure]:
    if connection.vendor != "postgresql":
        raise Skipped("takeaway search needs PostgreSQL (full-text index)")
    rng = random.Random(context.seed + 11)
    small, large = 1_000 * context.scale, 10_000 * context.scale
    people = make_people(2_000, rng=rng, prefix="tk")
    viewer = people[0]
    communities = make_communities(300, rng=rng, people=people, viewer=viewer)
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        [
            Session(
                community=rng.choice(communities),
                format=rng.choice(["brown_bag", "workshop", "meetup", "kenniscafe"]),
                title=f"Sessie {n}",
                start=now - timedelta(days=n % 700, hours=1),
                end=now - timedelta(days=n % 700),
                uid=f"bench-tk-session-{n}@kennisplein",
            )
            for n in range(5_000)
        ],
        batch_size=BATCH,
    )
    tags = TakeawayTag.objects.bulk_create(
        [TakeawayTag(name=name, slug=name.lower()) for name in TOPICS]
    )
    queries = _queries(rng, communities, tags)
    measured: dict[int, dict[str, tuple[float, float]]] = {}
    counts: dict[int, dict[str, int]] = {}
    built = 0
    for size in (small, large):
        context.log(f"takeaways: growing to {size:,} takeaways")
        started = time.perf_counter()
        make_takeaways(
            size - built, rng=rng, sessions=sessions, people=people, tags=tags, start=built
        )
        built = size
        context.log(f"takeaways: built in {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        measured[size] = {name: _percentiles(viewer, qs) for name, qs in queries.items()}
        # Query count per type: the most any of its queries needs (a query without results
        # skips the tags prefetch, so a single sample would look like growth).
        counts[size] = {
            name: max(count_queries(lambda q=q: _run_search(viewer, q)) for q in qs)
            for name, qs in queries.items()
        }

    figures = []
    for name in queries:
        for index, label in ((0, "p50"), (1, "p95")):
            figures.append(
                Figure(
                    f"takeaways.search.{name}.{label}@{large}",
                    measured[large][name][index],
                    measured[small][name][index],
                    "ms",
                    note=(
                        f"baseline: the same at {small:,}; {counts[large][name]} queries"
                        + (
                            ""
                            if counts[large][name] == counts[small][name]
                            else " — QUERY COUNT GROWS"
                        )
                    ),
                    details={
                        "small": small,
                        "large": large,
                        "queries": counts[large][name],
                        "query_count_constant": counts[large][name] == counts[small][name],
                    },
                    goal=("<=", 2),  # ten times the takeaways, at most twice the time
                )
            )
    figures += _insights(context, rng, people)
    return figures


def _community_with_sessions(rng, people, sessions: int, slug: str):
    community = Community.objects.create(name=f"Insights {slug}", slug=slug, kind="guild")
    members = rng.sample(people, 60)
    Membership.objects.bulk_create(
        [
            Membership(
                user=person,
                community=community,
                role="coordinator" if index == 0 else "member",
                joined_at=timezone.now() - timedelta(days=rng.randint(0, 1500)),
            )
            for index, person in enumerate(members)
        ]
    )
    now = timezone.now()
    made = Session.objects.bulk_create(
        [
            Session(
                community=community,
                format=rng.choice(["brown_bag", "workshop", "meetup"]),
                title=f"{slug} {n}",
                start=now - timedelta(hours=n * 17 + 2),
                end=now - timedelta(hours=n * 17 + 1),
                uid=f"bench-{slug}-{n}@kennisplein",
            )
            for n in range(sessions)
        ],
        batch_size=BATCH,
    )
    rsvps, takeaways = [], []
    for session in made:
        for person in rng.sample(members, 8):
            rsvps.append(
                Rsvp(
                    session=session,
                    user=person,
                    status="going",
                    attended=rng.choice([True, True, True, False, None]),
                )
            )
        takeaways.append(
            Takeaway(session=session, author=members[1], title="Inzicht", visibility="community")
        )
    Rsvp.objects.bulk_create(rsvps, batch_size=BATCH)
    Takeaway.objects.bulk_create(takeaways, batch_size=BATCH)
    return community, members[0]


def _insights(context: Context, rng, people) -> list[Figure]:

    # The page is fetched in-process with Django's test client (host "testserver").
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    results = {}
    for sessions, slug in ((200, "insights-small"), (2_000, "insights-large")):
        context.log(f"takeaways: a community with {sessions:,} sessions")
        community, coordinator = _community_with_sessions(rng, people, sessions, slug)
        client = Client()
        client.force_login(coordinator)
        path = f"/communities/{community.slug}/insights/?months=24"

        def page(path=path, client=client):
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        page()
        times = []
        for _ in range(max(context.repeat, 5)):
            started = time.perf_counter()
            page()
            times.append((time.perf_counter() - started) * 1000)
        results[sessions] = (statistics.median(times), count_queries(page))
    large, small = results[2_000], results[200]
    return [
        Figure(
            "takeaways.insights_page@2000_sessions",
            large[0],
            small[0],
            "ms",
            note=f"24 months, {large[1]} queries (baseline: 200 sessions, {small[1]} queries)",
            details={"queries": large[1], "query_count_constant": large[1] == small[1]},
        )
    ]
