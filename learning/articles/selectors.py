"""Reads of knowledge articles: who may read which, one article, lists and search, versions,
and what an ambassador's review queue holds."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from communities.models import Community, Membership, User
from communities.permissions import can_look_after
from events.extensions import Panel
from events.models import Session, Takeaway
from events.takeaways.selectors.freshness import Freshness, freshness_of
from events.takeaways.selectors.reading import freshness_case
from events.takeaways.selectors.search import TSQUERY, search_words
from learning.articles.models import Article, ArticleCoauthor, ArticleFile, ArticleVersion


def _member_of(user: User):
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )


def readable_q(user: User) -> Q:
    """Organisation articles for everyone signed in; a community's follow its privacy (public:
    everyone; private and intervision groups: their active members); an archived community's only for its members; the
    owner always reads their own."""
    live = Q(community__archived=False)
    public = Q(community__visibility=Community.Visibility.PUBLIC)  # groups are always private
    return (
        Q(community__isnull=True)
        | (live & public)
        | Q(community_id__in=_member_of(user))
        | Q(owner=user)
    )


def articles_visible_to(user: User) -> QuerySet[Article]:
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.filter(readable_q(user))


def with_card_data(queryset: QuerySet[Article], *, today: date | None = None):
    """What an article card shows: community, owner, freshness. No per-row queries."""
    today = today or timezone.localdate()
    return queryset.select_related("community", "owner").annotate(freshness=freshness_case(today))


@dataclass(frozen=True)
class ArticleFilters:
    q: str = ""
    community: str = ""  # slug
    kind: str = ""
    include_archived: bool = False


def article_search(user: User, filters: ArticleFilters) -> QuerySet[Article]:
    """Articles the viewer may read matching ``filters``: fresh first, then best match (Dutch,
    English and unstemmed words with prefixes on PostgreSQL, as the takeaways' search)."""
    today = timezone.localdate()
    queryset = with_card_data(articles_visible_to(user), today=today)
    if filters.community:
        queryset = queryset.filter(community__slug=filters.community)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if not filters.include_archived:
        queryset = queryset.filter(archived_at__isnull=True, superseded_by__isnull=True)
    words = search_words(filters.q)
    if not words:
        return queryset.order_by("freshness", "title", "id")
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        params = [query, query, query]
        queryset = queryset.annotate(
            # Constant SQL text; the words are bound parameters (and only \w characters).
            matches=RawSQL(  # noqa: S611
                f'"learning_article"."search_document" @@ {TSQUERY}',
                params,
                output_field=BooleanField(),
            ),
            rank=RawSQL(  # noqa: S611
                f'ts_rank("learning_article"."search_document", {TSQUERY})',
                params,
                output_field=FloatField(),
            ),
        ).filter(matches=True)
    else:
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    return queryset.order_by("freshness", F("rank").desc(), "title", "id")


def article_for_viewer(*, user: User, article_id: int) -> Article | None:
    """One article with its co-authors, files and sessions, or None (the view answers 404)."""
    return (
        with_card_data(articles_visible_to(user))
        .select_related("superseded_by")
        .prefetch_related(
            Prefetch(
                "coauthorships",
                queryset=ArticleCoauthor.objects.select_related("user").order_by("added_at", "id"),
            ),
            Prefetch("files", queryset=ArticleFile.objects.defer("data").order_by("id")),
            "sessions",
        )
        .filter(pk=article_id)
        .first()
    )


def article_file_for_viewer(*, user: User, article_id: int, file_id: int) -> ArticleFile | None:
    """A file of an article the viewer may read (else None: 404)."""
    return ArticleFile.objects.filter(
        pk=file_id, article_id=article_id, article__in=articles_visible_to(user)
    ).first()


def versions_of(article: Article) -> list[ArticleVersion]:
    return list(
        ArticleVersion.objects.filter(article=article)
        .select_related("author")
        .defer("body")
        .order_by("-number")
    )


def version_diff(article: Article, *, old: int, new: int) -> list[tuple[str, str]] | None:
    """The lines between two versions as (kind, line) with kind ``add``, ``del``, ``same`` or
    ``hunk``; None when a version does not exist."""
    found = {
        v.number: v for v in ArticleVersion.objects.filter(article=article, number__in=[old, new])
    }
    if old not in found or new not in found:
        return None
    before = [f"# {found[old].title}", "", *found[old].body.splitlines()]
    after = [f"# {found[new].title}", "", *found[new].body.splitlines()]
    lines = []
    for line in list(difflib.unified_diff(before, after, lineterm="", n=2))[2:]:
        if line.startswith("@@"):
            lines.append(("hunk", line))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("del", line[1:]))
        else:
            lines.append(("same", line[1:]))
    return lines


