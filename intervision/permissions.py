"""Who may do what in an intervision group: members, the group's leads (facilitators and
coordinators), who runs a session's console."""

from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, Membership, User
from intervision.models import (
    IntervisionSession,
)


def leads_group(user: User, group: Community) -> bool:
    return Membership.objects.filter(
        user=user,
        community=group,
        state=Membership.State.ACTIVE,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
    ).exists()


def runs_session(user: User, isession: IntervisionSession) -> bool:
    """The session's facilitator, or one who leads the group, runs the console."""
    return isession.facilitator_id == user.pk or leads_group(user, isession.group)


def is_member(user: User, group: Community) -> bool:
    return Membership.objects.filter(
        user=user, community=group, state=Membership.State.ACTIVE
    ).exists()


def require_lead(user: User, group: Community) -> None:
    if not leads_group(user, group):
        raise DomainError(_("Only the group's facilitators can do this."), code="forbidden")
