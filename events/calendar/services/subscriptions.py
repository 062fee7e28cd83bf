"""The personal calendar feed's secret token, and invitations after a person changes how sessions
reach their calendar."""

from __future__ import annotations

import secrets

from django.db import transaction

from communities.models import User
from events.calendar.selectors import hash_feed_token
from events.calendar.services.invitations import invitations_sync_user


@transaction.atomic
def feed_token_reset(*, user: User) -> str:
    """A new feed token (256 random bits); only its SHA-256 is stored, the old URL dies at once."""
    token = secrets.token_urlsafe(32)
    User.objects.filter(pk=user.pk).update(feed_token_hash=hash_feed_token(token))
    user.feed_token_hash = hash_feed_token(token)
    return token


def invitations_after_delivery_change(user: User) -> None:
    """Going back to invitations sends the invitations for everything upcoming the person goes
    to that their calendar lacks; choosing the feed only cancels what invitations put in their
    calendar (the feed shows it now, once). Registered with ``communities.extensions``; runs in
    the caller's transaction. Idempotent."""
    invitations_sync_user(user=user)
