"""The main pages at organisation scale against the same pages of a 50-person organisation.

Both organisations come from ``bench.organisation.build`` (server-side inserts) with the same
shape per community and per person (3 memberships and about 20 answers each, 200 sessions per
community, half upcoming), one after the other in the same fresh database: first 50 people,
measured, emptied; then ``scale`` × 5,000 people (50,000 at the default scale: 500 communities,
100,000 sessions, 1,000,000 RSVPs), measured. Each page is fetched through Django's test client
as the same kind of person (staff with two-factor, a coordinator of one community); the ratio
is large ÷ small, median of the rounds (goal ≤ 2 for every page).

For each page at scale the bench prints the slowest query's ``EXPLAIN ANALYZE`` (its first
lines), so an index that stops being used shows up in the output.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import organisation
from bench.measure import Context, Figure, Skipped, count_queries, median_seconds
from communities.models import Membership
from events.calendar.services.subscriptions import feed_token_reset
from events.insights.selectors import organisation_insights

SMALL_PEOPLE = 50
PEOPLE_PER_SCALE = 5_000
EXPLAIN_LINES = 12
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _pages(org: organisation.Organisation) -> tuple[Client, dict[str, str]]:
    viewer = org.person(0)
    viewer.is_staff = True
    viewer.save(update_fields=["is_staff"])
    if not Authenticator.objects.filter(user=viewer, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(viewer, TOTP_SECRET)
    coordinated = (
        Membership.objects.filter(user=viewer, role=Membership.Role.COORDINATOR)
        .select_related("community")
        .first()
        .community
    )
    public = (
        Membership.objects.filter(user=viewer, community__visibility="public")
        .select_related("community")
        .first()
        .community
    )
    token = feed_token_reset(user=viewer)
    client = Client()
    client.force_login(viewer)
    client.cookies["kp_language"] = "nl"
    return client, {
        "home": "/",
        "directory": "/communities/",
        "community": f"/communities/{public.slug}/",
        "whats_on": "/sessions/",
        "agenda": "/agenda/",
        "agenda_month": "/agenda/?month=" + time.strftime("%Y-%m"),
        "feed": f"/calendar/{token}.ics",
        "insights": "/insights/",
        "community_insights": f"/communities/{coordinated.slug}/insights/",
        "takeaways": "/takeaways/",
        "takeaway_search": "/takeaways/?q=privacy",
        "takeaway_prefix": "/takeaways/?q=toeg",
    }


def _measure(context: Context, client: Client, pages: dict[str, str], *, explain: bool) -> dict:
    results = {}
    for name, path in pages.items():

        def fetch(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response

        milliseconds = median_seconds(fetch, repeat=max(context.repeat, 3)) * 1000
        queries = count_queries(fetch)
        size = len(fetch().content)
        plan: list[str] = []
        if explain:
            with CaptureQueriesContext(connection) as captured:
                fetch()
            slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
            sql = slowest["sql"]
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
            plan = [f"-- {sql[:160]}{'…' if len(sql) > 160 else ''}", *plan]
        results[name] = {"ms": milliseconds, "queries": queries, "bytes": size, "plan": plan}
        context.log(f"  {name}: {milliseconds:.1f} ms, {queries} queries, {size:,} bytes")
    return results


def _insights_uncached(context: Context, org: organisation.Organisation) -> float:
    """The organisation insights computed afresh (what the page costs once per 10 minutes per
    visibility scope; the page itself serves them from the cache)."""
    viewer = org.person(0)
    return (
        median_seconds(
            lambda: organisation_insights(viewer=viewer, months=12), repeat=max(context.repeat, 3)
        )
        * 1000
    )


def run(context: Context) -> list[Figure]:
    if connection.vendor != "postgresql":
        raise Skipped("the organisation generator uses PostgreSQL's generate_series")
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    large_people = PEOPLE_PER_SCALE * context.scale

    context.log(f"scale: building a {SMALL_PEOPLE}-person organisation")
    small_org = organisation.build(people=SMALL_PEOPLE, prefix="klein")
    client, pages = _pages(small_org)
    small = _measure(context, client, pages, explain=False)
    small_uncached = _insights_uncached(context, small_org)
    organisation.empty()

    context.log(f"scale: building a {large_people:,}-person organisation")
    started = time.perf_counter()
    large_org = organisation.build(people=large_people, prefix="groot")
    built = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_rsvp")
        (rsvps,) = cursor.fetchone()
    context.log(
        f"scale: built {large_people:,} people, {large_org.communities:,} communities,"
        f" {large_org.sessions:,} sessions, {rsvps:,} RSVPs in {built:.0f}s"
    )
    client, pages = _pages(large_org)
    large = _measure(context, client, pages, explain=True)
    large_uncached = _insights_uncached(context, large_org)
    context.log(f"  insights computed afresh: {large_uncached:.0f} ms ({small_uncached:.1f} small)")

    figures = []
    for name in pages:
        big, little = large[name], small[name]
        figures.append(
            Figure(
                f"scale.{name}",
                big["ms"],
                little["ms"],
                "ms",
                note=(
                    f"{large_people:,} vs {SMALL_PEOPLE} people; {big['queries']} queries"
                    f" ({little['queries']} small), {big['bytes']:,} bytes"
                ),
                details={
                    "people": large_people,
                    "build_seconds": round(built, 1),
                    "rsvps": rsvps,
                    "queries": big["queries"],
                    "small_queries": little["queries"],
                    "bytes": big["bytes"],
                    "small_bytes": little["bytes"],
                    "explain": big["plan"],
                },
                goal=("<=", 2),
            )
        )
    figures.append(
        Figure(
            "scale.insights_uncached",
            large_uncached,
            small_uncached,
            "ms",
            note="organisation_insights computed afresh (the page caches it for 10 minutes)",
            details={"people": large_people},
            goal=("<=", 2),
        )
    )
    print(flush=True)
    print(f"EXPLAIN ANALYZE of each page's slowest query at {large_people:,} people", flush=True)
    for name in pages:
        print(f"[{name}]", flush=True)
        for line in large[name]["plan"][:EXPLAIN_LINES]:
            print(f"    {line}", flush=True)
    return figures
