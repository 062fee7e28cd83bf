"""The global search: a few of each kind of thing matching the words, as the viewer may see
them (communities, upcoming sessions, takeaways, questions, and people who opted in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from communities.models import User
from communities.selectors import DirectoryFilters, community_search
from events.models import Session
from events.sessions.selectors import sessions_visible_to
from events.takeaways.selectors.search import TakeawayFilters, search_words, takeaway_search
from knowledge.selectors.experts import listed_people
from knowledge.selectors.questions import question_list

EACH = 5


@dataclass
class SearchResult:
    q: str
    communities: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    takeaways: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    people: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.communities or self.sessions or self.takeaways or self.questions or self.people
        )


def search_everything(user: User, q: str) -> SearchResult:
    result = SearchResult(q=q)
    words = search_words(q)
    if not words or not user.is_authenticated:
        return result
    result.communities = list(community_search(user, DirectoryFilters(query=q))[:EACH])
    sessions = sessions_visible_to(user).filter(
        state=Session.State.SCHEDULED, start__gt=timezone.now()
    )
    for word in words:
        sessions = sessions.filter(Q(title__icontains=word) | Q(description__icontains=word))
    result.sessions = list(sessions.select_related("community").order_by("start", "id")[:EACH])
    result.takeaways = list(
        takeaway_search(user, TakeawayFilters(q=q)).select_related("session")[:EACH]
    )
    result.questions = list(question_list(user, q=q)[:EACH])
    people = listed_people(user)
    for word in words:
        people = people.filter(
            Q(display_name__icontains=word)
            | Q(
                pk__in=listed_people(user)
                .filter(expertise_topics__name__icontains=word)
                .values("pk")
            )
        )
    result.people = list(
        people.prefetch_related("expertise_topics").order_by("display_name", "email")[:EACH]
    )
    return result
