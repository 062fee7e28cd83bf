"""The organisation's settings as the rest of the code reads them.

Staff edit one row (``communities.models.Organisation``, at ``/organisation/``); everything else
reads ``organisation_settings()``, a frozen snapshot. Without a row yet, the defaults come from
Django settings (``SITE_NAME``, ``COMMUNITY_CREATION``, ``LANGUAGE_CODE``, ``TIME_ZONE``).

Within a request the snapshot is read once (``OrganisationMiddleware`` opens a per-request memo),
and so it is within one Celery task (config/celery.py) or a batch of mail
(``organisation_settings_remembered``); elsewhere (commands, the shell) every call reads the row,
so a change is seen at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings

from communities.models import Organisation

_memo: ContextVar[dict | None] = ContextVar("organisation_settings_memo", default=None)


@dataclass(frozen=True)
class SsoConfig:
    """The one OpenID Connect provider of this deployment."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    allowed_tenants: tuple[str, ...]
    source: str  # "environment" | "organisation"


@dataclass(frozen=True)
class OrganisationSettings:
    name: str
    community_creation: str  # "everyone" | "staff"
    primary_colour: str = ""
    has_logo: bool = False
    version: str = "0"  # changes whenever the row changes: cache-busts logo and theme URLs
    default_language: str = "nl"
    default_timezone: str = "Europe/Amsterdam"
    allowed_signup_domains: tuple[str, ...] = ()
    signup_requires_approval: bool = False
    sso_only: bool = False
    intervision_retention_days: int = 365
    takeaway_review_months: int = 12
    outbox_retention_days: int = 90
    sso: SsoConfig | None = None

    def allows_signup_domain(self, email: str) -> bool:
        if not self.allowed_signup_domains:
            return True
        domain = email.rsplit("@", 1)[-1].strip().lower()
        return domain in self.allowed_signup_domains


def sso_from_environment() -> SsoConfig | None:
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID):
        return None
    return SsoConfig(
        name=settings.OIDC_PROVIDER_NAME or "",
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        allowed_tenants=tuple(settings.OIDC_ALLOWED_TENANTS),
        source="environment",
    )


def _snapshot(row) -> OrganisationSettings:
    sso = sso_from_environment()
    if sso is None and row.sso_issuer and row.sso_client_id:
        sso = SsoConfig(
            name=row.sso_name,
            issuer=row.sso_issuer,
            client_id=row.sso_client_id,
            client_secret=row.sso_client_secret,
            allowed_tenants=tuple(row.sso_allowed_tenants or ()),
            source="organisation",
        )
    return OrganisationSettings(
        name=row.name,
        community_creation=row.community_creation,
        primary_colour=row.primary_colour,
        has_logo=bool(row.logo_content_type),
        version=str(int(row.updated_at.timestamp())) if row.updated_at else "0",
        default_language=row.default_language,
        default_timezone=row.default_timezone,
        allowed_signup_domains=tuple(row.allowed_signup_domains or ()),
        signup_requires_approval=row.signup_requires_approval,
        sso_only=row.sso_only,
        intervision_retention_days=row.intervision_retention_days,
        takeaway_review_months=row.takeaway_review_months,
        outbox_retention_days=row.outbox_retention_days,
        sso=sso,
    )


def organisation_row():
    """The settings row, or an unsaved one with the defaults (reading never writes)."""

    row = Organisation.objects.defer("logo").filter(pk=1).first()
    return row if row is not None else Organisation(pk=1)


def organisation_settings() -> OrganisationSettings:
    memo = _memo.get()
    if memo is not None and "settings" in memo:
        return memo["settings"]
    value = _snapshot(organisation_row())
    if memo is not None:
        memo["settings"] = value
    return value


def forget_organisation_settings() -> None:
    """Drop the per-request memo (after the row changed in this request)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


@contextmanager
def organisation_settings_remembered() -> Iterator[None]:
    """Read the settings at most once inside the block (a task, a batch of mail); inside a
    request or another such block it changes nothing (that memo is used)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


class OrganisationMiddleware:
    """Read the organisation settings at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def organisation_logo_row():
    """The settings row with only what the logo needs (no snapshot: the bytes are not cached)."""
    return Organisation.objects.filter(pk=1).only("logo", "logo_content_type", "updated_at").first()
