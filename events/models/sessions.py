"""Sessions (brown bags, workshops, intervision meetings, festival talks) and RSVPs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import validate_timezone


def new_calendar_uid() -> str:
    return f"{uuid.uuid4()}@kennisplein"


class Series(models.Model):
    """A recurring session: an RRULE in the session's timezone with its own calendar UID.

    Occurrences are materialised as Session rows up to ``materialised_until`` (a rolling horizon
    kept filled by a periodic task). Splitting ("this and following") ends this series (its
    RRULE gets an UNTIL) and starts a new one with a new UID.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="series"
    )
    rrule = models.CharField(max_length=255)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    first_start = models.DateTimeField()
    duration = models.DurationField()
    uid = models.CharField(max_length=255, unique=True, default=new_calendar_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    materialised_until = models.DateTimeField(null=True, blank=True)
    ended = models.BooleanField(default=False)
    # What new occurrences copy.
    format = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    members_only = models.BooleanField(default=False)
    max_guests = models.PositiveSmallIntegerField(default=0)
    online_capacity = models.PositiveIntegerField(null=True, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_series", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_series",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


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
    # Issue 10: a festival session (no community); its audience is the festival's.
    festival = models.ForeignKey(
        "events.Festival",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
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
        Series,
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
        indexes = [models.Index(fields=["start"]), models.Index(fields=["community", "start"])]

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


class SeriesRsvp(models.Model):
    """A person's standing answer for a whole series ("going to all upcoming").

    Occurrences materialised later get this answer too (through ``rsvp_set``, so capacity and
    the waitlist apply). Answering one occurrence differently is an exception that leaves this
    row alone; "stop going to the series" deletes it.
    """

    class Status(models.TextChoices):
        GOING = "going", _("going")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="standing_rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_rsvps"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.GOING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("series RSVP")
        verbose_name_plural = _("series RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="series_rsvp_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(status__in=["going"]), name="series_rsvp_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.series} ({self.status})"


class Takeaway(models.Model):
    """One insight someone took from a session: atomic (one insight), owned, reviewed on time.

    Lifecycle (domain research §3.3): published → review due (``review_due`` reached) →
    reconfirmed or updated (a review moves ``review_due`` on), superseded (``superseded_by``) or
    archived. An edit alone is not a review. Visibility: ``private`` (the author and owner),
    ``community`` (active members of the session's community; in an intervision group: the
    group) or ``organisation`` (everyone, but never beyond a private community: a private
    community's or intervision group's takeaways stay inside it). Coordinators may hide a
    takeaway from their community (``hidden_at``, with a reason the author sees).

    On PostgreSQL the table has a generated ``search_document`` column (Dutch + English
    stemming, GIN index; migration 0005) that Django does not map: see
    ``events.selectors.takeaways``.
    """

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("only me")
        COMMUNITY = "community", _("the community")
        ORGANISATION = "organisation", _("everyone in the organisation")

    class Kind(models.TextChoices):
        LEARNING = "learning", _("a learning or insight")
        TIP = "tip", _("a technical tip or how-to")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="takeaways")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takeaways",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_takeaways",
        help_text=_("Keeps it fresh: reviews it when it is due."),
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("what you learned"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEARNING)
    tags = models.ManyToManyField(
        "events.TakeawayTag", blank=True, related_name="takeaways", verbose_name=_("tags")
    )
    # The tags' names, space separated: searched with the text (kept by the services).
    tags_text = models.CharField(max_length=500, blank=True, editable=False)
    who_benefits = models.CharField(_("who else would benefit"), max_length=200, blank=True)
    action = models.CharField(_("what I will do differently"), max_length=280, blank=True)
    action_due = models.DateField(_("by when"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    visibility = models.CharField(
        _("who may read it"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.COMMUNITY,
    )
    review_due = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_takeaways",
    )
    # The review date the owner was last nudged about: one nudge per due date.
    review_nudged_for = models.DateField(null=True, blank=True, editable=False)
    review_nudged_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hidden_takeaways",
    )
    hidden_reason = models.CharField(_("reason"), max_length=280, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("takeaway")
        verbose_name_plural = _("takeaways")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["private", "community", "organisation"]),
                name="takeaway_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["learning", "tip"]), name="takeaway_kind_valid"
            ),
            # Hidden takeaways carry a reason (the author sees it).
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="takeaway_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True)
                | ~models.Q(superseded_by=models.F("pk")),
                name="takeaway_not_superseded_by_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["review_due"], name="takeaway_review_due"),
            models.Index(fields=["session", "created_at"], name="takeaway_session_created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        """Not archived and not superseded: counts for freshness and is nudged."""
        return self.archived_at is None and self.superseded_by_id is None

    def review_is_due(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.is_active and self.review_due is not None and self.review_due <= today

    @property
    def status(self) -> str:
        if self.archived_at is not None:
            return "archived"
        if self.superseded_by_id is not None:
            return "superseded"
        if self.review_is_due():
            return "review_due"
        return "published"
