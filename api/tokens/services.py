"""Writes of API tokens: made (shown once, stored hashed), used, revoked."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from api.tokens.hashing import token_hash
from communities.errors import DomainError
from communities.models import User

TOKEN_PREFIX = "kp_"  # noqa: S105 -- a public marker, not a secret
MAX_LIFETIME = timedelta(days=366)
LAST_USED_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime,
    kind: str = ApiToken.Kind.PERSONAL,
    now: datetime | None = None,
) -> NewToken:
    """Make a token for ``user`` (a service token: staff only). The secret is returned once and
    only its SHA-256 is stored. Transaction: one insert. Not idempotent (each call, a token)."""
    now = now or timezone.now()
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the token a name of at most 100 characters."), code="name")
    unknown = set(scopes) - {"read", "rsvp", "manage"}
    if unknown or not scopes:
        raise DomainError(_("Choose at least one scope: read, rsvp or manage."), code="scopes")
    if timezone.is_naive(expires_at) or expires_at <= now:
        raise DomainError(_("The expiry date must be in the future."), code="expires")
    if expires_at > now + MAX_LIFETIME:
        raise DomainError(_("A token can be valid for at most a year."), code="expires")
    if kind == ApiToken.Kind.SERVICE and not (user.is_active and user.is_staff):
        raise DomainError(_("Only staff can make organisation service tokens."), code="forbidden")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        scope_read="read" in scopes,
        scope_rsvp="rsvp" in scopes,
        scope_manage="manage" in scopes,
        expires_at=expires_at,
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke one's own token (staff: any service token). Transaction: one, row locked.
    Idempotent: revoking again keeps the first time."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    allowed = token is not None and (
        token.user_id == actor.pk
        or (token.kind == ApiToken.Kind.SERVICE and actor.is_active and actor.is_staff)
    )
    if not allowed:
        raise DomainError(_("This token does not exist."), code="not_found")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> None:
    """Record that the token was used, at most once a minute (no write on every request).
    Transaction: one conditional update. Idempotent within the minute."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_GRANULARITY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
