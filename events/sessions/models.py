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
    # A festival session (no community); its audience is the festival's.
    festival = models.ForeignKey(
        "events.Festival",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    # A staffed time of a leermarkt stand (the festival's stands instead of talks).
    stand = models.ForeignKey(
        "events.Stand",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="times",
        editable=False,
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
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    online_capacity = models.PositiveIntegerField(_("online places"), null=True, blank=True)
    members_only = models.BooleanField(_("members only"), default=False)
    max_guests = models.PositiveSmallIntegerField(_("guests per person"), default=0)
    materials = models.TextField(_("materials"), blank=True, help_text=_("One link per line"))
    # An occurrence of a series: its original start is the calendar's RECURRENCE-ID.
    series = models.ForeignKey(
        "events.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)
    # Edited on its own ("this occurrence"): whole-series edits leave it alone.
    edited_in_series = models.BooleanField(default=False, editable=False)
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
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=models.Q(series__isnull=False),
                name="session_one_occurrence_per_recurrence_id",
            ),
        ]
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["community", "start"]),
            # "not ended yet" (events.sessions.selectors.not_ended_q) reads the end range
            models.Index(fields=["end", "start"], name="session_end_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def is_hybrid(self) -> bool:
        return bool(self.location and self.online_url)

    def materials_links(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


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

    class Mode(models.TextChoices):
        IN_ROOM = "in_room", _("in the room")
        ONLINE = "online", _("online")

    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices, default=Mode.IN_ROOM)
    position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Set when the answer came from "going to all upcoming" of the series (SeriesRsvp), not from
    # the person answering this occurrence: stopping the series only undoes these.
    from_series = models.BooleanField(default=False, editable=False)
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
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=models.Q(status="waitlisted"),
                name="rsvp_waitlist_position_unique",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.session} ({self.status})"
