"""What's on and the community directory at growing sizes: time and query count of the
selectors as the list views use them, vs a plain ``Session.objects.order_by("start")[:25]``.

Sizes are 100, 1,000 and ``scale`` × 1,000 communities with as many sessions. The query counts
must not grow with the data (ARCHITECTURE.md rule 3); the scenario reports them per size and marks the
figure when they differ.
"""

import random

from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from bench.generators import make_communities, make_people, make_rsvps, make_sessions
from bench.measure import Context, Figure, count_queries, median_seconds
from communities.models import Community
from communities.selectors import community_directory
from events.models import Session
from events.sessions.selectors import sessions_upcoming

PAGE_SIZE = 25
DIRECTORY_PAGE = 20
PEOPLE = 1_000


def sizes_for(scale: int) -> list[int]:
    return sorted({100, 1_000, 1_000 * scale})


def run(context: Context) -> list[Figure]:
    rng = random.Random(context.seed + 1)
    people = make_people(PEOPLE, rng=rng, prefix="listing")
    viewer = people[0]
    now = timezone.now()
    communities, sessions = [], []

    def whats_on() -> list:
        page = Paginator(sessions_upcoming(viewer), PAGE_SIZE).get_page(1)
        return [
            (s.title, s.start, s.community.name if s.community else "", s.going_count)
            for s in page.object_list
        ]

    def directory() -> list:
        # As the page: the first page of 20 (the directory view's paginator).
        page = Paginator(community_directory(viewer), DIRECTORY_PAGE).get_page(1)
        return [(c.name, c.slug, c.member_count, c.is_member) for c in page.object_list]

    def baseline() -> list:
        return [(s.title, s.start) for s in Session.objects.order_by("start")[:PAGE_SIZE]]

    def plain_directory() -> list:
        # Reference only (in the note and the JSON): every community, no visibility, no counts.
        return [(c.name, c.slug) for c in Community.objects.order_by("name")]

    functions = {
        "whats_on": whats_on,
        "directory": directory,
        "baseline": baseline,
        "plain_directory": plain_directory,
    }
    measured = {name: {} for name in functions}
    queries = {name: {} for name in functions}
    rows = {}
    for size in sizes_for(context.scale):
        grow = size - len(communities)
        context.log(f"listing: growing to {size:,} communities and sessions")
        communities += make_communities(
            grow, rng=rng, people=people, viewer=viewer, start=len(communities)
        )
        new_sessions = make_sessions(
            grow, rng=rng, communities=communities, now=now, start=len(sessions)
        )
        make_rsvps(rng=rng, sessions=new_sessions, people=people)
        sessions += new_sessions
        with connection.cursor() as cursor:  # fresh planner statistics, as a live database has
            cursor.execute("ANALYZE")

        for name, function in functions.items():
            measured[name][size] = median_seconds(function, repeat=max(context.repeat, 5)) * 1000
            queries[name][size] = count_queries(function)
        rows[size] = community_directory(viewer).count()

    figures = []
    for name, label in (
        ("whats_on", "sessions_upcoming page 1"),
        ("directory", "community_directory"),
    ):
        counts = set(queries[name].values())
        for size, milliseconds in measured[name].items():
            count = queries[name][size]
            note = f"{label}, {count} {'query' if count == 1 else 'queries'}"
            if name == "directory":
                plain = measured["plain_directory"][size]
                note += f", {rows[size]:,} rows (plain list of all: {plain:.1f} ms)"
            if len(counts) > 1:
                note += " — QUERY COUNT GROWS WITH DATA"
            figures.append(
                Figure(
                    f"listing.{name}@{size}",
                    milliseconds,
                    measured["baseline"][size],
                    "ms",
                    note=note,
                    details={
                        "size": size,
                        "queries": queries[name][size],
                        "baseline_queries": queries["baseline"][size],
                        "plain_directory_ms": measured["plain_directory"][size],
                        "query_count_constant": len(counts) == 1,
                        "rows": rows[size] if name == "directory" else PAGE_SIZE,
                    },
                )
            )
    return figures
