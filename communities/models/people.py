"""People: the custom user model (the e-mail address is the login)."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
    # Recognition is opt-in (ARCHITECTURE.md rule 11): a page of what the person shared, thanks in
    # digests. Off until the person turns it on.
    show_contributions = models.BooleanField(_("show what I shared"), default=False)
    # When the person last uploaded a photo (None: no photo, initials are shown). The bytes live
    # in ProfilePhoto, so loading a user never loads an image.
    photo_updated = models.DateTimeField(_("photo updated"), null=True, blank=True, editable=False)

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


class ProfilePhoto(models.Model):
    """A person's own photo for their avatar (optional; PNG, JPEG or WebP, at most 256 KB)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile_photo",
    )
    content = models.BinaryField()
    content_type = models.CharField(max_length=40)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/png", "image/jpeg", "image/webp"]),
                name="profile_photo_content_type",
            ),
        ]

    def __str__(self) -> str:
        return f"photo of user {self.user_id}"
