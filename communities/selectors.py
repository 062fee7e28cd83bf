"""Reads of communities and memberships; each takes the viewing user (rule 3)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from communities.models import Community, Membership, User


def _active_membership(user: User):
    return Membership.objects.filter(
        community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
    )


def communities_visible_to(user: User) -> QuerySet[Community]:
    """Public communities for everyone signed in; private ones only for their active members.

    Anonymous visitors see nothing: Kennisplein is for the organisation's own people.
    """
    if not user.is_authenticated:
        return Community.objects.none()
    return (
        Community.objects.filter(archived=False)
        .annotate(is_member=Exists(_active_membership(user)))
        .filter(Q(visibility=Community.Visibility.PUBLIC) | Q(is_member=True))
    )


def community_directory(user: User) -> QuerySet[Community]:
    """The directory list: visible communities with member counts, in a constant query count."""
    return (
        communities_visible_to(user)
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE))
        )
        .order_by("name")
    )


def community_for_viewer(*, user: User, slug: str) -> Community | None:
    """One community the viewer may see, with its coordinators; None means 404."""
    leads = Membership.objects.filter(
        state=Membership.State.ACTIVE,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
    ).select_related("user")
    return (
        community_directory(user)
        .prefetch_related(Prefetch("memberships", queryset=leads, to_attr="leads"))
        .filter(slug=slug)
        .first()
    )


def membership_of(*, user: User, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()
