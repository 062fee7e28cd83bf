"""Reads of webhooks: who may see and manage which endpoints, and their delivery log."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEndpoint
from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES


def _is_staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def communities_led_by(user: User) -> QuerySet[Community]:
    """The communities whose webhooks this person manages (active coordinator or facilitator)."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        archived=False,
        memberships__user=user,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__in=LEAD_ROLES,
    ).order_by("name")


def may_manage_endpoints_of(user: User, community: Community | None) -> bool:
    """Staff manage the organisation's endpoints; a community's are for its coordinators."""
    if community is None:
        return _is_staff(user)
    return communities_led_by(user).filter(pk=community.pk).exists()


def may_see_webhooks(user: User) -> bool:
    return _is_staff(user) or communities_led_by(user).exists()


def endpoints_visible_to(user: User) -> QuerySet[WebhookEndpoint]:
    """Staff: the organisation's endpoints; everyone: those of the communities they lead."""
    if not user.is_authenticated or not user.is_active:
        return WebhookEndpoint.objects.none()
    mine = Q(community__in=communities_led_by(user))
    if _is_staff(user):
        mine |= Q(community__isnull=True)
    return WebhookEndpoint.objects.filter(mine).select_related("community").order_by("id")


def endpoint_for_manager(*, user: User, endpoint_id: int) -> WebhookEndpoint | None:
    return endpoints_visible_to(user).filter(pk=endpoint_id).first()


def delivery_log(endpoint: WebhookEndpoint, *, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's deliveries of the last 30 days, newest first."""
    since = timezone.now() - timedelta(days=30)
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint, created_at__gte=since).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def endpoints_wanting(*, event: str, community_id: int | None) -> list[WebhookEndpoint]:
    """Active endpoints that want ``event``: the organisation's and its community's (one query;
    most changes find none and stop here)."""
    endpoints = WebhookEndpoint.objects.filter(active=True).filter(
        Q(community__isnull=True) | Q(community_id=community_id)
    )
    return [endpoint for endpoint in endpoints if event in endpoint.events]
