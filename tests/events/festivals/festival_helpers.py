"""Builders of festival rows for the tests: the festival tests' usual festival, rooms in order,
slots by clock time on a festival day, accepted talks."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import Festival, Proposal, Room, Slot
from tests.factories import FestivalFactory, ProposalFactory, RoomFactory, SlotFactory

AMS = ZoneInfo("Europe/Amsterdam")


def make_festival(*, organiser=None, slug="kennisfestival", days_ahead=30, **fields) -> Festival:
    """A two-day festival ``days_ahead`` days from now, its call for proposals open (as
    FestivalFactory makes it)."""
    first = (timezone.now() + timedelta(days=days_ahead)).date()
    values = {
        "name": "Kennisfestival",
        "slug": slug,
        "theme": "Samen leren",
        "venue": "Stadhuis",
        "timezone": "Europe/Amsterdam",  # the zone of at()
        "starts_on": first,
        "ends_on": first + timedelta(days=1),
        "organisers": [organiser] if organiser is not None else [],
        **fields,
    }
    return FestivalFactory(**values)


def at(festival: Festival, clock: str, *, day: int = 0) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(
        festival.starts_on + timedelta(days=day), time(hour, minute), tzinfo=AMS
    )


def make_room(festival: Festival, name: str = "Zaal 1", capacity: int = 40) -> Room:
    return RoomFactory(
        festival=festival, name=name, capacity=capacity, position=festival.rooms.count()
    )


def make_slot(festival, room, start: str, end: str, *, day: int = 0, kind="session") -> Slot:
    return SlotFactory(
        festival=festival, room=room, start=at(festival, start, day=day),
        end=at(festival, end, day=day), kind=kind,
    )  # fmt: skip


def make_proposal(
    festival, speaker, *, title="Talk", state="accepted", duration=25, **fields
) -> Proposal:
    values = {"abstract": "About it.", "session_type": "talk", **fields}
    return ProposalFactory(
        festival=festival, speaker=speaker, title=title, state=state, duration=duration, **values
    )
