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
from events.festivals.services.stands import stand_create, stand_material_add, stand_time_add
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


LEERMARKT_SLUG = "leermarkt"
# (title, place, hosts, material: (category, title, link)), after the seed article's
# "Wegwijzer voor leermarkt": tools, inspiration and theory for sharing knowledge.
STANDS = [
    ("Zorg voor een plan", "Hal A · stand 1", ["sanne"], [
        ("tools", "Stappenplan voor kennisdeling", "https://example.org/leermarkt/stappenplan"),
        ("tools", "VEGO: keuzes maken in je 10%", "https://example.org/leermarkt/vego"),
        ("theory", "Leercultuur: visie op kennis", "https://example.org/leermarkt/leercultuur"),
    ]),
    ("Zorg voor mensen", "Hal A · stand 2", ["lotte", "emma"], [
        ("tools", "Werken aan cultuur", "https://example.org/leermarkt/cultuur"),
        ("inspiration", "Wat moet een nieuwe collega weten?", "https://example.org/leermarkt/nieuw"),
    ]),
    ("Communicatie", "Hal B · stand 3", ["daan"], [
        ("tools", "Gericht communiceren (JERI)", "https://example.org/leermarkt/jeri"),
        ("inspiration", "Nieuwsgierige vragen stellen", "https://example.org/leermarkt/vragen"),
    ]),
    ("Technisch: bouwen op wat werkt", "Hal B · stand 4", ["pieter"], [
        ("tools", "Bouwen op wat werkt", "https://example.org/leermarkt/bouwen"),
        ("theory", "De paradox van keuze", "https://example.org/leermarkt/keuze"),
    ]),
]  # fmt: skip


def seed_leermarkt(people: dict[str, User]) -> Festival:
    """A leermarkt that opened today (so its material page is open) with four stands staffed
    tomorrow morning and afternoon; Emma picked two of them. Idempotent."""
    existing = Festival.objects.filter(slug=LEERMARKT_SLUG).first()
    if existing is not None:
        return existing
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    today = timezone.localdate()
    festival = Festival.objects.create(
        name="Leermarkt kennisdeling",
        slug=LEERMARKT_SLUG,
        theme="Kennisdeling anno nu",
        description="Geen zalen maar stands: loop langs, kies wat je wilt zien en neem het "
        "materiaal mee: TOOLS, INSPIRATIE en THEORIE.",
        venue="Stadskantoor, de hallen",
        timezone=settings.TIME_ZONE,
        starts_on=today,
        ends_on=today + timedelta(days=1),
        cfp_opens_at=now - timedelta(days=30),
        cfp_closes_at=now - timedelta(days=10),
        is_leermarkt=True,
        published_version=1,
    )
    organiser = people["beheer"]
    festival.organisers.add(organiser, people["sanne"])
    tomorrow = today + timedelta(days=1)
    times = [
        (datetime.combine(tomorrow, time(10, 0), tzinfo=zone),
         datetime.combine(tomorrow, time(12, 0), tzinfo=zone)),
        (datetime.combine(tomorrow, time(13, 30), tzinfo=zone),
         datetime.combine(tomorrow, time(15, 30), tzinfo=zone)),
    ]  # fmt: skip
    picks = []
    for number, (title, place, hosts, materials) in enumerate(STANDS):
        stand = stand_create(
            festival=festival,
            organiser=organiser,
            title=title,
            place=place,
            description=f"{title}: tips en best practices van ervaringsdeskundigen.",
            hosts=[people[key] for key in hosts],
        )
        staffed = [
            stand_time_add(stand_id=stand.pk, organiser=organiser, start=start, end=end)
            for start, end in times
        ]
        for category, material_title, link in materials:
            stand_material_add(
                stand_id=stand.pk, actor=organiser, category=category, title=material_title,
                url=link,
            )  # fmt: skip
        if number in (0, 2):
            picks.append(staffed[number // 2])
    for session in picks:
        festival_pick(session_id=session.pk, user=people["emma"])
    return festival
