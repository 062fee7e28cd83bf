"""Sessions (brown bags, workshops, intervision meetings, festival talks) and RSVPs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import validate_timezone


def new_calendar_uid() -> str:
    return f"{uuid.uuid4()}@kennisplein"


class Session(models.Model):
    class Format(models.TextChoices):
        BROWN_BAG = "brown_bag", _("brown-bag lunch")
        KNOWLEDGE_SESSION = "knowledge_session", _("knowledge session")
        WORKSHOP = "workshop", _("workshop")
        HACKATHON = "hackathon", _("hackathon")
        MEETUP = "meetup", _("meetup")
        LIGHTNING = "lightning", _("lightning talks")
        KENNISCAFE = "kenniscafe", _("kenniscafé")
        FESTIVAL_TALK = "festival_talk", _("festival talk")
        INTERVISION = "intervision", _("intervision")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="sessions",
        null=True,
        blank=True,
    )
    format = models.CharField(_("format"), max_length=32, choices=Format.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="hosted_sessions",
        blank=True,
        verbose_name=_("hosts"),
    )
    guest_speaker = models.CharField(_("guest speaker"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    rsvp_deadline = models.DateTimeField(_("RSVP deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SCHEDULED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=280, blank=True)
    uid = models.CharField(max_length=255, unique=True, default=new_calendar_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_sessions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="session_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["scheduled", "cancelled"]), name="session_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["start"]), models.Index(fields=["community", "start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED


class Rsvp(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("going")
        MAYBE = "maybe", _("maybe")
        DECLINED = "declined", _("not going")
        WAITLISTED = "waitlisted", _("on the waiting list")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="rsvp_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(status__in=["going", "maybe", "declined", "waitlisted"]),
                name="rsvp_status_valid",
            ),
            # Only waitlisted answers have a place in the queue, and every one of them has one.
            models.CheckConstraint(
                condition=models.Q(status="waitlisted", position__isnull=False)
                | (~models.Q(status="waitlisted") & models.Q(position__isnull=True)),
                name="rsvp_position_only_when_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.session} ({self.status})"
