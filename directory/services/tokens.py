"""Writes of directory tokens: made by staff (shown once, stored hashed), used, revoked."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import User
from communities.permissions import require_staff
from directory.hashing import token_hash
from directory.models import DirectoryToken

TOKEN_PREFIX = "kpd_"  # noqa: S105 -- a public marker, not a secret
LAST_USED_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewDirectoryToken:
    token: DirectoryToken
    secret: str  # shown once, never stored


@transaction.atomic
def directory_token_create(*, actor: User, name: str) -> NewDirectoryToken:
    """Staff make a token for their directory. The secret is returned once; only its SHA-256
    is stored. Audited. Transaction: one. Not idempotent (each call, a token)."""
    require_staff(actor)
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the token a name of at most 100 characters."), code="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = DirectoryToken.objects.create(
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        created_by=actor,
    )
    audit_record(actor=actor, action="directory.token_create", target=token, detail=token.name)
    return NewDirectoryToken(token=token, secret=secret)


@transaction.atomic
def directory_token_revoke(*, actor: User, token_id: int) -> DirectoryToken:
    """Revoke a directory token (staff). Audited the first time. Transaction: one, row
    locked. Idempotent: revoking again keeps the first time."""
    require_staff(actor)
    token = DirectoryToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise DomainError(_("This token does not exist."), code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="directory.token_revoke", target=token, detail=token.name)
    return token


def directory_token_touch(*, token: DirectoryToken, now: datetime | None = None) -> None:
    """Record that the token was used, at most once a minute. Transaction: one conditional
    update. Idempotent within the minute."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_GRANULARITY:
        return
    DirectoryToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
