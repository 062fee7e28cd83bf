"""The personal calendar feed's secret token (issue 6)."""

from __future__ import annotations

import secrets

from django.db import transaction

from communities.models import User
from events.selectors.calendar import hash_feed_token


@transaction.atomic
def feed_token_reset(*, user: User) -> str:
    """A new feed token (256 random bits); only its SHA-256 is stored, the old URL dies at once."""
    token = secrets.token_urlsafe(32)
    User.objects.filter(pk=user.pk).update(feed_token_hash=hash_feed_token(token))
    user.feed_token_hash = hash_feed_token(token)
    return token
