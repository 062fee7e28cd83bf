"""What a change reported by a write path (``communities.extensions.changed``) becomes: a thin
webhook payload (type, id, community, the resource's API URL; no personal data beyond ids, never
intervision case content) recorded for every endpoint that wants it."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from api.tasks import webhooks_sweep
from api.webhooks.selectors import endpoints_wanting
from api.webhooks.services import webhook_event_record
from communities import extensions
from communities.models import Community, Membership
from events.models import Festival, Rsvp


def _api_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(f"api:{name}", args=args)


def _data(event: str, object_id: int, community_slug: str | None) -> dict:
    data: dict = {"id": object_id, "community": community_slug}
    if event.startswith("session."):
        data["url"] = _api_url("session-detail", object_id)
    elif event == "rsvp.changed":
        session_id = Rsvp.objects.filter(pk=object_id).values_list("session_id", flat=True).first()
        data["session"] = session_id
        data["url"] = _api_url("session-rsvp", session_id)
    elif event == "membership.changed":
        membership = Membership.objects.filter(pk=object_id).values("user_id").first() or {}
        data["user"] = membership.get("user_id")
        data["url"] = _api_url("community-members", community_slug)
    elif event == "takeaway.published":
        data["url"] = _api_url("takeaway-detail", object_id)
    elif event == "festival.programme_published":
        slug = Festival.objects.filter(pk=object_id).values_list("slug", flat=True).first()
        data["festival"] = slug
        data["url"] = _api_url("festival-programme", slug)
    return data


def on_change(event: str, object_id: int, community_id: int | None) -> None:
    endpoints = endpoints_wanting(event=event, community_id=community_id)
    if not endpoints:
        return
    slug = None
    if community_id is not None:
        slug = Community.objects.filter(pk=community_id).values_list("slug", flat=True).first()
    rows = webhook_event_record(
        event=event, data=_data(event, object_id, slug), endpoints=endpoints
    )
    if rows:
        # Deliver soon after the change commits; the beat sweep is the safety net.
        transaction.on_commit(webhooks_sweep.delay)


def register_change_listener() -> None:
    extensions.register_change_listener("webhooks", on_change)
