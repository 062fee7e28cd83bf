"""Who may run a session. Visibility (who may see it at all) lives in the selectors."""

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES
from events.models import Session


def leads_community(user: User, community: Community | None) -> bool:
    if community is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).exists()


def can_create_session(user: User, community: Community) -> bool:
    """Coordinators (facilitators in intervision groups) schedule a community's sessions."""
    if community.archived:
        return False
    if leads_community(user, community):
        return True
    return user.is_staff and community.visibility == Community.Visibility.PUBLIC


def can_manage_session(user: User, session: Session) -> bool:
    """Hosts and the community's coordinators edit, cancel and take attendance (a festival
    session: its speakers and the festival's organisers)."""
    if not user.is_authenticated:
        return False
    if session.hosts.filter(pk=user.pk).exists():
        return True
    if session.community is None:
        # A festival's organisers run its sessions (attendance on the day).
        if session.festival_id and session.festival.organisers.filter(pk=user.pk).exists():
            return True
        return user.is_staff
    return can_create_session(user, session.community)


def is_active_member(user: User, community: Community | None) -> bool:
    if community is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).exists()
