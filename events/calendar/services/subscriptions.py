"""The personal calendar feed's secret token and how sessions reach a calendar (issue 6)."""

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


@transaction.atomic
def calendar_delivery_set(*, user: User, choice: str) -> User:
    """Invitations, the subscription feed only, or both. Going back to invitations sends the
    invitations for everything upcoming the person goes to that their calendar lacks; choosing
    the feed only sends nothing further (entries already in their calendar stay).
    Transaction: one. Idempotent."""
    if choice not in User.CalendarDelivery.values:
        raise ValueError(f"unknown calendar delivery {choice!r}")
    if user.calendar_delivery == choice:
        return user
    user.calendar_delivery = choice
    User.objects.filter(pk=user.pk).update(calendar_delivery=choice)
    if user.wants_invitations:
        invitations_sync_user(user=user)
    return user
