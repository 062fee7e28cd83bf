"""Writes of the organisation's settings (staff only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import (
    Organisation,
    User,
    normalise_domain,
)
from communities.organisation import forget_organisation_settings, sso_from_environment
from communities.permissions import require_staff

# What staff may change at /organisation/ (the form and ``organisation_update`` both use it).
ORGANISATION_FIELDS = (
    "name",
    "primary_colour",
    "default_language",
    "default_timezone",
    "allowed_signup_domains",
    "signup_requires_approval",
    "sso_only",
    "community_creation",
    "intervision_retention_days",
    "takeaway_review_months",
    "outbox_retention_days",
    "sso_name",
    "sso_issuer",
    "sso_client_id",
    "sso_client_secret",
    "sso_allowed_tenants",
)
LOGO_CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
MAX_LOGO_BYTES = 512 * 1024


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    changes: dict,
    logo: tuple[bytes, str] | None = None,
    remove_logo: bool = False,
):
    """Change the organisation settings (staff only). ``changes`` maps field names to values;
    ``logo`` is (image bytes, content type). Refuses with a DomainError and changes nothing when a
    value is invalid, or when SSO-only is asked without a single sign-on provider.
    Transaction: one, with the settings row locked. Idempotent for the same input."""

    require_staff(actor)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting."), code="unknown_field")
    Organisation.objects.get_or_create(pk=1)
    row = Organisation.objects.select_for_update().get(pk=1)
    for name, value in changes.items():
        if name == "allowed_signup_domains":
            value = sorted({normalise_domain(domain) for domain in value if domain.strip()})
        elif name == "sso_allowed_tenants":
            value = sorted({tenant.strip() for tenant in value if tenant.strip()})
        elif name == "primary_colour":
            value = value.strip().lower()
        elif name in ("name", "sso_name", "sso_issuer", "sso_client_id"):
            value = value.strip()
        setattr(row, name, value)
    if remove_logo:
        row.logo, row.logo_content_type = None, ""
    if logo is not None:
        data, content_type = logo
        if len(data) > MAX_LOGO_BYTES or content_type not in LOGO_CONTENT_TYPES.values():
            raise DomainError(
                _("The logo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
                code="logo",
            )
        row.logo, row.logo_content_type = data, content_type
    try:
        row.full_clean()
    except ValidationError as error:
        raise DomainError(_validation_message(error), code="invalid") from error
    if not row.name:
        raise DomainError(_("The organisation needs a name."), code="name")
    sso_configured = sso_from_environment() is not None or bool(
        row.sso_issuer and row.sso_client_id
    )
    if row.sso_only and not sso_configured:
        raise DomainError(
            _(
                "Single sign-on only needs a single sign-on provider: fill in its issuer and client id first."
            ),
            code="sso_only_without_sso",
        )
    row.save()
    forget_organisation_settings()
    return row
