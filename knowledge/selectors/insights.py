"""Aggregate figures of "wie weet wat" for coordinators and staff (rule 11): questions asked and
answered, the median time to a first answer, wishes that became sessions. No per-person
figure; with fewer than ``MIN_GROUP`` people asking, nothing is broken down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from communities.models import Community
from events.insights.selectors import MIN_GROUP
from knowledge.models import Question, Wish
from knowledge.rules import median_hours


@dataclass(frozen=True)
class KnowledgeFigures:
    since: datetime
    enough_people: bool
    asked: int = 0
    answered: int = 0
    median_hours_to_first_answer: float | None = None
    wishes: int = 0
    wishes_planned: int = 0


def knowledge_figures(*, community: Community | None, days: int = 365) -> KnowledgeFigures:
    """The figures of one community (or, for ``None``, of the whole organisation) over the
    last ``days``. Three queries."""
    since = timezone.now() - timedelta(days=days)
    questions = Question.objects.filter(published_at__gte=since).exclude(state="pending")
    wishes = Wish.objects.filter(created_at__gte=since)
    if community is not None:
        questions = questions.filter(community=community)
        wishes = wishes.filter(community=community)
    totals = questions.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(answer_count__gt=0)),
        askers=Count("author", distinct=True),
    )
    if totals["askers"] < MIN_GROUP:
        return KnowledgeFigures(since=since, enough_people=False)
    waits = [
        row["wait"]
        for row in questions.filter(first_answer_at__isnull=False)
        .annotate(wait=F("first_answer_at") - F("published_at"))
        .values("wait")
    ]
    wish_totals = wishes.aggregate(
        total=Count("pk"), planned=Count("pk", filter=Q(state=Wish.State.PLANNED))
    )
    return KnowledgeFigures(
        since=since,
        enough_people=True,
        asked=totals["asked"],
        answered=totals["answered"],
        median_hours_to_first_answer=median_hours(waits),
        wishes=wish_totals["total"],
        wishes_planned=wish_totals["planned"],
    )
