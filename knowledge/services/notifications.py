"""Notifications: marking them read."""

from django.utils import timezone

from communities.models import User
from knowledge.models import Notification


def notifications_mark_read(*, user: User) -> int:
    """Mark all the person's notifications read. Transaction: one statement. Idempotent."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
