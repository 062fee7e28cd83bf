"""Freshness: which takeaways are due for review, and how fresh a community's are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from communities.models import Community, User
from events.models import Takeaway
from events.takeaways.selectors.reading import in_community_q


@dataclass(frozen=True)
class Freshness:
    active: int
    fresh: int

    @property
    def share(self) -> float | None:
        return self.fresh / self.active if self.active else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def freshness_of(queryset: QuerySet[Takeaway], *, today: date | None = None) -> Freshness:
    """Active takeaways (not archived or superseded) and those reviewed within their window
    (review date still ahead). One query."""
    today = today or timezone.localdate()
    figures = queryset.filter(archived_at__isnull=True, superseded_by__isnull=True).aggregate(
        active=Count("id"), fresh=Count("id", filter=Q(review_due__gt=today))
    )
    return Freshness(active=figures["active"], fresh=figures["fresh"])


def community_freshness(community: Community, *, today: date | None = None) -> Freshness:
    """A community's freshness over all its takeaways (an aggregate; private ones count too)."""
    return freshness_of(Takeaway.objects.filter(in_community_q(id=community.pk)), today=today)


def review_due_for_owner(*, user: User, today: date | None = None) -> list[Takeaway]:
    """My active takeaways whose review date has come (my page, the nudge mail)."""
    today = today or timezone.localdate()
    return list(
        Takeaway.objects.filter(
            owner=user,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
        )
        .select_related("session", "community")
        .order_by("review_due", "id")
    )


def due_for_nudge(*, today: date) -> QuerySet[Takeaway]:
    """Active takeaways past their review date whose owner has not been nudged for that date."""
    return (
        Takeaway.objects.filter(
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
            owner__isnull=False,
            owner__is_active=True,
        )
        .filter(Q(review_nudged_for__isnull=True) | ~Q(review_nudged_for=F("review_due")))
        .order_by("owner_id", "review_due", "id")
    )


def review_window_start(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.44))
