"""Who may do what with communities. Views and services ask here; nothing else decides.

Visibility itself (who may see a community at all) lives in the selectors, which take the viewing
user; these functions answer questions about a community the user can already see.
"""

from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, Membership, User
from communities.organisation import organisation_settings

LEAD_ROLES = (Membership.Role.COORDINATOR, Membership.Role.FACILITATOR)


def community_creation_policy() -> str:
    """'everyone' or 'staff': the organisation's setting, which staff change at /organisation/."""

    return organisation_settings().community_creation


def can_create_community(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or community_creation_policy() == "everyone"


def active_membership(user: User, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).first()


def can_manage_community(user: User, community: Community) -> bool:
    """Coordinators (and, in intervision groups, facilitators) run a community; staff may too
    for public communities (a private one stays invisible to non-members, staff included)."""
    if not user.is_authenticated:
        return False
    leads = Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).exists()
    if leads:
        return True
    return user.is_staff and community.visibility == Community.Visibility.PUBLIC


def is_ambassador(user: User, community: Community | None) -> bool:
    """An active ambassador (kennisambassadeur) of a community that is not archived: looks after
    the quality of its takeaways and articles, welcomes newcomers, reads its health page."""
    if community is None or not user.is_authenticated or community.archived:
        return False
    return Membership.objects.filter(
        user=user,
        community=community,
        state=Membership.State.ACTIVE,
        role=Membership.Role.AMBASSADOR,
    ).exists()


def can_look_after(user: User, community: Community | None) -> bool:
    """Ambassadors and those who run the community: the review queue and the newcomers list,
    the community's insights. One query (staff: for public communities, as they manage them)."""
    if community is None or not user.is_authenticated:
        return False
    if user.is_staff and community.visibility == Community.Visibility.PUBLIC:
        return True
    roles = (*LEAD_ROLES, Membership.Role.AMBASSADOR) if not community.archived else LEAD_ROLES
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE, role__in=roles
    ).exists()


def can_see_members(user: User, community: Community) -> bool:
    """Member lists are for members (and those who run the community)."""
    return active_membership(user, community) is not None or can_manage_community(user, community)


# Guards for services: they raise DomainError (shown to the person, nothing changed).


def require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise DomainError(_("Only staff can do that."), code="forbidden")


def require_manager(actor: User, community: Community) -> None:
    if not can_manage_community(actor, community):
        raise DomainError(_("Only the coordinators can do that."), code="forbidden")


def require_not_archived(community: Community) -> None:
    if community.archived:
        raise DomainError(_("This community is archived."), code="archived")
