"""Demo sessions (development only; see ``seed_demo``): brown bags, a kenniscafé, a workshop
with a waiting list, a hybrid session, a cancelled one, and past ones with attendance and
takeaways. Session times are relative to today; stable UIDs make a second run update the rows.
"""

from datetime import time, timedelta

from django.utils import timezone

from communities.demo import DEMO_DOMAIN, local, next_weekday
from communities.models import Community, User
from events.models import Rsvp, Session, Takeaway
from events.sessions.services.rsvp import rsvp_set


def demo_session(key: str, **fields) -> Session:
    hosts = fields.pop("hosts", [])
    session, _created = Session.objects.update_or_create(
        uid=f"demo-{key}@{DEMO_DOMAIN}", defaults=fields
    )
    session.hosts.set(hosts)
    return session


def demo_rsvp(session: Session, user: User, status: str, attended: bool | None = None) -> None:
    Rsvp.objects.update_or_create(
        session=session, user=user, defaults={"status": status, "attended": attended}
    )


def _takeaway(session: Session, author: User, title: str, body: str, visibility: str) -> None:
    Takeaway.objects.update_or_create(
        session=session,
        author=author,
        title=title,
        defaults={
            "body": body,
            "visibility": visibility,
            "review_due": timezone.localdate() + timedelta(days=365),
        },
    )


def seed(people: dict[str, User], communities: dict[str, Community]) -> None:
    today = timezone.localdate()
    wednesday = next_weekday(today, 2)
    python = communities["python-gilde"]
    for week in range(4):
        day = wednesday + timedelta(weeks=week)
        session = demo_session(
            f"brownbag-{week}",
            community=python,
            format=Session.Format.BROWN_BAG,
            title=[
                "Type hints in de praktijk",
                "pytest-fixtures ontrafeld",
                "Packaging met pyproject",
                "Async zonder tranen",
            ][week],
            description="Neem je lunch mee; 20 minuten verhaal, daarna vragen.",
            start=local(day, time(12, 0)),
            end=local(day, time(13, 0)),
            location="Stadskantoor, zaal 4.12",
            online_url="https://meet.example.org/python-gilde",
            capacity=20,
            created_by=people["sanne"],
            hosts=[people["sanne"] if week % 2 == 0 else people["daan"]],
        )
        demo_rsvp(session, people["daan"], Rsvp.Status.GOING)
        demo_rsvp(session, people["lotte"], Rsvp.Status.MAYBE)
    past = demo_session(
        "brownbag-past",
        community=python,
        format=Session.Format.BROWN_BAG,
        title="Wat is er nieuw in Python 3.13?",
        start=local(wednesday - timedelta(weeks=2), time(12, 0)),
        end=local(wednesday - timedelta(weeks=2), time(13, 0)),
        location="Stadskantoor, zaal 4.12",
        created_by=people["sanne"],
        hosts=[people["pieter"]],
    )
    demo_rsvp(past, people["daan"], Rsvp.Status.GOING, attended=True)
    thursday = next_weekday(today, 3)
    demo_session(
        "kenniscafe-ai",
        community=communities["data-en-ai"],
        format=Session.Format.KENNISCAFE,
        title="Kenniscafé: het algoritmeregister",
        description="Hoe registreren andere gemeenten hun algoritmes? Met gast uit Utrecht.",
        guest_speaker="Gastspreker gemeente Utrecht",
        start=local(thursday + timedelta(weeks=1), time(15, 30)),
        end=local(thursday + timedelta(weeks=1), time(17, 0)),
        location="Kenniscafé, begane grond",
        capacity=40,
        created_by=people["sanne"],
        hosts=[people["sanne"]],
    )
    demo_session(
        "wcag-workshop",
        community=communities["frontend-chapter"],
        format=Session.Format.WORKSHOP,
        title="Workshop: formulieren toetsen met een screenreader",
        start=local(today + timedelta(days=10), time(9, 30)),
        end=local(today + timedelta(days=10), time(12, 0)),
        location="Leslokaal 2",
        capacity=12,
        created_by=people["lotte"],
        hosts=[people["lotte"]],
    )
    demo_session(
        "security-meetup",
        community=communities["security-gilde"],
        format=Session.Format.MEETUP,
        title="Champions-overleg: phishingtest Q4",
        description="We bespreken de uitkomsten van de phishingtest en wat we nu anders doen.",
        start=local(today + timedelta(days=5), time(14, 0)),
        end=local(today + timedelta(days=5), time(15, 0)),
        online_url="https://meet.example.org/security",
        created_by=people["youssef"],
        hosts=[people["youssef"]],
    )
    demo_session(
        "intervisie-1",
        community=communities["intervisie-sociaal-domein"],
        format=Session.Format.INTERVISION,
        title="Intervisie (incidentmethode)",
        start=local(today + timedelta(days=12), time(13, 30)),
        end=local(today + timedelta(days=12), time(15, 0)),
        location="Spreekkamer 3",
        capacity=8,
        created_by=people["fatima"],
        hosts=[people["fatima"]],
    )
    demo_session(
        "lunch-lezing",
        community=None,
        format=Session.Format.KNOWLEDGE_SESSION,
        title="Lunchlezing: de Omgevingswet na twee jaar",
        start=local(today + timedelta(days=3), time(12, 15)),
        end=local(today + timedelta(days=3), time(13, 0)),
        location="Raadzaal",
        capacity=80,
        created_by=people["beheer"],
    )


