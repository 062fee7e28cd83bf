"""Onboarding journeys: a template of steps relative to a start date, and a newcomer's journey
through it with a buddy and a workplace supervisor (werkplekbegeleider)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from events.models import Session

MAX_DAY_OFFSET = 365


class JourneyTemplate(models.Model):
    """What a new colleague in a team or community goes through ("what must a newcomer know?").
    Without a community it is the organisation's (made by staff)."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="journey_templates",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("journey template")
        verbose_name_plural = _("journey templates")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class JourneyStep(models.Model):
    class Kind(models.TextChoices):
        MEET = "meet", _("a person to meet")
        SESSION = "session", _("a session to attend")
        LINK = "link", _("something to read or do in the app")
        CHECKLIST = "checklist", _("a checklist")
        ARTICLE = "article", _("an article to read")

    template = models.ForeignKey(JourneyTemplate, on_delete=models.CASCADE, related_name="steps")
    day_offset = models.PositiveSmallIntegerField(
        _("day after the start"), help_text=_("0 is the first day; 30 is a month in.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    details = models.TextField(
        _("details"), max_length=2000, blank=True, help_text=_("For a checklist: one item a line.")
    )
    url = models.CharField(_("link in the app"), max_length=300, blank=True)
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    article = models.ForeignKey(
        "learning.Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journey_steps",
    )

    class Meta:
        ordering = ["day_offset", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day_offset__lte=MAX_DAY_OFFSET), name="journey_step_within_a_year"
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="journey_step_link_has_a_url"
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="/"),
                name="journey_step_link_stays_in_the_app",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def checklist(self) -> list[str]:
        return [line.strip() for line in self.details.splitlines() if line.strip()]


class Journey(models.Model):
    """One newcomer on one template, with a buddy and a supervisor. Only these three see it."""

    class State(models.TextChoices):
        ACTIVE = "active", _("under way")
        COMPLETED = "completed", _("completed")
        STOPPED = "stopped", _("stopped")

    template = models.ForeignKey(JourneyTemplate, on_delete=models.PROTECT, related_name="journeys")
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journeys"
    )
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journeys_as_buddy",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journeys_as_supervisor",
    )
    start_date = models.DateField(_("start date"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(buddy=F("newcomer")), name="journey_buddy_is_not_the_newcomer"
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=F("newcomer")),
                name="journey_supervisor_is_not_the_newcomer",
            ),
            models.CheckConstraint(
                condition=Q(state="completed", completed_at__isnull=False)
                | (~Q(state="completed") & Q(completed_at__isnull=True)),
                name="journey_completed_has_a_time",
            ),
            models.UniqueConstraint(
                fields=["template", "newcomer"],
                condition=Q(state="active"),
                name="journey_one_active_per_template_and_newcomer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} — {self.newcomer}"


class JourneyStepProgress(models.Model):
    """A step of one journey: when it is due, whether (and by whom) it was done, and whether
    its gentle reminder went out."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(JourneyStep, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "step__day_offset", "step_id"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "step"], name="journey_step_once"),
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_at__isnull=False),
                name="journey_step_done_by_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journey_id}: {self.step_id}"
