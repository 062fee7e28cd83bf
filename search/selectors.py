"""The global search: a few of each kind of thing matching the words, as the viewer may see
them (communities, upcoming sessions, takeaways, questions, and people who opted in).

Every kind starts from its own visibility selector (``communities_visible_to``,
``sessions_visible_to``, the takeaway and question read rules, ``listed_people``), so the search
can never show more than the kind's own pages. Takeaways and questions use their stored search
documents (GIN indexes); communities and sessions are matched on PostgreSQL with a document
built on the fly from name and purpose, title and description, in the Dutch, English and simple
configurations with prefixes (a few hundred communities, and sessions are limited to the
upcoming ones, so no index is needed yet). One query per kind, whatever the number of results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from communities.models import Community, User
from communities.selectors import communities_visible_to
from events.models import Session
from events.sessions.selectors import sessions_visible_to
from events.takeaways.selectors.search import TakeawayFilters, search_words, takeaway_search
from knowledge.models import ExpertiseTopic
from knowledge.selectors.experts import listed_people
from knowledge.selectors.questions import question_list

EACH = 5
CONFIGS = ("dutch", "english", "simple")


@dataclass
class Group:
    """A few results of one kind; ``more`` says there are others (the kind's page lists them)."""

    items: list = field(default_factory=list)
    more: bool = False

    def __bool__(self) -> bool:
        return bool(self.items)


def _group(queryset) -> Group:
    # One more than shown: tells "more" without a count query.
    rows = list(queryset[: EACH + 1])
    return Group(items=rows[:EACH], more=len(rows) > EACH)


@dataclass
class SearchResult:
    q: str
    communities: Group = field(default_factory=Group)
    sessions: Group = field(default_factory=Group)
    takeaways: Group = field(default_factory=Group)
    questions: Group = field(default_factory=Group)
    people: Group = field(default_factory=Group)

    @property
    def empty(self) -> bool:
        return not (
            self.communities or self.sessions or self.takeaways or self.questions or self.people
        )


def _prefix_query(words: list[str]) -> str:
    # Words are letters and digits only (search_words): nothing here is tsquery syntax.
    return " & ".join(f"{word}:*" for word in words)


def full_text(queryset: QuerySet, fields: tuple[str, str], words: list[str]) -> QuerySet:
    """Rows whose ``fields`` match every word (a prefix each) in the Dutch, English or simple
    configuration; on SQLite (development) every word as a substring of either field."""
    if connection.vendor != "postgresql":
        for word in words:
            queryset = queryset.filter(
                Q(**{f"{fields[0]}__icontains": word}) | Q(**{f"{fields[1]}__icontains": word})
            )
        return queryset
    raw = _prefix_query(words)
    match = Q()
    for config in CONFIGS:
        vector = SearchVector(*fields, config=config)
        match |= Q(**{f"search_{config}": SearchQuery(raw, search_type="raw", config=config)})
        queryset = queryset.annotate(**{f"search_{config}": vector})
    return queryset.filter(match)


def _communities(user: User, words: list[str]) -> QuerySet[Community]:
    return full_text(communities_visible_to(user), ("name", "purpose"), words).order_by(
        "name", "id"
    )


def _sessions(user: User, words: list[str]) -> QuerySet[Session]:
    upcoming = sessions_visible_to(user).filter(
        state=Session.State.SCHEDULED, start__gt=timezone.now()
    )
    return (
        full_text(upcoming, ("title", "description"), words)
        .select_related("community")
        .order_by("start", "id")
    )


def _people(user: User, words: list[str]) -> QuerySet[User]:
    """Listed people whose name or one of whose topics holds every word."""
    people = listed_people(user)
    for word in words:
        topic = ExpertiseTopic.objects.filter(user_id=OuterRef("pk"), name__icontains=word)
        people = people.filter(Q(display_name__icontains=word) | Exists(topic))
    return people.prefetch_related(
        Prefetch("expertise_topics", queryset=ExpertiseTopic.objects.order_by("name"))
    ).order_by("display_name", "email")


def search_everything(user: User, q: str) -> SearchResult:
    """A few of each kind matching ``q``, as ``user`` may see them: six queries (communities,
    sessions, takeaways, questions with their tags, people with their topics) for any number of
    matches; none for an empty query or an anonymous visitor."""
    result = SearchResult(q=q)
    words = search_words(q)
    if not words or not user.is_authenticated:
        return result
    result.communities = _group(_communities(user, words))
    result.sessions = _group(_sessions(user, words))
    result.takeaways = _group(takeaway_search(user, TakeawayFilters(q=q)).select_related("session"))
    result.questions = _group(question_list(user, q=q))
    result.people = _group(_people(user, words))
    return result
