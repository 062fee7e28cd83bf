"""The demo organisation's people and communities (development only; see ``seed_demo``).

Known passwords on purpose: ``seed_demo`` prints them so people can try every role. Running it
again updates the same rows instead of adding new ones.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from communities.models import Community, Membership, User
from communities.services.communities import topics_from_names

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


def seed_people() -> dict[str, User]:
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


def seed_communities(people: dict[str, User]) -> dict[str, Community]:
    communities = {}
    now = timezone.now()
    for spec in COMMUNITIES:
        spec = dict(spec)
        members = spec.pop("members")
        pending = spec.pop("pending", {})
        topics = spec.pop("topics")
        spec["created_by"] = people[next(iter(members))]
        community, _created = Community.objects.update_or_create(slug=spec["slug"], defaults=spec)
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


def seed() -> tuple[dict[str, User], dict[str, Community]]:
    """The demo people (by key) and communities (by slug). Idempotent."""
    people = seed_people()
    return people, seed_communities(people)
