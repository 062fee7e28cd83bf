"""The organisation's settings row (one per installation), edited by staff."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel

from communities.models.people import validate_timezone
from communities.sealed import SecretField


def _default_organisation_name() -> str:
    return settings.SITE_NAME


def _default_community_creation() -> str:
    return getattr(settings, "COMMUNITY_CREATION", "everyone")


def _default_language() -> str:
    return settings.LANGUAGE_CODE


def _default_timezone() -> str:
    return settings.TIME_ZONE


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_primary_colour(value: str) -> None:
    """``#rrggbb`` dark enough for white text on it and for links on white (WCAG AA, 4.5:1)."""
    if not value:
        return
    if len(value) != 7 or value[0] != "#" or any(c not in "0123456789abcdef" for c in value[1:]):
        raise ValidationError(
            _("Give the colour as # and six hexadecimal digits, for example #0b5394."),
            code="colour_format",
        )
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of %(ratio).1f:1, "
                "at least 4.5:1 is needed. Choose a darker colour."
            ),
            params={"ratio": ratio},
            code="colour_contrast",
        )


def normalise_domain(value: str) -> str:
    return value.strip().lower().lstrip("@").rstrip(".")


def validate_domain_list(value) -> None:
    """A list of e-mail domains such as ``example.org`` (lowercase, no ``@``)."""

    if not isinstance(value, list):
        raise ValidationError(_("Give a list of domains."), code="domains_type")
    pattern = re.compile(
        rf"^(?:{URLValidator.hostname_re}{URLValidator.domain_re}{URLValidator.tld_re})$",
        re.IGNORECASE,
    )
    wrong = [item for item in value if not isinstance(item, str) or not pattern.match(item)]
    if wrong:
        raise ValidationError(
            _("These are not e-mail domains: %(wrong)s. Write them like example.org."),
            params={"wrong": ", ".join(str(item) for item in wrong)},
            code="domains_invalid",
        )


def validate_tenant_list(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(item, str) or not item or any(c.isspace() for c in item) for item in value
    ):
        raise ValidationError(
            _("Give tenant ids or domains without spaces, one per line."), code="tenants_invalid"
        )


class Organisation(SingletonModel):
    """The organisation's settings: one row (id 1), edited by staff in the app.

    Read it through ``communities.organisation.organisation_settings()``; write it through
    ``communities.services.organisation_update``.
    """

    class CommunityCreation(models.TextChoices):
        EVERYONE = "everyone", _("everyone")
        STAFF = "staff", _("only staff")

    name = models.CharField(_("name"), max_length=120, default=_default_organisation_name)
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_content_type = models.CharField(max_length=40, blank=True, editable=False)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        validators=[validate_primary_colour],
        help_text=_("For example #0b5394; leave empty for Kennisplein's blue."),
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default=_default_language
    )
    default_timezone = models.CharField(
        _("default time zone"),
        max_length=64,
        default=_default_timezone,
        validators=[validate_timezone],
    )
    allowed_signup_domains = models.JSONField(
        _("allowed sign-up domains"),
        default=list,
        blank=True,
        validators=[validate_domain_list],
        help_text=_("E-mail domains that may sign up, e.g. example.org. Empty: any domain."),
    )
    signup_requires_approval = models.BooleanField(
        _("new accounts need approval by staff"), default=False
    )
    sso_only = models.BooleanField(
        _("single sign-on only"),
        default=False,
        help_text=_("Hide password sign-up and login; staff keep a password login as fallback."),
    )
    community_creation = models.CharField(
        _("who may create communities"),
        max_length=16,
        choices=CommunityCreation.choices,
        default=_default_community_creation,
    )
    intervision_retention_days = models.PositiveIntegerField(
        _("keep intervision records (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Attendance and action commitments of intervision sessions."),
    )
    takeaway_review_months = models.PositiveIntegerField(
        _("review takeaways after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    outbox_retention_days = models.PositiveIntegerField(
        _("keep sent messages (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    # Single sign-on (OpenID Connect). OIDC_* environment variables take precedence.
    sso_name = models.CharField(
        _("single sign-on button label"), max_length=80, blank=True, help_text=_("e.g. Microsoft")
    )
    sso_issuer = models.URLField(
        _("OpenID Connect issuer"),
        blank=True,
        help_text=_(
            "e.g. https://login.microsoftonline.com/<tenant>/v2.0, https://accounts.google.com "
            "or https://keycloak.example.org/realms/<realm>"
        ),
    )
    sso_client_id = models.CharField(_("client id"), max_length=200, blank=True)
    # Stored sealed (AES-GCM under the master key); the form takes at most 500 characters.
    sso_client_secret = SecretField(
        _("client secret"), max_length=1000, blank=True, purpose="oidc client secret"
    )
    sso_allowed_tenants = models.JSONField(
        _("allowed tenants"),
        default=list,
        blank=True,
        validators=[validate_tenant_list],
        help_text=_(
            "Microsoft Entra tenant ids (tid claim) or Google Workspace domains (hd claim) whose "
            "people may sign in. Empty: no tenant check."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="organisation_single_row"),
            models.CheckConstraint(
                condition=models.Q(community_creation__in=["everyone", "staff"]),
                name="organisation_community_creation_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(primary_colour="") | models.Q(primary_colour__startswith="#"),
                name="organisation_primary_colour_hex",
            ),
            models.CheckConstraint(
                condition=models.Q(intervision_retention_days__gte=1)
                & models.Q(takeaway_review_months__gte=1)
                & models.Q(outbox_retention_days__gte=1),
                name="organisation_retention_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name
