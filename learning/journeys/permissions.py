"""Who may build journey templates, start newcomers on them, and see a journey."""

from communities.models import User
from communities.permissions import can_manage_community
from learning.journeys.models import Journey, JourneyTemplate


def can_build_journeys_for(user: User, community) -> bool:
    """A community's coordinators build its journeys; staff build the organisation's."""
    if not (user.is_authenticated and user.is_active):
        return False
    if community is None:
        return user.is_staff
    return not community.archived and can_manage_community(user, community)


def can_manage_template(user: User, template: JourneyTemplate) -> bool:
    return can_build_journeys_for(user, template.community)


def is_party_to(user: User, journey: Journey) -> bool:
    """The newcomer, the buddy and the supervisor: the only people who see a journey."""
    return user.is_authenticated and user.pk in (
        journey.newcomer_id,
        journey.buddy_id,
        journey.supervisor_id,
    )
