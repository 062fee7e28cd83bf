"""Reads of API tokens."""

from django.db.models import QuerySet
from django.utils import timezone

from api.models import ApiToken
from api.tokens.hashing import token_hash
from communities.models import User


def token_by_secret(secret: str) -> ApiToken | None:
    """The live token for a secret: not revoked, not expired, its person active."""
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's personal tokens, newest first."""
    return ApiToken.objects.filter(user=user, kind=ApiToken.Kind.PERSONAL).order_by("-created_at")


def service_tokens_for(user: User) -> QuerySet[ApiToken]:
    """The organisation's service tokens, for staff only."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(kind=ApiToken.Kind.SERVICE)
        .select_related("user")
        .order_by("-created_at")
    )
