"""People, communities (of practice, guilds, intervision groups) and who belongs to them."""

import re
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    team = models.CharField(_("team"), max_length=150, blank=True)

    class CalendarDelivery(models.TextChoices):
        INVITATIONS = "invitations", _("by invitation (meeting requests in my mail)")
        FEED = "feed", _("through my calendar subscription only")
        BOTH = "both", _("both")

    calendar_delivery = models.CharField(
        _("how sessions reach my calendar"),
        max_length=16,
        choices=CalendarDelivery.choices,
        default=CalendarDelivery.INVITATIONS,
    )
    # SHA-256 of the personal calendar feed token; the token itself is never stored.
    feed_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Sign-up with staff approval (an organisation setting): verified but not yet let in.
    awaiting_approval = models.BooleanField(_("awaiting approval"), default=False)
    # Leavers: staff deactivate a person (is_active False); when that happened.
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    # Recognition is opt-in (DESIGN.md rule 11): a page of what the person shared, thanks in
    # digests. Off until the person turns it on.
    show_contributions = models.BooleanField(_("show what I shared"), default=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["feed_token_hash"],
                condition=~models.Q(feed_token_hash=""),
                name="user_feed_token_hash_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(calendar_delivery__in=["invitations", "feed", "both"]),
                name="user_calendar_delivery_valid",
            ),
            # Only a deactivated person carries a deactivation time.
            models.CheckConstraint(
                condition=models.Q(is_active=False) | models.Q(deactivated_at__isnull=True),
                name="user_deactivated_at_only_when_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def wants_invitations(self) -> bool:
        return self.calendar_delivery != self.CalendarDelivery.FEED

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Topic(models.Model):
    """A subject communities work on (Python, toegankelijkheid, security, ...)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY_OF_PRACTICE = "community_of_practice", _("community of practice")
        GUILD = "guild", _("guild")
        INTERVISION_GROUP = "intervision_group", _("intervision group")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public in the organisation")
        PRIVATE = "private", _("private: only members see it")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("open: anyone may join")
        APPROVAL = "approval", _("on approval by a coordinator")
        INVITE = "invite", _("by invitation only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=280, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    cadence = models.CharField(_("cadence"), max_length=120, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("join policy"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="communities", verbose_name=_("topics")
    )
    archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_communities",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="community_name_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["community_of_practice", "guild", "intervision_group"]
                ),
                name="community_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "private"]),
                name="community_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(join_policy__in=["open", "approval", "invite"]),
                name="community_join_policy_valid",
            ),
            # Intervision groups are always private and invite only (domain research §1).
            models.CheckConstraint(
                condition=~models.Q(kind="intervision_group")
                | models.Q(visibility="private", join_policy="invite"),
                name="community_intervision_private_invite",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_intervision(self) -> bool:
        return self.kind == self.Kind.INTERVISION_GROUP


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")
        FACILITATOR = "facilitator", _("facilitator")
        AMBASSADOR = "ambassador", _("ambassador")

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        PENDING = "pending", _("waiting for approval")
        INVITED = "invited", _("invited")
        LEFT = "left", _("left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # A request to join (approval policy) carries a short motivation for the coordinators.
    motivation = models.CharField(_("motivation"), max_length=500, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "coordinator", "facilitator", "ambassador"]),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["active", "pending", "invited", "left"]),
                name="membership_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def leads(self) -> bool:
        """Coordinators lead a community; in an intervision group a facilitator counts as one."""
        return self.role in (self.Role.COORDINATOR, self.Role.FACILITATOR)


class MembershipEvent(models.Model):
    """History of a membership: one row per change, so re-joining keeps the past."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("joined")
        REQUESTED = "requested", _("asked to join")
        APPROVED = "approved", _("request approved")
        DECLINED = "declined", _("request declined")
        WITHDRAWN = "withdrawn", _("request withdrawn")
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted the invitation")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")
        ROLE_CHANGED = "role_changed", _("role changed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_actions",
    )
    role = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.kind}"


class Invitation(models.Model):
    """An invitation by e-mail to an invite-only (or any) community.

    The token is sent in the mail and stored only as its SHA-256. The invitee may not have an
    account yet: the link leads through sign-up and lands on the invitation.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("revoked")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "community",
                Lower("email"),
                condition=models.Q(state="pending"),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"


# --- The organisation ---------------------------------------------------------------------------


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
    from django.core.validators import URLValidator

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
    sso_client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
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
