"""Which takeaways a person may read, one takeaway, and the lists on session and community pages."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES, can_look_after
from events.models import Session, Takeaway, TakeawayHelpful, TakeawayTag


def _member_of(user: User):
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )


def _leads_of(user: User):
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).values("community_id")


def in_community_q(**lookup) -> Q:
    """A condition on the takeaway's community, whether it comes from its session or (a
    takeaway kept from an answer) is its own: ``in_community_q(id__in=...)``."""
    ((key, value),) = lookup.items()
    return Q(**{f"session__community__{key}": value}) | Q(
        session__isnull=True, **{f"community__{key}": value}
    )


def readable_q(user: User) -> Q:
    """The condition "this viewer may read the takeaway" (see the module docstring)."""
    own = Q(author=user) | Q(owner=user)
    no_community = Q(session__community__isnull=True, community__isnull=True)
    live = no_community | in_community_q(archived=False)
    shared = ~Q(visibility=Takeaway.Visibility.PRIVATE) & (
        no_community
        | (
            Q(visibility=Takeaway.Visibility.ORGANISATION)
            & in_community_q(visibility=Community.Visibility.PUBLIC)
        )
        | in_community_q(id__in=_member_of(user))
    )
    not_hidden = Q(hidden_at__isnull=True) | in_community_q(id__in=_leads_of(user))
    return own | (live & shared & not_hidden)


def takeaways_visible_to(user: User) -> QuerySet[Takeaway]:
    """Every takeaway the viewer may read (nothing for anonymous visitors)."""
    if not user.is_authenticated:
        return Takeaway.objects.none()
    return Takeaway.objects.filter(readable_q(user))


def helpful_count_subquery():
    marks = (
        TakeawayHelpful.objects.filter(takeaway=OuterRef("pk"))
        .order_by()
        .values("takeaway")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(marks, output_field=IntegerField()), 0)


def freshness_case(today: date):
    """0 fresh, 1 due for review, 2 archived or superseded (for ordering and badges)."""
    return Case(
        When(Q(archived_at__isnull=False) | Q(superseded_by__isnull=False), then=Value(2)),
        When(review_due__lte=today, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_listing_data(
    queryset: QuerySet[Takeaway],
    user: User,
    *,
    today: date | None = None,
    helpful: bool = False,
):
    """What a takeaway card shows: session, community, author, tags, freshness. With
    ``helpful`` the helpful marks are annotated in the query (to order by them); otherwise
    lists call ``attach_helpful`` on the page they show, so the correlated counts run for 20
    rows, not for every match before the sort."""
    today = today or timezone.localdate()
    queryset = queryset.select_related(
        "session", "session__community", "community", "author", "owner"
    ).prefetch_related(Prefetch("tags", queryset=TakeawayTag.objects.order_by("name")))
    if "freshness" not in queryset.query.annotations:
        queryset = queryset.annotate(freshness=freshness_case(today))
    if helpful:
        queryset = queryset.annotate(
            helpful_count=helpful_count_subquery(),
            marked_helpful=Exists(
                TakeawayHelpful.objects.filter(takeaway=OuterRef("pk"), user=user)
            ),
        )
    return queryset


def attach_helpful(takeaways, user: User) -> list[Takeaway]:
    """Set ``helpful_count`` and ``marked_helpful`` on a page of takeaways: one query."""
    takeaways = list(takeaways)
    if not takeaways:
        return takeaways
    figures = {
        row["takeaway_id"]: row
        for row in TakeawayHelpful.objects.filter(takeaway__in=[t.pk for t in takeaways])
        .order_by()
        .values("takeaway_id")
        .annotate(total=Count("id"), mine=Count("id", filter=Q(user_id=user.pk)))
    }
    for takeaway in takeaways:
        row = figures.get(takeaway.pk, {})
        takeaway.helpful_count = row.get("total", 0)
        takeaway.marked_helpful = bool(row.get("mine", 0))
    return takeaways


def takeaway_for_viewer(*, user: User, takeaway_id: int) -> Takeaway | None:
    """One takeaway the viewer may read, with what its page shows; None means 404."""
    return (
        with_listing_data(takeaways_visible_to(user), user, helpful=True)
        .select_related("superseded_by", "hidden_by")
        .filter(pk=takeaway_id)
        .first()
    )


def takeaway_for_owner(*, user: User, takeaway_id: int) -> Takeaway | None:
    """A takeaway the viewer may edit and review: their own (as author or owner)."""
    if not user.is_authenticated:
        return None
    return (
        Takeaway.objects.filter(Q(author=user) | Q(owner=user), pk=takeaway_id)
        .select_related("session", "session__community", "community")
        .prefetch_related("tags")
        .first()
    )


def takeaway_for_lead(*, user: User, takeaway_id: int) -> Takeaway | None:
    """A shared takeaway in a community the viewer leads (to hide or show it again)."""
    if not user.is_authenticated:
        return None
    return (
        Takeaway.objects.filter(in_community_q(id__in=_leads_of(user)), pk=takeaway_id)
        .exclude(visibility=Takeaway.Visibility.PRIVATE)
        .select_related("session", "session__community", "community")
        .first()
    )


def session_takeaways(*, user: User, session: Session) -> list[Takeaway]:
    """The takeaways of one session the viewer may read (the session page)."""
    return attach_helpful(
        with_listing_data(takeaways_visible_to(user).filter(session=session), user).order_by(
            "-created_at", "-id"
        ),
        user,
    )


def community_takeaways(
    *, user: User, community: Community, limit: int = 5, with_recent: bool = True
) -> tuple[list[Takeaway], list[Takeaway]]:
    """A community's recent and most helpful active takeaways the viewer may read."""
    base = with_listing_data(
        takeaways_visible_to(user).filter(
            in_community_q(id=community.pk), archived_at__isnull=True, superseded_by__isnull=True
        ),
        user,
        helpful=True,
    )
    recent = list(base.order_by("-created_at", "-id")[:limit]) if with_recent else []
    helpful = list(
        base.filter(helpful_count__gt=0).order_by("-helpful_count", "-created_at", "-id")[:limit]
    )
    return recent, helpful


