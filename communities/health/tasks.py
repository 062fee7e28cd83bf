"""The worker heartbeat (beat, every five minutes)."""

from celery import shared_task
from django.utils import timezone

from communities.health.services import health_ping_record


@shared_task(name="events.tasks.ping")
def ping(marker: str = "") -> str:
    """Proves the path web → broker → worker → database: records ``marker`` as a health ping.

    Beat sends one every five minutes (marker: the minute); /healthz shows when a worker last
    answered. Idempotent: a second run with the same marker changes nothing.
    """
    marker = marker or "beat:" + timezone.now().strftime("%Y-%m-%dT%H:%M")
    health_ping_record(marker=marker)
    return marker
