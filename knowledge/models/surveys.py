"""Knowledge-gap surveys: a coordinator asks their community "what should we learn next?"
(rated topics and free text). Results are shown as aggregates only (the minimum-group rule of
insights), and a topic many want can become a wish in one step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community

SCORE_MIN = 1
SCORE_MAX = 5


class Survey(models.Model):
    """Lifecycle: ``open`` (members answer) → ``closed`` (no more answers; results stay)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("community")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("question"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge-gap survey")
        verbose_name_plural = _("knowledge-gap surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "closed"]), name="survey_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False),
                name="survey_closed_has_a_moment",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"], name="survey_listing")]

    def __str__(self) -> str:
        return self.title


class SurveyTopic(models.Model):
    """One topic the members rate; ``wish`` once a coordinator turned it into a wish."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("topic"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    wish = models.OneToOneField(
        "knowledge.Wish", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survey topic")
        verbose_name_plural = _("survey topics")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_topic_once"),
            models.CheckConstraint(condition=~models.Q(name=""), name="survey_topic_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyResponse(models.Model):
    """One member's answer to a survey (answering again replaces it)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    comment = models.TextField(
        _("anything else you would like to learn"), max_length=1000, blank=True
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.survey_id}"


class SurveyRating(models.Model):
    """How much a member wants to learn about one topic, from 1 (not) to 5 (very much)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="ratings")
    topic = models.ForeignKey(SurveyTopic, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("survey rating")
        verbose_name_plural = _("survey ratings")
        constraints = [
            models.UniqueConstraint(fields=["response", "topic"], name="survey_rating_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="survey_rating_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.score}"
