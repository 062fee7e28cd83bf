"""Who may see and do what in "wie weet wat". A private community's (or an intervision group's)
questions and wishes are for its active members only; organisation-wide ones for everyone."""

from __future__ import annotations

from django.db.models import Q

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES


def member_of(user: User):
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )


def leads_of(user: User):
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).values("community_id")


def community_readable_q(user: User, prefix: str = "community") -> Q:
    """Rows without a community, or of a live community the viewer may see: public ones (not an
    intervision group) for everyone signed in, the others for their active members."""
    open_to_all = Q(**{f"{prefix}__visibility": Community.Visibility.PUBLIC}) & ~Q(
        **{f"{prefix}__kind": Community.Kind.INTERVISION_GROUP}
    )
    return Q(**{f"{prefix}__isnull": True}) | (
        Q(**{f"{prefix}__archived": False})
        & (open_to_all | Q(**{f"{prefix}_id__in": member_of(user)}))
    )


def may_see_community(user: User, community: Community | None) -> bool:
    if community is None:
        return user.is_authenticated
    if not user.is_authenticated or community.archived:
        return False
    if (
        community.visibility == Community.Visibility.PUBLIC
        and community.kind != Community.Kind.INTERVISION_GROUP
    ):
        return True
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).exists()


def leads(user: User, community: Community | None) -> bool:
    if community is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).exists()


def is_member(user: User, community: Community) -> bool:
    """An active member (any role) of a live community: who answers its surveys."""
    if not user.is_authenticated or community.archived:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).exists()
