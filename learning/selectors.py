"""Reads shared by the learning topics."""

from django.db.models import Q, QuerySet

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES
from communities.selectors import communities_visible_to


def communities_led_by(user: User) -> QuerySet[Community]:
    """Communities the person runs (coordinator or facilitator; staff: every public one), not
    archived, in one query: what ``can_manage_community`` says, for a whole list at once."""
    led = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).values("community_id")
    scope = Q(pk__in=led)
    if user.is_staff:
        scope |= Q(visibility=Community.Visibility.PUBLIC)
    return communities_visible_to(user).filter(scope, archived=False).order_by("name", "id")
