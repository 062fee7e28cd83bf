"""Reads of sessions; every one takes the viewing user (rule 3)."""

from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Rsvp, Session


def sessions_visible_to(user: User) -> QuerySet[Session]:
    """Sessions of communities the user may see, plus organisation-wide ones (no community).

    A private community's sessions are visible only to its active members; an archived
    community's sessions are hidden like the community itself (communities_visible_to).
    """
    if not user.is_authenticated:
        return Session.objects.none()
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    return Session.objects.filter(
        Q(community__isnull=True)
        | Q(community__archived=False)
        & (Q(community__visibility=Community.Visibility.PUBLIC) | Q(community_id__in=member_of))
    )


def going_count_subquery():
    """People going, as a correlated subquery: lets LIMIT apply before counting (no GROUP BY)."""
    going = (
        Rsvp.objects.filter(session=OuterRef("pk"), status=Rsvp.Status.GOING)
        .order_by()
        .values("session")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(going, output_field=IntegerField()), 0)


def sessions_upcoming(user: User, *, now: datetime | None = None) -> QuerySet[Session]:
    """What's on: sessions that have not ended yet, with the number of people going."""
    now = now or timezone.now()
    return (
        sessions_visible_to(user)
        .filter(end__gte=now)
        .select_related("community")
        .annotate(going_count=going_count_subquery())
        .order_by("start", "id")
    )


def session_for_viewer(*, user: User, session_id: int) -> Session | None:
    return (
        sessions_visible_to(user)
        .select_related("community")
        .prefetch_related("hosts")
        .annotate(going_count=going_count_subquery())
        .filter(pk=session_id)
        .first()
    )
