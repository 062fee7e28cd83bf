"""Builders of festival rows for the tests."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import Festival, Proposal, Room, Slot, Track

AMS = ZoneInfo("Europe/Amsterdam")


def make_festival(*, organiser=None, slug="kennisfestival", days_ahead=30, **fields) -> Festival:
    now = timezone.now()
    first = (now + timedelta(days=days_ahead)).date()
    values = {
        "name": "Kennisfestival",
        "slug": slug,
        "theme": "Samen leren",
        "venue": "Stadhuis",
        "timezone": "Europe/Amsterdam",
        "starts_on": first,
        "ends_on": first + timedelta(days=1),
        "cfp_opens_at": now - timedelta(days=1),
        "cfp_closes_at": now + timedelta(days=10),
    }
    values.update(fields)
    festival = Festival.objects.create(**values)
    if organiser is not None:
        festival.organisers.add(organiser)
    return festival


def at(festival: Festival, clock: str, *, day: int = 0) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(
        festival.starts_on + timedelta(days=day), time(hour, minute), tzinfo=AMS
    )


def make_room(festival: Festival, name: str = "Zaal 1", capacity: int = 40) -> Room:
    return Room.objects.create(
        festival=festival, name=name, capacity=capacity, position=festival.rooms.count()
    )


def make_slot(festival, room, start: str, end: str, *, day: int = 0, kind="session") -> Slot:
    return Slot.objects.create(
        festival=festival, room=room, start=at(festival, start, day=day),
        end=at(festival, end, day=day), kind=kind,
    )  # fmt: skip


def make_track(festival, name="Data", colour="#1f6feb") -> Track:
    return Track.objects.create(festival=festival, name=name, colour=colour)


def make_proposal(festival, speaker, *, title="Talk", state="accepted", duration=25, **fields):
    values = {
        "abstract": "About it.",
        "session_type": "talk",
        "level": "beginner",
        "language": "nl",
        "duration": duration,
        "state": state,
    }
    values.update(fields)
    return Proposal.objects.create(festival=festival, speaker=speaker, title=title, **values)
