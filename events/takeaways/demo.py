"""Demo takeaways for ``manage.py seed_demo`` (issue 11): past sessions across communities and
formats with attendance, 36 takeaways in every visibility (organisation-wide, community-only,
private, inside the intervision group), tags, actions, a few past their review date, helpful
marks and a review. Idempotent: rows are found by their demo keys and updated.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Rsvp, Session, Takeaway, TakeawayHelpful, TakeawayReview
from events.takeaways.rules import add_months
from events.takeaways.services import _tag_objects

DOMAIN = "kennisplein.test"

# key, community slug (None: organisation-wide), format, title, days ago, host, attendees.
SESSIONS = [
    (
        "py-1",
        "python-gilde",
        "brown_bag",
        "Brown bag: pytest in de praktijk",
        20,
        "daan",
        ["sanne", "pieter", "lotte"],
    ),
    (
        "py-2",
        "python-gilde",
        "workshop",
        "Workshop: typing met mypy",
        75,
        "pieter",
        ["daan", "sanne"],
    ),
    (
        "py-3",
        "python-gilde",
        "lightning",
        "Lightning talks: Python-tools",
        200,
        "sanne",
        ["daan", "pieter", "lotte"],
    ),
    (
        "sec-1",
        "security-gilde",
        "meetup",
        "Champions-overleg: wachtwoordbeleid",
        40,
        "youssef",
        ["pieter", "daan"],
    ),
    (
        "fe-1",
        "frontend-chapter",
        "workshop",
        "Toegankelijke formulieren bouwen",
        30,
        "lotte",
        ["emma", "daan"],
    ),
    (
        "data-1",
        "data-en-ai",
        "kenniscafe",
        "Kenniscafé: datakwaliteit in de Wmo",
        15,
        "sanne",
        ["fatima", "emma"],
    ),
    (
        "arch-1",
        "architectuur-gilde",
        "knowledge_session",
        "Architectuurbesluiten vastleggen",
        120,
        "pieter",
        ["sanne"],
    ),
    (
        "lead-1",
        "leiderschap",
        "meetup",
        "Feedback geven aan je team",
        25,
        "anouk",
        ["fatima", "youssef"],
    ),
    (
        "iv-1",
        "intervisie-sociaal-domein",
        "intervision",
        "Intervisie (roddelmethode)",
        35,
        "fatima",
        ["emma", "anouk", "lotte"],
    ),
    (
        "org-1",
        None,
        "knowledge_session",
        "Lunchlezing: AI in de gemeente",
        50,
        "beheer",
        ["sanne", "daan", "fatima", "pieter"],
    ),
]

# session key, author, title, body, kind, visibility, tags, days past review (None: fresh).
TAKEAWAYS = [
    (
        "py-1",
        "sanne",
        "Fixtures klein houden",
        "Kleine fixtures die je combineert zijn beter leesbaar dan één grote.",
        "tip",
        "organisation",
        "pytest, testen",
        None,
    ),
    (
        "py-1",
        "pieter",
        "Parametrize the edge cases",
        "One test, many rows: `@pytest.mark.parametrize` keeps tests short.",
        "tip",
        "organisation",
        "pytest, testing",
        None,
    ),
    (
        "py-1",
        "lotte",
        "Testen vóór de refactor",
        "Eerst een karakteriseringstest, dan pas herschrijven.",
        "learning",
        "community",
        "testen, refactoring",
        None,
    ),
    (
        "py-1",
        "daan",
        "tmp_path in plaats van tempfile",
        "De fixture ruimt zelf op.",
        "tip",
        "organisation",
        "pytest",
        20,
    ),
    (
        "py-2",
        "daan",
        "Protocols boven ABC's",
        "Structurele typering maakt mocks overbodig.",
        "tip",
        "organisation",
        "python, typing",
        None,
    ),
    (
        "py-2",
        "sanne",
        "mypy strict per module aanzetten",
        "Stap voor stap strenger, niet alles tegelijk.",
        "tip",
        "community",
        "python, typing",
        5,
    ),
    (
        "py-2",
        "sanne",
        "Typefouten vinden echte bugs",
        "Twee bugs in de koppeling met het zaaksysteem gevonden.",
        "learning",
        "private",
        "typing",
        None,
    ),
    (
        "py-3",
        "pieter",
        "uv is snel genoeg voor CI",
        "Installeren duurt seconden in plaats van minuten.",
        "tip",
        "organisation",
        "python, ci",
        60,
    ),
    (
        "py-3",
        "daan",
        "ruff vervangt drie tools",
        "flake8, isort en black in één.",
        "tip",
        "organisation",
        "python, linting",
        30,
    ),
    (
        "py-3",
        "lotte",
        "Korte talks werken",
        "Vijf minuten dwingt tot de kern.",
        "learning",
        "organisation",
        "kennisdeling",
        None,
    ),
    (
        "sec-1",
        "pieter",
        "Passphrases over complexity rules",
        "Length beats special characters; NIST agrees.",
        "learning",
        "organisation",
        "security, wachtwoorden",
        None,
    ),
    (
        "sec-1",
        "daan",
        "MFA eerst voor beheeraccounts",
        "Daar zit het grootste risico.",
        "learning",
        "community",
        "security, mfa",
        None,
    ),
    (
        "sec-1",
        "youssef",
        "Phishingtest zonder schuldvraag",
        "Melden belonen werkt beter dan straffen.",
        "learning",
        "organisation",
        "security, cultuur",
        None,
    ),
    (
        "fe-1",
        "emma",
        "Labels altijd zichtbaar",
        "Placeholder is geen label; screenreaders missen het.",
        "tip",
        "organisation",
        "toegankelijkheid, formulieren",
        None,
    ),
    (
        "fe-1",
        "daan",
        "Foutmeldingen koppelen met aria-describedby",
        "Dan leest de screenreader de fout voor.",
        "tip",
        "organisation",
        "toegankelijkheid",
        10,
    ),
    (
        "fe-1",
        "lotte",
        "Testen met echte gebruikers",
        "Eén sessie met een blinde collega leerde ons meer dan een audit.",
        "learning",
        "community",
        "toegankelijkheid, testen",
        None,
    ),
    (
        "data-1",
        "fatima",
        "Datakwaliteit begint bij de intake",
        "Verplichte velden aan de voorkant schelen uren opschonen.",
        "learning",
        "organisation",
        "data, wmo",
        None,
    ),
    (
        "data-1",
        "emma",
        "Definities samen vastleggen",
        "Wat is een 'cliënt'? Drie teams, drie antwoorden.",
        "learning",
        "organisation",
        "data, begrippen",
        None,
    ),
    (
        "data-1",
        "sanne",
        "Kwaliteitsregels als code",
        "Great Expectations-achtige checks in de pipeline.",
        "tip",
        "community",
        "data, testen",
        None,
    ),
    (
        "arch-1",
        "sanne",
        "ADR's kort houden",
        "Eén pagina: context, besluit, gevolgen.",
        "tip",
        "organisation",
        "architectuur, documentatie",
        90,
    ),
    (
        "arch-1",
        "pieter",
        "Decisions need an owner",
        "An ADR without an owner is never revisited.",
        "learning",
        "organisation",
        "architectuur",
        None,
    ),
    (
        "lead-1",
        "fatima",
        "Feedback direct na het moment",
        "Niet bewaren tot het functioneringsgesprek.",
        "learning",
        "community",
        "feedback, leiderschap",
        None,
    ),
    (
        "lead-1",
        "youssef",
        "Vragen stellen in plaats van oplossen",
        "Mijn team kwam zelf met betere ideeën.",
        "learning",
        "community",
        "coaching",
        None,
    ),
    (
        "lead-1",
        "anouk",
        "Eigen valkuil: te snel helpen",
        "Ik neem me voor eerst drie vragen te stellen.",
        "learning",
        "private",
        "coaching",
        None,
    ),
    (
        "iv-1",
        "emma",
        "Doorvragen voor het advies",
        "Pas na drie open vragen zie je de echte vraag.",
        "learning",
        "community",
        "intervisie, vragen",
        None,
    ),
    (
        "iv-1",
        "anouk",
        "Stilte is een werkvorm",
        "Laat de inbrenger even nadenken voor je verder vraagt.",
        "learning",
        "community",
        "intervisie",
        None,
    ),
    (
        "iv-1",
        "lotte",
        "Mijn aandeel benoemen",
        "Ik kijk eerst naar wat ik zelf kan veranderen.",
        "learning",
        "private",
        "reflectie",
        None,
    ),
    (
        "iv-1",
        "fatima",
        "Roddelfase opent perspectieven",
        "Door over de casus te praten alsof de inbrenger er niet is, komen nieuwe invalshoeken.",
        "learning",
        "community",
        "intervisie, roddelmethode",
        None,
    ),
    (
        "org-1",
        "sanne",
        "AI-pilot klein beginnen",
        "Eén proces, duidelijke meetlat, dan pas opschalen.",
        "learning",
        "organisation",
        "ai, innovatie",
        None,
    ),
    (
        "org-1",
        "daan",
        "Geen persoonsgegevens in prompts",
        "Gebruik de interne omgeving en anonimiseer.",
        "tip",
        "organisation",
        "ai, privacy",
        15,
    ),
    (
        "org-1",
        "fatima",
        "AI helpt bij samenvatten",
        "Verslagen van keukentafelgesprekken sneller af, mits gecontroleerd.",
        "learning",
        "organisation",
        "ai, wmo",
        None,
    ),
    (
        "org-1",
        "pieter",
        "Ask the works council early",
        "The OR wants to know before the pilot, not after.",
        "learning",
        "organisation",
        "ai, governance",
        None,
    ),
    (
        "org-1",
        "sanne",
        "Evaluatie vooraf afspreken",
        "Wanneer noemen we de pilot geslaagd?",
        "learning",
        "private",
        "ai",
        None,
    ),
    (
        "py-2",
        "pieter",
        "Generics in Python 3.12",
        "The new syntax `def f[T](x: T)` reads better.",
        "tip",
        "organisation",
        "python, typing",
        None,
    ),
    (
        "fe-1",
        "emma",
        "Kleurcontrast meten, niet schatten",
        "Gebruik een contrastchecker in de browser.",
        "tip",
        "organisation",
        "toegankelijkheid",
        None,
    ),
    (
        "sec-1",
        "youssef",
        "Secrets horen niet in git",
        "Pre-commit hook met gitleaks.",
        "tip",
        "organisation",
        "security, git",
        None,
    ),
]

# Helpful marks: (takeaway title, people).
HELPFUL = [
    ("Fixtures klein houden", ["pieter", "lotte", "daan"]),
    ("Parametrize the edge cases", ["sanne", "daan"]),
    ("Labels altijd zichtbaar", ["daan", "lotte", "sanne", "fatima"]),
    ("Datakwaliteit begint bij de intake", ["emma", "sanne"]),
    ("Geen persoonsgegevens in prompts", ["fatima", "pieter", "sanne"]),
    ("Passphrases over complexity rules", ["daan"]),
    ("Doorvragen voor het advies", ["anouk", "lotte"]),
]


def seed() -> int:
    """Create or refresh the demo takeaways; returns how many there are."""
    people = {
        user.email.split("@")[0]: user for user in User.objects.filter(email__endswith=f"@{DOMAIN}")
    }
    communities = {c.slug: c for c in Community.objects.all()}
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    sessions = {}
    for key, slug, kind, title, days_ago, host, attendees in SESSIONS:
        day = today - timedelta(days=days_ago)
        start = datetime.combine(day, time(12, 0), tzinfo=zone)
        session, _created = Session.objects.update_or_create(
            uid=f"demo-tk-{key}@{DOMAIN}",
            defaults={
                "community": communities.get(slug) if slug else None,
                "format": kind,
                "title": title,
                "start": start,
                "end": start + timedelta(hours=1),
                "location": "Zaal 2",
                "created_by": people[host],
            },
        )
        session.hosts.set([people[host]])
        for index, name in enumerate(attendees):
            Rsvp.objects.update_or_create(
                session=session,
                user=people[name],
                defaults={"status": "going", "attended": index != len(attendees) - 1 or None},
            )
        sessions[key] = session
    made = {}
    for key, author, title, body, kind, visibility, tags, overdue in TAKEAWAYS:
        session = sessions[key]
        written = session.end
        due = add_months(timezone.localtime(written).date(), 6 if kind == "tip" else 12)
        if overdue is not None:
            due = today - timedelta(days=overdue)
        takeaway, _created = Takeaway.objects.update_or_create(
            session=session,
            author=people[author],
            title=title,
            defaults={
                "owner": people[author],
                "body": body,
                "kind": kind,
                "visibility": visibility,
                "language": people[author].language,
                "tags_text": " ".join(t.strip() for t in tags.split(",")),
                "review_due": due,
                "who_benefits": "Team " + people[author].team if kind == "tip" else "",
            },
        )
        takeaway.tags.set(_tag_objects([t.strip() for t in tags.split(",")]))
        # Written right after the session (auto_now_add would say "today"): the age shows.
        Takeaway.objects.filter(pk=takeaway.pk).update(created_at=written)
        made[title] = takeaway
    _members_joined_over_time(today)
    for title, names in HELPFUL:
        for name in names:
            TakeawayHelpful.objects.get_or_create(takeaway=made[title], user=people[name])
    reviewed = made["Korte talks werken"]
    if not reviewed.reviews.exists():
        TakeawayReview.objects.create(
            takeaway=reviewed, reviewer=reviewed.owner, outcome="reconfirmed"
        )
    return len(made)


def _members_joined_over_time(today) -> None:
    """seed_demo makes every membership "joined now"; spread them over the past 18 months so
    the insights' members-over-time chart shows a history (deterministic: by membership id)."""

    zone = ZoneInfo(settings.TIME_ZONE)
    for index, membership in enumerate(
        Membership.objects.filter(
            user__email__endswith=f"@{DOMAIN}", state=Membership.State.ACTIVE
        ).order_by("id")
    ):
        day = today - timedelta(days=30 + (index * 47) % 520)
        Membership.objects.filter(pk=membership.pk).update(
            joined_at=datetime.combine(day, time(9, 0), tzinfo=zone)
        )