def takeaway_count_subquery(user: User):
    """How many takeaways of each session (OuterRef pk) the viewer may read."""
    shared = (
        takeaways_visible_to(user)
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(shared, output_field=IntegerField()), 0)


def tags_visible_to(user: User, *, limit: int = 30) -> list[TakeawayTag]:
    """The tags most used on takeaways the viewer may read."""
    visible = takeaways_visible_to(user).filter(
        archived_at__isnull=True, superseded_by__isnull=True
    )
    return list(
        TakeawayTag.objects.filter(takeaways__in=visible)
        .annotate(uses=Count("takeaways"))
        .order_by("-uses", "name")[:limit]
    )


def takeaways_for_digest(
    *, recipient: User, community: Community, since, until=None, limit: int = 5
) -> list[Takeaway]:
    """What a community's weekly digest shows one recipient: the week's takeaways of the
    community that this person may read (rule: ``takeaways_visible_to``), active and not due
    for review (stale knowledge stays out of digests), most helpful first. For the digest the
    reminders send; two queries."""
    until = until or timezone.now()
    today = timezone.localdate()
    chosen = with_listing_data(
        takeaways_visible_to(recipient).filter(
            in_community_q(id=community.pk),
            created_at__gte=since,
            created_at__lt=until,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            hidden_at__isnull=True,
            review_due__gt=today,
        ),
        recipient,
        today=today,
        helpful=True,
    ).order_by("-helpful_count", "-created_at", "-id")[:limit]
    return list(chosen)


def takeaways_for_viewer(*, user: User, session: Session) -> QuerySet[Takeaway]:
    """Takeaways of a session the viewer may read (the rules: events.selectors.takeaways)."""

    return (
        takeaways_visible_to(user)
        .filter(session=session)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def community_takeaways_panel(user: User, community: Community) -> dict:
    """What the community page shows about takeaways (a panel registered with
    ``communities.extensions``)."""
    recent, helpful = community_takeaways(user=user, community=community)
    return {
        "recent_takeaways": recent,
        "helpful_takeaways": helpful,
        "may_see_insights": can_look_after(user, community),
    }


def tag_by_slug(slug: str) -> TakeawayTag | None:
    return TakeawayTag.objects.filter(slug=slug).first()
