"""Knowledge festivals: a call for proposals, reviews, a rooms × slots programme.

Festival sessions are ``Session`` rows with ``festival`` set and no community; a proposal placed
on the grid gets one. The personal agenda is the person's RSVPs to those sessions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import validate_timezone


class Festival(models.Model):
    class Audience(models.TextChoices):
        ORGANISATION = "organisation", _("everyone in the organisation")
        COMMUNITIES = "communities", _("members of chosen communities")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    cfp_opens_at = models.DateTimeField(_("call for proposals opens"))
    cfp_closes_at = models.DateTimeField(_("call for proposals closes"))
    audience = models.CharField(
        _("who may attend"), max_length=16, choices=Audience.choices, default=Audience.ORGANISATION
    )
    communities = models.ManyToManyField(
        "communities.Community", blank=True, related_name="festivals", verbose_name=_("communities")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_festivals"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviewed_festivals"
    )
    is_leermarkt = models.BooleanField(
        _("learning market"),
        default=False,
        help_text=_(
            "A leermarkt: stands instead of talks; visitors pick stands and collect their "
            "material afterwards."
        ),
    )
    # The last published programme version (0: not published yet).
    published_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="festival_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(cfp_closes_at__gt=models.F("cfp_opens_at")),
                name="festival_cfp_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=["organisation", "communities"]),
                name="festival_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_version > 0


class Track(models.Model):
    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f6feb",
        help_text=_("A colour such as #1f6feb"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "name"], name="track_name_unique"),
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="track_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    online_url = models.URLField(_("online meeting link"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "name"], name="room_name_unique"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="room_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """One cell of the grid: a room from start to end. Breaks and plenaries span every room
    (``room`` empty) and take no proposal."""

    class Kind(models.TextChoices):
        SESSION = "session", _("session")
        BREAK = "break", _("break")
        PLENARY = "plenary", _("plenary")

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="slots")
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SESSION)
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["start", "room__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["session", "break", "plenary"]),
                name="slot_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="session") | models.Q(room__isnull=False),
                name="slot_session_has_room",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room or self.label} {self.start:%Y-%m-%d %H:%M}"


SESSION_TYPE_MINUTES = {
    # (shortest, longest) in minutes: the form offers these, the default is the first.
    "lightning": (5, 10),
    "talk": (25, 30),
    "workshop": (60, 90),
    "demo": (15, 30),
    "panel": (45, 60),
}


class Proposal(models.Model):
    class Type(models.TextChoices):
        LIGHTNING = "lightning", _("lightning talk")
        TALK = "talk", _("talk")
        WORKSHOP = "workshop", _("workshop")
        DEMO = "demo", _("demo")
        PANEL = "panel", _("panel")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("beginner")
        INTERMEDIATE = "intermediate", _("intermediate")
        ADVANCED = "advanced", _("advanced")

    class Language(models.TextChoices):
        NL = "nl", _("Dutch")
        EN = "en", _("English")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("in review")
        ACCEPTED = "accepted", _("accepted")
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="proposals")
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="festival_proposals",
        verbose_name=_("speaker"),
    )
    co_speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        through="ProposalCoSpeaker",
        related_name="co_festival_proposals",
        verbose_name=_("co-speakers"),
    )
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=3000)
    session_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("track"),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    expected_audience = models.PositiveIntegerField(_("expected audience"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    slot = models.OneToOneField(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    session = models.OneToOneField(
        "events.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=[
                        "submitted",
                        "accepted",
                        "confirmed",
                        "waitlisted",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="proposal_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(duration__gte=5) & models.Q(duration__lte=240),
                name="proposal_duration_range",
            ),
            # Only accepted (or confirmed) proposals are on the grid.
            models.CheckConstraint(
                condition=models.Q(slot__isnull=True)
                | models.Q(state__in=["accepted", "confirmed"]),
                name="proposal_placed_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_placeable(self) -> bool:
        return self.state in (self.State.ACCEPTED, self.State.CONFIRMED)


class ProposalCoSpeaker(models.Model):
    """A co-speaker of a proposal, who confirms they take part (``confirmed_at``)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_speaker_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_speaking"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-speaker")
        verbose_name_plural = _("co-speakers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="co_speaker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class ProposalReview(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_reviews"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="proposal_review_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="proposal_review_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.proposal}: {self.score}"


class ProgrammeVersion(models.Model):
    """A published programme: what was where (``snapshot``) and what changed since the last."""

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(default=list)
    changes = models.JSONField(default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_programmes",
    )
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["festival", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["festival", "number"], name="programme_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.festival} v{self.number}"


class SessionFeedback(models.Model):
    """Short feedback on a festival session (1–5 and a remark), read only by its speakers."""

    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_feedback"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    remark = models.TextField(_("remark"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="feedback_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="feedback_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}: {self.score}"


class SpeakerProfile(models.Model):
    """What a festival speaker's page shows besides their sessions; edited by the speaker."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="speaker_profile"
    )
    bio = models.TextField(_("about me"), max_length=2000, blank=True, help_text=_("Markdown"))
    photo = models.BinaryField(_("photo"), null=True, blank=True, editable=False)
    photo_content_type = models.CharField(max_length=40, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("speaker profile")
        verbose_name_plural = _("speaker profiles")

    def __str__(self) -> str:
        return str(self.user)


class Stand(models.Model):
    """A stand at a leermarkt: hosts, a place, and the times it is staffed. Each staffed time
    is a festival ``Session`` (``session.stand``), so picking it is an RSVP like any festival
    pick and lands in the personal agenda and calendar feed."""

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="stands")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    place = models.CharField(_("place"), max_length=100)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hosted_stands", verbose_name=_("hosts")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        ordering = ["place", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "title"], name="stand_title_once"),
            models.CheckConstraint(condition=~models.Q(title=""), name="stand_titled"),
        ]

    def __str__(self) -> str:
        return self.title


class StandMaterial(models.Model):
    """What a visitor takes home from a stand, sorted as the leermarkt sorts it: TOOLS
    (immediately usable), INSPIRATIE (usable once fitted to your context), THEORIE (to read
    further). A link, or a takeaway of the app."""

    class Category(models.TextChoices):
        TOOLS = "tools", _("Tools: usable right away")
        INSPIRATION = "inspiration", _("Inspiration: fit it to your own context")
        THEORY = "theory", _("Theory or model: for reading further")

    stand = models.ForeignKey(Stand, on_delete=models.CASCADE, related_name="materials")
    category = models.CharField(_("kind"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    takeaway = models.ForeignKey(
        "events.Takeaway",
        verbose_name=_("takeaway"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=["tools", "inspiration", "theory"]),
                name="stand_material_category_valid",
            ),
            # A link or a takeaway, exactly one.
            models.CheckConstraint(
                condition=(~models.Q(url="") & models.Q(takeaway__isnull=True))
                | (models.Q(url="") & models.Q(takeaway__isnull=False)),
                name="stand_material_link_or_takeaway",
            ),
        ]

    def __str__(self) -> str:
        return self.title
