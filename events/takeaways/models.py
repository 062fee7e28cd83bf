"""Takeaways and what grows around them: tags, "helpful" marks and the review log."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.sessions.models import Session
from events.takeaways.rules import freshness_status


class Takeaway(models.Model):
    """One insight someone took from a session (or kept from a good answer): atomic (one insight), owned, reviewed on time.

    Lifecycle: published → review due (``review_due`` reached) →
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

    class Origin(models.TextChoices):
        SESSION = "session", _("a session")
        ANSWER = "answer", _("an answer to a question")

    # What it was taken from: a session (``session``), or a good answer to a question kept with
    # one click (no session; ``community`` is the question's, none when organisation-wide; the
    # link back to the question lives with the answer, in the layer above).
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SESSION)
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="takeaways"
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The community of a takeaway without a session."),
    )
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
            # A takeaway hangs on a session, or on an answer (then its community, if any, is
            # its own; a session's takeaway takes the session's community).
            models.CheckConstraint(
                condition=models.Q(origin="session", session__isnull=False, community__isnull=True)
                | models.Q(origin="answer", session__isnull=True),
                name="takeaway_hangs_on_a_session_or_an_answer",
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
    def home_community(self):
        """The community whose rules the takeaway follows: its session's, or its own."""
        if self.session_id is not None:
            return self.session.community
        return self.community

    @property
    def is_active(self) -> bool:
        """Not archived and not superseded: counts for freshness and is nudged."""
        return self.archived_at is None and self.superseded_by_id is None

    def review_is_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.review_due is not None and self.review_due <= today

    @property
    def status(self) -> str:
        return freshness_status(
            archived=self.archived_at is not None,
            superseded=self.superseded_by_id is not None,
            review_due=self.review_due,
            today=timezone.localdate(),
        )


class TakeawayTag(models.Model):
    """A free tag on takeaways ("pytest", "toegankelijkheid"); made when first used."""

    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("takeaway tag")
        verbose_name_plural = _("takeaway tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="takeaway_tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class TakeawayHelpful(models.Model):
    """Someone found a takeaway helpful: one mark per person per takeaway."""

    takeaway = models.ForeignKey(
        "events.Takeaway", on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [
            models.UniqueConstraint(fields=["takeaway", "user"], name="helpful_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.takeaway}"


class TakeawayReview(models.Model):
    """One review of a takeaway by its owner (an edit alone is not one): the freshness log."""

    class Outcome(models.TextChoices):
        RECONFIRMED = "reconfirmed", _("reconfirmed")
        UPDATED = "updated", _("updated")
        SUPERSEDED = "superseded", _("superseded")
        ARCHIVED = "archived", _("archived")

    takeaway = models.ForeignKey(
        "events.Takeaway", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takeaway_reviews",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("takeaway review")
        verbose_name_plural = _("takeaway reviews")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["reconfirmed", "updated", "superseded", "archived"]
                ),
                name="takeaway_review_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.takeaway} ({self.outcome})"