def seed_variety(people: dict[str, User], communities: dict[str, Community]) -> None:
    """A full workshop with a waiting list, a hybrid session, a cancelled one, and a past one
    with attendance and takeaways."""
    today = timezone.localdate()
    python, data = communities["python-gilde"], communities["data-en-ai"]
    workshop_day = today + timedelta(days=9)
    workshop = demo_session(
        "hypothesis-workshop",
        community=python,
        format=Session.Format.WORKSHOP,
        title="Workshop: property-based testen met Hypothesis",
        description="Handen uit de mouwen: neem je laptop mee. Drie plekken, dus snel zijn.",
        start=local(workshop_day, time(13, 30)),
        end=local(workshop_day, time(16, 0)),
        location="Leslokaal 1",
        capacity=3,
        created_by=people["sanne"],
        hosts=[people["sanne"]],
    )
    # Three seats: the first three go, the next two wait in line (through the service).
    for key in ("daan", "lotte", "pieter", "emma", "fatima"):
        rsvp_set(session_id=workshop.pk, user=people[key], status=Rsvp.Status.GOING)

    hybrid_day = today + timedelta(days=6)
    hybrid = demo_session(
        "hybrid-datagedreven",
        community=data,
        format=Session.Format.KNOWLEDGE_SESSION,
        title="Kennissessie: datagedreven werken in het sociaal domein",
        description="In de raadzaal of online: kies zelf hoe je meedoet.",
        start=local(hybrid_day, time(15, 0)),
        end=local(hybrid_day, time(16, 30)),
        location="Raadzaal",
        online_url="https://meet.example.org/data-en-ai",
        capacity=30,
        online_capacity=100,
        max_guests=1,
        materials="https://example.org/kennisplein/datagedreven-slides",
        created_by=people["sanne"],
        hosts=[people["sanne"]],
    )
    rsvp_set(session_id=hybrid.pk, user=people["fatima"], status=Rsvp.Status.GOING)
    rsvp_set(
        session_id=hybrid.pk,
        user=people["emma"],
        status=Rsvp.Status.GOING,
        mode=Rsvp.Mode.ONLINE,
    )

    ctf_day = today + timedelta(days=15)
    demo_session(
        "ctf-avond",
        community=communities["security-gilde"],
        format=Session.Format.HACKATHON,
        title="Capture the flag-avond",
        start=local(ctf_day, time(17, 0)),
        end=local(ctf_day, time(21, 0)),
        location="Innovatielab",
        capacity=20,
        state=Session.State.CANCELLED,
        cancel_reason="De trainer is ziek; we plannen snel een nieuwe datum.",
        created_by=people["youssef"],
        hosts=[people["youssef"]],
    )

    kickoff_day = today - timedelta(days=21)
    kickoff = demo_session(
        "lean-coffee-kickoff",
        community=data,
        format=Session.Format.MEETUP,
        title="Lean Coffee: de aftrap",
        start=local(kickoff_day, time(8, 30)),
        end=local(kickoff_day, time(9, 15)),
        location="Koffiecorner, 3e verdieping",
        created_by=people["sanne"],
        hosts=[people["sanne"]],
    )
    demo_rsvp(kickoff, people["fatima"], Rsvp.Status.GOING, attended=True)
    demo_rsvp(kickoff, people["sanne"], Rsvp.Status.GOING, attended=True)
    demo_rsvp(kickoff, people["emma"], Rsvp.Status.GOING, attended=False)
    _takeaway(
        kickoff,
        people["sanne"],
        "Acht minuten per onderwerp is genoeg",
        "Met een timer en duim-stemmen bleef het gesprek scherp.",
        Takeaway.Visibility.COMMUNITY,
    )
    _takeaway(
        kickoff,
        people["fatima"],
        "Zelf een onderwerp inbrengen",
        "Volgende keer neem ik de vraag over datakwaliteit in de Wmo mee.",
        Takeaway.Visibility.PRIVATE,
    )
    python_past = Session.objects.get(uid=f"demo-brownbag-past@{DEMO_DOMAIN}")
    _takeaway(
        python_past,
        people["daan"],
        "Pattern matching maakt parsers leesbaar",
        "match/case met klassenpatronen in plaats van if-ketens.",
        Takeaway.Visibility.ORGANISATION,
    )
    _takeaway(
        python_past,
        people["pieter"],
        "Free-threaded Python is nog experimenteel",
        "De build zonder GIL is er, maar niet voor productie.",
        Takeaway.Visibility.COMMUNITY,
    )
