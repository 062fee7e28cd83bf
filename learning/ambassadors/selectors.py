"""What an ambassador's page shows: the review queue and the newcomers to welcome."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from communities.models import Community, Membership
from learning.ambassadors.models import Welcome

NEWCOMER_DAYS = 30


def newcomers_of(community: Community, *, days: int = NEWCOMER_DAYS) -> QuerySet[Membership]:
    """Active members who joined in the last ``days`` days, newest first, with ``welcomed``:
    one query."""
    since = timezone.now() - timedelta(days=days)
    return (
        Membership.objects.filter(community=community, state=Membership.State.ACTIVE)
        .filter(joined_at__gte=since)
        .select_related("user")
        .annotate(
            welcomed=Exists(
                Welcome.objects.filter(community=community, newcomer_id=OuterRef("user_id"))
            )
        )
        .order_by("-joined_at", "-id")
    )
