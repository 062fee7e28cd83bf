"""Reads of a leermarkt: its stands with their staffed times and the viewer's picks, the grid
of places × times the programme shows, and the material a visitor collects afterwards.
A constant number of queries whatever the number of stands, times or material."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Case, IntegerField, OuterRef, Prefetch, Subquery, When

from communities.models import User
from events.extensions import hidden_links
from events.models import Festival, Rsvp, Session, Stand, StandMaterial
from events.takeaways.selectors.reading import takeaways_visible_to

PICKED = (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)
# The leermarkt's own order: tools, then inspiration, then theory.
CATEGORY_ORDER = Case(
    *(When(category=value, then=n) for n, value in enumerate(StandMaterial.Category.values)),
    output_field=IntegerField(),
)


def leermarkt_stands(festival: Festival, user: User) -> list[Stand]:
    """The stands with hosts, materials and staffed times (each with ``my_status``)."""
    mine = Rsvp.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1]
    times = (
        Session.objects.filter(state=Session.State.SCHEDULED)
        .annotate(my_status=Subquery(mine))
        .order_by("start", "pk")
    )
    return list(
        Stand.objects.filter(festival=festival)
        .prefetch_related(
            "hosts",
            Prefetch("times", queryset=times, to_attr="staffed"),
            Prefetch("materials", queryset=StandMaterial.objects.order_by(CATEGORY_ORDER, "pk")),
        )
        .order_by("place", "title", "pk")
    )


def stand_grid(festival: Festival, stands: list[Stand]) -> dict:
    """Places as columns, staffed time windows as rows (pure: no queries)."""
    zone = ZoneInfo(festival.timezone)
    places = sorted({stand.place for stand in stands})
    rows: dict[tuple[datetime, datetime], dict[str, list]] = {}
    for stand in stands:
        for session in stand.staffed:
            cells = rows.setdefault((session.start, session.end), {})
            cells.setdefault(stand.place, []).append((stand, session))
    return {
        "places": places,
        "rows": [
            {
                "start": start.astimezone(zone),
                "end": end.astimezone(zone),
                "cells": [rows[(start, end)].get(place, []) for place in places],
            }
            for start, end in sorted(rows)
        ],
    }


def stand_picks(stands: list[Stand]) -> list[tuple[Stand, Session]]:
    """The viewer's picked staffed times, in time order (pure: from ``leermarkt_stands``)."""
    picked = [(s, t) for s in stands for t in s.staffed if t.my_status in PICKED]
    return sorted(picked, key=lambda pair: (pair[1].start, pair[1].pk))


@dataclass
class CollectedStand:
    stand: Stand
    by_category: list[tuple[str, list[StandMaterial]]] = field(default_factory=list)


def my_leermarkt_material(festival: Festival, user: User) -> list[CollectedStand]:
    """The material of the stands the person picked (going or waitlisted on any of its
    times), by category in the leermarkt's order; a takeaway, or a link to a knowledge article,
    shows only when they may see it."""
    picked = Rsvp.objects.filter(
        user=user, status__in=PICKED, session__stand__festival=festival
    ).values("session__stand_id")
    stands = list(
        Stand.objects.filter(festival=festival, pk__in=picked)
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=StandMaterial.objects.select_related("takeaway").order_by("pk"),
            )
        )
        .order_by("place", "title", "pk")
    )
    takeaway_ids = {m.takeaway_id for s in stands for m in s.materials.all() if m.takeaway_id}
    visible = set(
        takeaways_visible_to(user).filter(pk__in=takeaway_ids).values_list("pk", flat=True)
    )
    # A link into the app (a knowledge article) shows only to those who may follow it.
    hidden = hidden_links(user, sorted({m.url for s in stands for m in s.materials.all() if m.url}))
    result = []
    labels = dict(StandMaterial.Category.choices)
    for stand in stands:
        shown = [
            m
            for m in stand.materials.all()
            if (m.takeaway_id in visible if m.takeaway_id else m.url not in hidden)
        ]
        result.append(
            CollectedStand(
                stand=stand,
                by_category=[
                    (labels[category], [m for m in shown if m.category == category])
                    for category in StandMaterial.Category.values
                    if any(m.category == category for m in shown)
                ],
            )
        )
    return result
