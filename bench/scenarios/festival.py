"""The festival page of a large programme: 100 and 1,000 placed sessions.

Figures, each against the floor measured in the same run — loading the same placed proposals with
their session, room, track and speaker in one plain query (``values()``, no annotations, no
template):
- ``festival.page``: GET /festivals/<slug>/ through Django's test client for a person who picked
  every tenth session: the grid per day, the list per track, the agenda with overlap warnings;
- ``festival.conflicts``: ``programme_conflicts`` over the whole grid (the pure function the
  builder and every placement run), against the same plain load.
Query counts are reported (and must be the same at 100 and 1,000 sessions).
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client
from django.utils import timezone

from bench.generators import make_people
from bench.measure import Context, Figure, count_queries, median_seconds
from events.festivals.conflicts import programme_conflicts
from events.festivals.selectors import festival_placements
from events.models import Festival, Proposal, Room, Rsvp, Session, Slot, Track

SIZES = (100, 1_000)
ROOMS = 10
ZONE = ZoneInfo("Europe/Amsterdam")


def _festival(first: date) -> Festival:
    now = timezone.now()
    return Festival.objects.create(
        name="Bench festival",
        slug="bench-festival",
        starts_on=first,
        ends_on=first + timedelta(days=6),
        cfp_opens_at=now - timedelta(days=10),
        cfp_closes_at=now - timedelta(days=1),
        published_version=1,
    )


def _place(festival, rooms, tracks, speakers, *, start: int, count: int, first: date, rng):
    slots, sessions, proposals = [], [], []
    for index in range(start, start + count):
        row, column = divmod(index, ROOMS)
        day, step = divmod(row, 16)
        begins = datetime.combine(first + timedelta(days=day), time(9), tzinfo=ZONE) + timedelta(
            minutes=30 * step
        )
        slots.append(
            Slot(
                festival=festival,
                room=rooms[column],
                start=begins,
                end=begins + timedelta(minutes=30),
            )
        )
        sessions.append(
            Session(
                festival=festival, community=None, format="festival_talk", title=f"Talk {index}",
                start=begins, end=begins + timedelta(minutes=25), capacity=50,
                uid=f"bench-festival-{index}@kennisplein",
            )
        )  # fmt: skip
    slots = Slot.objects.bulk_create(slots, batch_size=500)
    sessions = Session.objects.bulk_create(sessions, batch_size=500)
    for offset, (slot, session) in enumerate(zip(slots, sessions, strict=True)):
        proposals.append(
            Proposal(
                festival=festival, speaker=speakers[(start + offset) % len(speakers)],
                title=session.title, abstract="x", session_type="talk", duration=25,
                level=rng.choice(["beginner", "intermediate", "advanced"]), language="nl",
                state="accepted", track=tracks[offset % len(tracks)], slot=slot, session=session,
            )
        )  # fmt: skip
    Proposal.objects.bulk_create(proposals, batch_size=500)
    return sessions


def _plain_load(festival):
    return list(
        Proposal.objects.filter(festival=festival, slot__isnull=False).values(
            "pk", "title", "slot__start", "slot__room__name", "track__name", "speaker__display_name",
            "session__start", "session__end",
        )
    )  # fmt: skip


def run(context: Context) -> list[Figure]:
    rng = random.Random(context.seed + 10)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    first = timezone.localdate() + timedelta(days=30)
    festival = _festival(first)
    rooms = Room.objects.bulk_create(
        [Room(festival=festival, name=f"Zaal {n}", capacity=50, position=n) for n in range(ROOMS)]
    )
    tracks = Track.objects.bulk_create(
        [Track(festival=festival, name=f"Track {n}", position=n) for n in range(3)]
    )
    speakers = make_people(40, rng=rng, prefix="speaker", start=95_000)
    (viewer,) = make_people(1, rng=rng, prefix="attendee", start=96_000)
    client = Client()
    client.force_login(viewer)
    url = f"/festivals/{festival.slug}/"
    made, figures = 0, []
    for size in SIZES:
        new = _place(festival, rooms, tracks, speakers, start=made, count=size - made, first=first,
                     rng=rng)  # fmt: skip
        Rsvp.objects.bulk_create(
            [Rsvp(session=s, user=viewer, status="going") for s in new[::10]], batch_size=500
        )
        made = size

        def page():
            response = client.get(url)
            assert response.status_code == 200
            return response

        def conflicts():
            return programme_conflicts(festival_placements(festival))

        def floor():
            return _plain_load(festival)

        repeat = max(context.repeat, 5)
        floor_ms = median_seconds(floor, repeat=repeat) * 1000
        body = page().content
        for name, function in (("page", page), ("conflicts", conflicts)):
            milliseconds = median_seconds(function, repeat=repeat) * 1000
            queries = count_queries(function)
            figures.append(
                Figure(
                    f"festival.{name}@{size}",
                    milliseconds,
                    floor_ms,
                    "ms",
                    note=f"{queries} queries; baseline: one plain values() load",
                    details={
                        "size": size,
                        "queries": queries,
                        "bytes": len(body),
                        "correct": name != "conflicts" or conflicts() == [],
                    },
                )
            )
        context.log(f"festival: {size} sessions measured")
    by_name = {}
    for figure in figures:
        by_name.setdefault(figure.name.split("@")[0], set()).add(figure.details["queries"])
    for figure in figures:
        figure.details["query_count_constant"] = len(by_name[figure.name.split("@")[0]]) == 1
    return figures
