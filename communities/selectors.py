"""Reads of communities and memberships; each takes the viewing user (rule 3)."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community, Invitation, Membership, Topic, User


def _active_membership(user: User):
    return Membership.objects.filter(
        community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
    )


def communities_visible_to(user: User) -> QuerySet[Community]:
    """Public communities for everyone signed in; private ones only for their active members.

    Anonymous visitors see nothing: Kennisplein is for the organisation's own people. Archived
    communities are hidden (their history stays in the database).
    """
    if not user.is_authenticated:
        return Community.objects.none()
    return (
        Community.objects.filter(archived=False)
        .annotate(is_member=Exists(_active_membership(user)))
        .filter(Q(visibility=Community.Visibility.PUBLIC) | Q(is_member=True))
    )


def _next_session_start():
    from events.models import Session

    upcoming = Session.objects.filter(
        community=OuterRef("pk"), state=Session.State.SCHEDULED, start__gte=timezone.now()
    ).order_by("start")
    return Subquery(upcoming.values("start")[:1], output_field=DateTimeField())


def _my_state(user: User):
    return Subquery(
        Membership.objects.filter(community=OuterRef("pk"), user=user).values("state")[:1]
    )


def _my_role(user: User):
    return Subquery(
        Membership.objects.filter(
            community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
        ).values("role")[:1]
    )


def community_directory(user: User) -> QuerySet[Community]:
    """The directory: visible communities with member count, next session and my role, in a
    constant number of queries (topics come with one prefetch)."""
    if not user.is_authenticated:
        return Community.objects.none()
    member_count = (
        Membership.objects.filter(community=OuterRef("pk"), state=Membership.State.ACTIVE)
        .order_by()
        .values("community")
        .annotate(total=Count("id"))
        .values("total")
    )
    return (
        communities_visible_to(user)
        .annotate(
            member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
            next_session_start=_next_session_start(),
            my_role=_my_role(user),
            my_state=_my_state(user),
        )
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("name")
    )


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    kind: str = ""
    topic: str = ""
    mine: bool = False


def community_search(user: User, filters: DirectoryFilters) -> QuerySet[Community]:
    """Search by name, purpose and topic; filter by kind, topic and my own communities."""
    communities = community_directory(user)
    if filters.query:
        words = filters.query.split()[:8]
        for word in words:
            communities = communities.filter(
                Q(name__icontains=word)
                | Q(purpose__icontains=word)
                | Q(topics__name__icontains=word)
            )
        communities = communities.distinct()
    if filters.kind in Community.Kind.values:
        communities = communities.filter(kind=filters.kind)
    if filters.topic:
        communities = communities.filter(topics__slug=filters.topic)
    if filters.mine:
        communities = communities.filter(is_member=True)
    return communities


def topics_in_use(user: User) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(communities__in=communities_visible_to(user).values("pk"))
        .distinct()
        .order_by("name")
    )


def community_for_viewer(*, user: User, slug: str) -> Community | None:
    """One community the viewer may see, with its coordinators; None means 404."""
    leads = (
        Membership.objects.filter(
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
        )
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    return (
        community_directory(user)
        .prefetch_related(Prefetch("memberships", queryset=leads, to_attr="leads"))
        .filter(slug=slug)
        .first()
    )


def community_for_manager(*, user: User, slug: str) -> Community | None:
    """A community the viewer may manage, archived ones included (to restore them)."""
    from communities.permissions import can_manage_community

    community = Community.objects.filter(slug=slug).first()
    if community is None or not can_manage_community(user, community):
        return None
    return community


def membership_of(*, user: User, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def community_members(community: Community) -> QuerySet[Membership]:
    """Active members, leads first. Callers check ``can_see_members`` first."""
    return (
        Membership.objects.filter(community=community, state=Membership.State.ACTIVE)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def community_pending_requests(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=Membership.State.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def community_open_invitations(community: Community) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            community=community, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("created_at")
    )


def invitations_for(user: User) -> QuerySet[Invitation]:
    """Open invitations addressed to one of the person's verified addresses."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email__iexact=user.email, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("community")
        .order_by("created_at")
    )
