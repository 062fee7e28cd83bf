"""A realistic demo organisation for development: `manage.py seed_demo` (idempotent).

Creates people with known passwords (printed at the end), communities of practice and guilds
(public and private), an intervision group, memberships with roles, and upcoming and past
sessions with RSVPs. Running it again updates the same rows instead of adding new ones; session
times are recomputed relative to today. Refuses to run unless DEBUG is on.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership, User
from communities.services import topics_from_names
from events.demo_takeaways import seed_takeaways
from events.models import Rsvp, Series, Session, Takeaway
from events.services.rsvp import rsvp_set
from events.services.series import (
    Frequency,
    Recurrence,
    occurrence_starts,
    series_create,
    series_materialise,
)
from events.services.sessions import SessionDetails

DEMO_DOMAIN = "kennisplein.test"
# Known on purpose: printed at the end so people can try every role.
DEMO_PASSWORD = "kennisplein-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    team: str
    language: str = "nl"
    staff: bool = False


PEOPLE = [
    DemoPerson("beheer", "Beheerder Kennisplein", "Informatievoorziening", staff=True),
    DemoPerson("sanne", "Sanne de Vries", "Data & Analytics"),
    DemoPerson("daan", "Daan Jansen", "Applicatiebeheer"),
    DemoPerson("fatima", "Fatima El Amrani", "Sociaal Domein"),
    DemoPerson("pieter", "Pieter Claes", "Infrastructuur", language="en"),
    DemoPerson("lotte", "Lotte Bakker", "Dienstverlening"),
    DemoPerson("emma", "Emma Peeters", "Sociaal Domein"),
    DemoPerson("youssef", "Youssef Haddou", "Security Office"),
    DemoPerson("anouk", "Anouk Visser", "Sociaal Domein"),
]

COMMUNITIES = [
    dict(
        slug="python-gilde",
        name="Python-gilde",
        kind=Community.Kind.GUILD,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
        purpose="Iedereen die Python schrijft of wil leren: van scripts tot data-pipelines.",
        cadence="Elke tweede woensdag van de maand, 12:00–13:00",
        description=(
            "## Wat we doen\n\nWe delen tips, doen code reviews samen en houden "
            "**brown-bag lunches** over wat we tegenkomen.\n\n- Nieuwe libraries\n- Testen\n"
            "- Packaging"
        ),
        topics=["Python", "Data-engineering", "Testen"],
        members={
            "sanne": "coordinator",
            "daan": "member",
            "pieter": "ambassador",
            "lotte": "member",
        },
    ),
    dict(
        slug="security-gilde",
        name="Security-gilde",
        kind=Community.Kind.GUILD,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
        purpose="Security-champions uit elk team die security dichter bij de praktijk brengen.",
        cadence="Tweewekelijks",
        description="Dreigingen, tooling en *secure coding*: we leren van elkaars incidenten.",
        topics=["Security", "Privacy"],
        members={"youssef": "coordinator", "pieter": "member", "daan": "member"},
    ),
    dict(
        slug="frontend-chapter",
        name="Frontend-chapter",
        kind=Community.Kind.GUILD,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
        purpose="Frontend-ontwikkelaars over componenten, toegankelijkheid en performance.",
        cadence="Om de drie weken",
        description="Van design system tot WCAG 2.1 AA: samen bouwen we betere schermen.",
        topics=["Frontend", "Toegankelijkheid"],
        members={"lotte": "coordinator", "emma": "ambassador", "daan": "member"},
    ),
    dict(
        slug="data-en-ai",
        name="Community of Practice Data & AI",
        kind=Community.Kind.COMMUNITY_OF_PRACTICE,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
        purpose="Verantwoord werken met data en AI in de gemeente.",
        cadence="Maandelijks kenniscafé",
        description="Van dashboards tot algoritmeregister: we leren van elkaars projecten.",
        topics=["Data", "AI", "Python"],
        members={"sanne": "coordinator", "fatima": "member", "emma": "member"},
    ),
    dict(
        slug="architectuur-gilde",
        name="Architectuurgilde",
        kind=Community.Kind.GUILD,
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.APPROVAL,
        purpose="Architecten en lead developers die samen de richting van het landschap bepalen.",
        cadence="Maandelijks",
        description="Aanmelden op goedkeuring: vertel kort waarom je mee wilt doen.",
        topics=["Architectuur"],
        members={"pieter": "coordinator", "sanne": "member"},
        pending={"daan": "Ik werk aan de koppeling met het zaaksysteem en wil graag meedenken."},
    ),
    dict(
        slug="leiderschap",
        name="Leiderschap in de praktijk",
        kind=Community.Kind.COMMUNITY_OF_PRACTICE,
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.INVITE,
        purpose="Besloten community voor teamleiders: dilemma's delen in vertrouwen.",
        cadence="Elke zes weken",
        description="Besloten: wat hier gedeeld wordt, blijft hier.",
        topics=["Leiderschap"],
        members={"anouk": "coordinator", "fatima": "member", "youssef": "member"},
    ),
    dict(
        slug="intervisie-sociaal-domein",
        name="Intervisiegroep Sociaal Domein",
        kind=Community.Kind.INTERVISION_GROUP,
        visibility=Community.Visibility.PRIVATE,
        join_policy=Community.JoinPolicy.INVITE,
        purpose="Casusbespreking onder collega's volgens de incidentmethode.",
        cadence="Elke zes weken, 1,5 uur",
        description="Wat hier besproken wordt, blijft in de groep.",
        topics=["Intervisie"],
        members={"fatima": "facilitator", "emma": "member", "anouk": "member", "lotte": "member"},
    ),
]


def local(day: date, at: time, zone: str = settings.TIME_ZONE) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def second_weekday_on_or_after(start: date, weekday: int) -> date:
    """The first date on or after ``start`` that is the second ``weekday`` of its month."""
    month = start.replace(day=1)
    while True:
        second = month + timedelta(days=(weekday - month.weekday()) % 7 + 7)
        if second >= start:
            return second
        month = (month + timedelta(days=32)).replace(day=1)


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (development only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        with transaction.atomic():
            people = self._people()
            communities = self._communities(people)
            self._sessions(people, communities)
            self._series_and_variety(people, communities)
            __import__("intervision.demo").demo.seed_intervision(people, communities)
            __import__("events.demo_reminders").demo_reminders.build_demo_reminders(people)
            seed_takeaways()  # issue 11: takeaways, helpful marks, freshness
            __import__("events.demo_festival").demo_festival.seed_festival(people)  # issue 10
        self._print_logins()

    def _people(self) -> dict[str, User]:
        people = {}
        for person in PEOPLE:
            email = f"{person.key}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first() or User(email=email)
            user.display_name = person.name
            user.team = person.team
            user.language = person.language
            user.is_staff = user.is_superuser = person.staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            people[person.key] = user
        return people

    def _communities(self, people: dict[str, User]) -> dict[str, Community]:
        communities = {}
        now = timezone.now()
        for spec in COMMUNITIES:
            spec = dict(spec)
            members = spec.pop("members")
            pending = spec.pop("pending", {})
            topics = spec.pop("topics")
            spec["created_by"] = people[next(iter(members))]
            community, _created = Community.objects.update_or_create(
                slug=spec["slug"], defaults=spec
            )
            community.topics.set(topics_from_names(topics))
            for key, role in members.items():
                Membership.objects.update_or_create(
                    user=people[key],
                    community=community,
                    defaults={"role": role, "state": Membership.State.ACTIVE, "joined_at": now},
                )
            for key, motivation in pending.items():
                Membership.objects.update_or_create(
                    user=people[key],
                    community=community,
                    defaults={
                        "state": Membership.State.PENDING,
                        "motivation": motivation,
                        "requested_at": now,
                    },
                )
            communities[community.slug] = community
        return communities

    def _session(self, key: str, **fields) -> Session:
        hosts = fields.pop("hosts", [])
        session, _created = Session.objects.update_or_create(
            uid=f"demo-{key}@{DEMO_DOMAIN}", defaults=fields
        )
        session.hosts.set(hosts)
        return session

    def _sessions(self, people: dict[str, User], communities: dict[str, Community]) -> None:
        today = timezone.localdate()
        wednesday = next_weekday(today, 2)
        python = communities["python-gilde"]
        for week in range(4):
            day = wednesday + timedelta(weeks=week)
            session = self._session(
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
            self._rsvp(session, people["daan"], Rsvp.Status.GOING)
            self._rsvp(session, people["lotte"], Rsvp.Status.MAYBE)
        past = self._session(
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
        self._rsvp(past, people["daan"], Rsvp.Status.GOING, attended=True)
        thursday = next_weekday(today, 3)
        self._session(
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
        self._session(
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
        self._session(
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
        self._session(
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
        self._session(
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

    def _series(
        self,
        key: str,
        *,
        community: Community,
        actor: User,
        details: SessionDetails,
        recurrence: Recurrence,
    ) -> Series:
        """A series made through the service once, found again by its stable UID afterwards.
        All its (few) occurrences are materialised, so the demo is the same on any day."""
        uid = f"demo-series-{key}@{DEMO_DOMAIN}"
        series = Series.objects.filter(uid=uid).first()
        if series is None:
            series = series_create(
                community=community, actor=actor, details=details, recurrence=recurrence
            )
            series.uid = uid
            series.save(update_fields=["uid"])
        starts = occurrence_starts(
            series.rrule, first_start=series.first_start, zone=series.timezone
        )
        series_materialise(series=series, until=starts[-1] + timedelta(days=1))
        return series

    def _series_and_variety(
        self, people: dict[str, User], communities: dict[str, Community]
    ) -> None:
        """Issue 5: a monthly brown-bag series, a weekly Lean Coffee, a full workshop with a
        waitlist, a hybrid session, a cancelled one, and a past one with attendance and
        takeaways."""
        today = timezone.localdate()
        python, data = communities["python-gilde"], communities["data-en-ai"]
        # The first second-Wednesday-of-the-month after the four weekly brown bags above.
        second_wednesday = second_weekday_on_or_after(today + timedelta(days=35), 2)
        self._series(
            "brownbag-monthly",
            community=python,
            actor=people["sanne"],
            details=SessionDetails(
                title="Brown bag: Python in de praktijk",
                format=Session.Format.BROWN_BAG,
                description="Elke tweede woensdag: één collega vertelt, de rest luncht en vraagt.",
                start=local(second_wednesday, time(12, 0)),
                end=local(second_wednesday, time(13, 0)),
                location="Stadskantoor, zaal 4.12",
                online_url="https://meet.example.org/python-gilde",
                capacity=25,
                host_ids=(people["sanne"].pk, people["pieter"].pk),
            ),
            recurrence=Recurrence(frequency=Frequency.MONTHLY_WEEKDAY, nth=2, weekday=2, count=6),
        )
        friday = next_weekday(today + timedelta(days=2), 4)
        self._series(
            "lean-coffee",
            community=data,
            actor=people["sanne"],
            details=SessionDetails(
                title="Lean Coffee",
                format=Session.Format.MEETUP,
                description="Wie er is, bepaalt de agenda: onderwerpen op post-its, stemmen, "
                "praten in blokjes van acht minuten.",
                start=local(friday, time(8, 30)),
                end=local(friday, time(9, 15)),
                location="Koffiecorner, 3e verdieping",
                host_ids=(people["fatima"].pk,),
            ),
            recurrence=Recurrence(frequency=Frequency.WEEKLY, count=8),
        )

        workshop_day = today + timedelta(days=9)
        workshop = self._session(
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
        hybrid = self._session(
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
        self._session(
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
        kickoff = self._session(
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
        self._rsvp(kickoff, people["fatima"], Rsvp.Status.GOING, attended=True)
        self._rsvp(kickoff, people["sanne"], Rsvp.Status.GOING, attended=True)
        self._rsvp(kickoff, people["emma"], Rsvp.Status.GOING, attended=False)
        self._takeaway(
            kickoff,
            people["sanne"],
            "Acht minuten per onderwerp is genoeg",
            "Met een timer en duim-stemmen bleef het gesprek scherp.",
            Takeaway.Visibility.COMMUNITY,
        )
        self._takeaway(
            kickoff,
            people["fatima"],
            "Zelf een onderwerp inbrengen",
            "Volgende keer neem ik de vraag over datakwaliteit in de Wmo mee.",
            Takeaway.Visibility.PRIVATE,
        )
        python_past = Session.objects.get(uid=f"demo-brownbag-past@{DEMO_DOMAIN}")
        self._takeaway(
            python_past,
            people["daan"],
            "Pattern matching maakt parsers leesbaar",
            "match/case met klassenpatronen in plaats van if-ketens.",
            Takeaway.Visibility.ORGANISATION,
        )
        self._takeaway(
            python_past,
            people["pieter"],
            "Free-threaded Python is nog experimenteel",
            "De build zonder GIL is er, maar niet voor productie.",
            Takeaway.Visibility.COMMUNITY,
        )

    def _takeaway(
        self, session: Session, author: User, title: str, body: str, visibility: str
    ) -> None:
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

    def _rsvp(
        self, session: Session, user: User, status: str, attended: bool | None = None
    ) -> None:
        Rsvp.objects.update_or_create(
            session=session, user=user, defaults={"status": status, "attended": attended}
        )

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Log in with:"))
        for person in PEOPLE:
            role = (
                " (staff: sets up two-factor authentication at first login)" if person.staff else ""
            )
            self.stdout.write(f"  {person.key}@{DEMO_DOMAIN} / {DEMO_PASSWORD}{role}")
