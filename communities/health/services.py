"""Writes for the health checks."""

from datetime import timedelta

from django.utils import timezone

from communities.health.models import WorkerPing

PING_HISTORY = timedelta(days=1)


def health_ping_record(*, marker: str) -> WorkerPing:
    """Record that a worker ran the ping task; prune pings older than a day.

    Transaction: autocommit, one insert (or none) and one delete. Idempotent per marker.
    """
    ping, _created = WorkerPing.objects.get_or_create(marker=marker)
    WorkerPing.objects.filter(created_at__lt=timezone.now() - PING_HISTORY).delete()
    return ping
