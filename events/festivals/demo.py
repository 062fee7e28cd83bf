"""The festival part of ``seed_demo`` (idempotent): a knowledge festival next month
with three tracks, four rooms, twenty accepted sessions on a published programme, a few
proposals still in review, and some picks in people's agendas."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from communities.models import User
from events.festivals.services.day import festival_pick
from events.festivals.services.programme import programme_publish, proposal_place
from events.models import Festival, Proposal, Room, Slot, Track

SLUG = "kennisfestival"
TRACKS = [("Data & AI", "#1f6feb"), ("Samenwerken", "#2da44e"), ("Veilig & wendbaar", "#bf3989")]
ROOMS = [("Aula", 80), ("Zaal Amstel", 40), ("Zaal IJ", 30), ("Werkplaats", 20)]
# (start, end) of the five session rows of day one; the last row is for the workshops.
ROWS = [("09:30", "10:10"), ("10:20", "11:00"), ("11:10", "11:50"), ("13:00", "13:40"),
        ("14:00", "15:30")]  # fmt: skip
SPEAKERS = ["sanne", "daan", "fatima", "pieter", "lotte", "emma", "youssef", "anouk"]
TOPICS = [
    ("Van Excel naar dashboard in één middag", "talk", 30),
    ("Wat leerden we van onze eerste chatbot?", "talk", 25),
    ("Intervisie in 10 minuten uitgelegd", "lightning", 10),
    ("Threat modelling voor beginners", "talk", 30),
    ("Datakwaliteit: de saaie superkracht", "talk", 25),
    ("Samenwerken over teamgrenzen", "talk", 30),
    ("Live demo: formulieren zonder code", "demo", 30),
    ("Phishing-oefening: wat ging er mis?", "talk", 25),
    ("Python in de gemeente", "talk", 30),
    ("Retrospectives die werken", "lightning", 10),
    ("Demo: zaakgericht werken", "demo", 20),
    ("Wachtwoordloos inloggen", "talk", 30),
    ("Taalmodellen en privacy", "panel", 40),
    ("Kennis delen zonder vergaderen", "talk", 25),
    ("Open data publiceren", "talk", 30),
    ("Incidenten oefenen als team", "talk", 30),
    ("Workshop: je eerste datapipeline", "workshop", 90),
    ("Workshop: faciliteren voor iedereen", "workshop", 60),
    ("Workshop: zaakgericht werken in de praktijk", "workshop", 75),
    ("Workshop: security by design", "workshop", 90),
]
IN_REVIEW = [
    ("Low-code: zegen of vloek?", "talk", "daan"),
    ("Toegankelijkheid in vijf minuten", "lightning", "lotte"),
    ("Workshop: storytelling met data", "workshop", "sanne"),
]


def _first_tuesday_next_month(today: date) -> date:
    day = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def seed(people: dict[str, User]) -> Festival:
    existing = Festival.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    first = _first_tuesday_next_month(timezone.localdate())
    festival = Festival.objects.create(
        name="Kennisfestival",
        slug=SLUG,
        theme="Leren van elkaar",
        description="Een dag van collega's voor collega's: drie tracks, vier zalen.",
        venue="Stadskantoor",
        timezone=settings.TIME_ZONE,
        starts_on=first,
        ends_on=first + timedelta(days=1),
        cfp_opens_at=now - timedelta(days=21),
        cfp_closes_at=now + timedelta(days=7),
    )
    festival.organisers.add(people["beheer"], people["sanne"])
    festival.reviewers.add(people["daan"])
    tracks = [
        Track.objects.create(festival=festival, name=name, colour=colour, position=n)
        for n, (name, colour) in enumerate(TRACKS)
    ]
    rooms = [
        Room.objects.create(festival=festival, name=name, capacity=capacity, position=n)
        for n, (name, capacity) in enumerate(ROOMS)
    ]

    def at(clock: str, day: int = 0) -> datetime:
        hour, minute = map(int, clock.split(":"))
        return datetime.combine(first + timedelta(days=day), time(hour, minute), tzinfo=zone)

    Slot.objects.create(festival=festival, kind="plenary", label="Opening",
                        start=at("09:00"), end=at("09:25"))  # fmt: skip
    Slot.objects.create(festival=festival, kind="break", label="Lunch",
                        start=at("12:00"), end=at("13:00"))  # fmt: skip
    organiser = people["beheer"]
    for row, (start, end) in enumerate(ROWS):
        for index, room in enumerate(rooms):
            number = row * 4 + index
            title, kind, minutes = TOPICS[number]
            slot = Slot.objects.create(festival=festival, room=room, start=at(start), end=at(end))
            proposal = Proposal.objects.create(
                festival=festival,
                speaker=people[SPEAKERS[number % 8]],
                title=title,
                abstract=f"{title}: wat we deden, wat werkte en wat je morgen zelf kunt doen.",
                session_type=kind,
                duration=minutes,
                track=tracks[number % 3],
                level=["beginner", "intermediate", "advanced"][number % 3],
                language="en" if SPEAKERS[number % 8] == "pieter" else "nl",
                state="confirmed" if number % 2 else "accepted",
                decided_at=now,
            )
            proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    # Day two: open slots for what is still in review.
    for room in rooms:
        Slot.objects.create(festival=festival, room=room, start=at("10:00", 1), end=at("10:40", 1))
    for title, kind, speaker in IN_REVIEW:
        Proposal.objects.create(
            festival=festival,
            speaker=people[speaker],
            title=title,
            abstract=f"{title}: een voorstel dat nog beoordeeld wordt.",
            session_type=kind,
            duration={"talk": 25, "lightning": 5, "workshop": 60}[kind],
            track=tracks[0],
            level="beginner",
            language="nl",
        )
    programme_publish(festival=festival, organiser=organiser)
    for speaker, picks in (("emma", [0, 5, 10]), ("lotte", [1, 6])):
        for number in picks:
            proposal = Proposal.objects.get(festival=festival, title=TOPICS[number][0])
            festival_pick(session_id=proposal.session_id, user=people[speaker])
    return festival
