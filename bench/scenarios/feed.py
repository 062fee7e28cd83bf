"""The personal calendar feed of someone going to 1,000 upcoming sessions.

Figures, each against the floor measured in the same run — serialising the same 1,000 events with
icalendar alone (a Calendar with one Event per session, the same properties, UTC times, no
VTIMEZONE, no database):
- ``feed.full``: GET /calendar/<token>.ics through Django's test client: token lookup, the one
  sessions query, validators, the PUBLISH calendar (VTIMEZONE, zoned times) and the response;
- ``feed.build``: only ``build_publish_calendar`` over the already loaded sessions;
- ``feed.not_modified``: the same GET with the ETag in If-None-Match, answered 304 before any
  calendar is built.
Query counts are reported (and must be the same at 100 and 1,000 sessions).
"""

import random
from datetime import UTC, timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from icalendar import Calendar, Event

from bench.generators import make_communities, make_people
from bench.measure import Context, Figure, count_queries, median_seconds
from events.calendar.feeds import EMPTY_FEED_STAMP, REFRESH_MINUTES, organizer_address
from events.calendar.ical.feed import build_publish_calendar, session_event
from events.calendar.selectors import personal_feed_sessions
from events.calendar.services.subscriptions import feed_token_reset
from events.models import Rsvp, Session

SIZES = (100, 1_000)
TITLES = ["Brown bag: typen in Python", "Kenniscafé — privacy & AI", "Workshop: testen, écht"]


def _sessions(count: int, *, rng, communities, now, start: int) -> list[Session]:
    first = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    rows = []
    for index in range(start, start + count):
        begins = first + timedelta(minutes=30 * rng.randrange(0, 48 * 300))
        rows.append(
            Session(
                community=rng.choice(communities),
                format="brown_bag",
                title=f"{rng.choice(TITLES)} #{index}",
                description="Wat we leren, en waarom; " * rng.randrange(1, 12),
                start=begins,
                end=begins + timedelta(minutes=rng.choice([45, 60, 90])),
                timezone=rng.choice(["Europe/Amsterdam"] * 9 + ["Europe/London"]),
                location=rng.choice(["Zaal 1", "Kantine, 2e verdieping"]),
                uid=f"bench-feed-{index}@kennisplein",
            )
        )
    return Session.objects.bulk_create(rows, batch_size=500)


def _icalendar_floor(sessions) -> bytes:
    calendar = Calendar()
    calendar.add("PRODID", "-//bench//floor//NL")
    calendar.add("VERSION", "2.0")
    for session in sessions:
        event = Event()
        event.add("UID", session.uid)
        event.add("SEQUENCE", session.sequence)
        event.add("DTSTAMP", session.updated_at.astimezone(UTC))
        event.add("DTSTART", session.start.astimezone(UTC))
        event.add("DTEND", session.end.astimezone(UTC))
        event.add("SUMMARY", session.title)
        event.add("LOCATION", session.location)
        event.add("DESCRIPTION", session.description)
        event.add("STATUS", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


# Against the icalendar floor: a full GET at most 1.5×, a 304 at most 5 % of it.
FEED_GOALS = {"full": ("<=", 1.5), "not_modified": ("<=", 0.05)}


def run(context: Context) -> list[Figure]:
    rng = random.Random(context.seed + 6)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    (person,) = make_people(1, rng=rng, prefix="feed")
    communities = [
        community
        for community in make_communities(
            20, rng=rng, people=[person], viewer=person, viewer_share=1.0, start=90_000
        )
        if community.visibility == "public" and not community.archived
    ]
    token = feed_token_reset(user=person)
    url = f"/calendar/{token}.ics"
    client = Client()
    now = timezone.now()
    made, figures = 0, []
    for size in SIZES:
        new = _sessions(size - made, rng=rng, communities=communities, now=now, start=made)
        Rsvp.objects.bulk_create(
            [Rsvp(session=s, user=person, status=Rsvp.Status.GOING) for s in new], batch_size=500
        )
        made = size
        loaded = personal_feed_sessions(person)
        stamp = max((s.updated_at for s in loaded), default=EMPTY_FEED_STAMP)

        def full():
            response = client.get(url)
            assert response.status_code == 200
            return response

        def build(loaded=loaded, stamp=stamp):
            return build_publish_calendar(
                events=[session_event(s, url="https://x.example/") for s in loaded],
                name="bench",
                refresh_minutes=REFRESH_MINUTES,
                dtstamp=stamp,
                organizer=organizer_address(),
            )

        first = full()
        etag = first["ETag"]
        events = first.content.count(b"BEGIN:VEVENT")

        def not_modified(etag=etag):
            response = client.get(url, headers={"if-none-match": etag})
            assert response.status_code == 304
            return response

        def floor(loaded=loaded):
            return _icalendar_floor(loaded)

        repeat = max(context.repeat, 5)
        floor_ms = median_seconds(floor, repeat=repeat) * 1000
        for name, function in (("full", full), ("build", build), ("not_modified", not_modified)):
            milliseconds = median_seconds(function, repeat=repeat) * 1000
            queries = count_queries(function)
            figures.append(
                Figure(
                    f"feed.{name}@{size}",
                    milliseconds,
                    floor_ms,
                    "ms",
                    note=f"{queries} queries, {events:,} events; baseline: icalendar alone",
                    details={
                        "size": size,
                        "queries": queries,
                        "events": events,
                        "bytes": len(first.content),
                        "correct": events == size,
                    },
                    goal=FEED_GOALS.get(name),
                )
            )
    by_name = {}
    for figure in figures:
        by_name.setdefault(figure.name.split("@")[0], set()).add(figure.details["queries"])
    for figure in figures:
        figure.details["query_count_constant"] = len(by_name[figure.name.split("@")[0]]) == 1
    return figures
