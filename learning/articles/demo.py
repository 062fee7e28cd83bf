"""Demo knowledge articles (idempotent): a how-to of the Python guild with three versions by
two authors and one image-free checklist, an instruction card due for review (so the guild's
ambassador, Pieter, has something in his review queue), and an organisation-wide procedure.
Pieter is the guild's ambassador (communities.demo); a recent member waits for a welcome."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from communities.models import Community, Membership, User
from learning.articles.models import Article, ArticleCoauthor, ArticleVersion

HOWTO = [
    (
        "sanne",
        "Eerste stappen",
        "## Wat je nodig hebt\n\n- Python 3.11\n- `uv`\n\n## Stappen\n\n1. Clone de repository\n"
        "2. Maak een virtuele omgeving",
    ),
    (
        "daan",
        "Stap voor de tests toegevoegd",
        "## Wat je nodig hebt\n\n- Python 3.11\n- `uv`\n\n## Stappen\n\n1. Clone de repository\n"
        "2. Maak een virtuele omgeving: `uv venv`\n3. Draai de tests: `uv run pytest`",
    ),
    (
        "sanne",
        "Tip over pre-commit",
        "## Wat je nodig hebt\n\n- Python 3.11\n- `uv`\n\n## Stappen\n\n1. Clone de repository\n"
        "2. Maak een virtuele omgeving: `uv venv`\n3. Draai de tests: `uv run pytest`\n"
        "4. Installeer de hooks: `pre-commit install`\n\n> Vraag het de buddy als iets niet werkt.",
    ),
]


def _article(title: str, *, community, owner: User, kind: str, versions, review_due, months=12):
    article = Article.objects.filter(title=title, community=community).first()
    if article is None:
        article = Article(title=title, community=community)
    article.kind, article.owner, article.review_months = kind, owner, months
    article.body = versions[-1][2]
    article.version = len(versions)
    article.review_due = review_due
    article.save()
    for number, (author, note, body) in enumerate(versions, start=1):
        ArticleVersion.objects.update_or_create(
            article=article,
            number=number,
            defaults={"title": title, "body": body, "author": author, "note": note},
        )
    return article


def seed(people: dict[str, User], communities: dict[str, Community]) -> None:
    today = timezone.localdate()
    guild = communities["python-gilde"]
    howto = _article(
        "Je ontwikkelomgeving opzetten",
        community=guild,
        owner=people["sanne"],
        kind=Article.Kind.HOWTO,
        versions=[(people[key], note, body) for key, note, body in HOWTO],
        review_due=today + timedelta(days=200),
    )
    ArticleCoauthor.objects.get_or_create(article=howto, user=people["daan"])
    card = (
        "1. Zet de release-branch klaar\n2. Controleer de changelog\n"
        "3. Tag de versie\n4. Kondig de release aan in het gilde-kanaal"
    )
    _article(
        "Instructiekaart: een release uitbrengen",
        community=guild,
        owner=people["daan"],
        kind=Article.Kind.INSTRUCTION,
        versions=[(people["daan"], "", card)],
        review_due=today - timedelta(days=3),
        months=6,
    )
    _article(
        "Checklist: eerste week in het team",
        community=None,
        owner=people["lotte"],
        kind=Article.Kind.CHECKLIST,
        versions=[
            (
                people["lotte"],
                "",
                "- [ ] Kennismaken met je buddy\n- [ ] Laptop en accounts\n"
                "- [ ] Meelopen met een collega\n- [ ] Eerste brown-bag bijwonen",
            )
        ],
        review_due=today + timedelta(days=90),
    )
    # A recent member of the guild for the ambassador to welcome.
    Membership.objects.filter(user=people["lotte"], community=guild).update(
        joined_at=timezone.now() - timedelta(days=4)
    )