def articles_linkable_by(user: User) -> QuerySet[Article]:
    """Active articles a person may point a journey step or session at."""
    return articles_visible_to(user).filter(archived_at__isnull=True, superseded_by__isnull=True)


def community_article_freshness(community: Community) -> Freshness:
    """How fresh a community's articles are (an aggregate), with the takeaways' rule."""
    return freshness_of(Article.objects.filter(community=community))


# --- The ambassadors' review queue -------------------------------------------------------------


def articles_due_in(community: Community, *, today: date | None = None) -> list[Article]:
    """Active articles of the community whose review date has come: one query."""
    today = today or timezone.localdate()
    return list(
        Article.objects.filter(
            community=community,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
        )
        .select_related("owner")
        .order_by("review_due", "id")
    )


def takeaways_due_in(community: Community, *, today: date | None = None) -> list[Takeaway]:
    """Shared active takeaways of the community's sessions whose review date has come (private
    ones stay with their author): one query."""
    today = today or timezone.localdate()
    return list(
        Takeaway.objects.filter(
            session__community=community,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
        )
        .exclude(visibility=Takeaway.Visibility.PRIVATE)
        .select_related("owner", "session")
        .order_by("review_due", "id")
    )


def community_articles_panel(user: User, community: Community) -> dict:
    """What the community page shows about articles (a panel registered with
    ``communities.extensions``): the five freshest it may read, and whether the viewer looks
    after the community (the ambassador's page). Two queries."""
    articles = list(
        with_card_data(articles_visible_to(user))
        .filter(community=community, archived_at__isnull=True, superseded_by__isnull=True)
        .order_by("freshness", "-updated_at", "id")[:5]
    )
    return {"community_articles": articles, "looks_after": can_look_after(user, community)}


def session_articles_panel(user: User, session: Session) -> Panel | None:
    """What the session page shows about articles (a panel registered with
    ``events.extensions``): the active articles linked to the session that the viewer may read
    — an article of a private community stays with its members, even on a public session's
    page. Nothing when there are none. One query."""
    articles = list(
        with_card_data(articles_visible_to(user))
        .filter(sessions=session, archived_at__isnull=True, superseded_by__isnull=True)
        .order_by("freshness", "title", "id")
    )
    if not articles:
        return None
    return Panel("learning/articles/_session_panel.html", {"articles": articles})


_ARTICLE_PATH = re.compile(r"^/articles/(?P<id>[0-9]{1,10})/")


def _article_id_of(url: str) -> int | None:
    """The article a link into this app points at (``/articles/<id>/…`` on the site's own
    address, or without one), else None."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
        return None
    match = _ARTICLE_PATH.match(parts.path)
    return int(match["id"]) if match else None


def hidden_article_links(user: User, urls: list[str]) -> set[str]:
    """Of ``urls``, the links to articles ``user`` may not read (or that do not exist): a guard
    registered with ``events.extensions``, so a leermarkt stand's material can be an article.
    One query when there is an article link, none otherwise."""
    wanted = {url: article_id for url in urls if (article_id := _article_id_of(url)) is not None}
    if not wanted:
        return set()
    readable = set(
        articles_visible_to(user).filter(pk__in=set(wanted.values())).values_list("pk", flat=True)
    )
    return {url for url, article_id in wanted.items() if article_id not in readable}
