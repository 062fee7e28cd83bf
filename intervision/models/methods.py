"""Intervision methods and their phases (the catalogue, and the copies groups adjust), with the
choices that describe them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def dutch_is_active() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("nl")


class PresenterState(models.TextChoices):
    SPEAKS = "speaks", _("speaks")
    ANSWERS_BRIEFLY = "answers_briefly", _("answers briefly")
    SILENT_LISTENING = "silent_listening_notes", _("listens and takes notes, does not react")
    TURNED_AWAY = "turned_away", _("back to the group (online: camera and microphone off)")
    ABSENT = "absent", _("leaves the room")
    PITCHING = "pitching", _("everyone pitches a case")
    SORTING = "sorting_questions", _("sorts or rates the questions")


class GroupMode(models.TextChoices):
    LISTEN_ONLY = "listen_only", _("listen only")
    CLARIFYING = "clarifying_questions_only", _("clarifying questions only: no advice")
    OPEN_QUESTIONS = "open_questions_only", _("open questions only")
    SILENT_WRITING = "silent_writing", _("silent writing")
    WITHOUT_PRESENTER = "discussion_without_presenter", _("discussion about the presenter")
    ROUND_ROBIN_ADVICE = "round_robin_advice", _("advice round, one contribution per turn")
    FREE = "free_discussion", _("free discussion")
    REFLECTION = "reflection_round", _("reflection round")
    VOTE = "vote", _("vote")


class TurnTaking(models.TextChoices):
    FREE = "free", _("free")
    ROUND_ROBIN = "round_robin", _("in turn")
    QUEUE = "queue", _("raised hands")


class Produces(models.TextChoices):
    NONE = "none", _("nothing written")
    QUESTION = "question", _("questions")
    ASSOCIATION = "association", _("associations")
    POSITION = "written_position", _("written positions")
    ADVICE = "advice", _("advice")
    KEY_QUESTION = "key_question", _("key question")
    REFORMULATED = "reformulated_question", _("reformulated question")
    ACTION = "action", _("actions")
    TAKEAWAY = "takeaway", _("takeaways")


class SelectionMode(models.TextChoices):
    VOTE = "vote", _("vote")
    URGENCY = "urgency", _("urgency")
    ROTATION = "rotation", _("whose turn it is")
    FACILITATOR = "facilitator", _("the facilitator chooses")


class Method(models.Model):
    """An intervision method: an ordered list of phases. Catalogue rows have no group; a group's
    own copy (``group`` set) can be adjusted."""

    code = models.SlugField(max_length=60)
    group = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intervision_methods",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    family = models.CharField(max_length=32)
    name_nl = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    summary_nl = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    min_group = models.PositiveSmallIntegerField(default=4)
    max_group = models.PositiveSmallIntegerField(default=8)
    requires_trusted_group = models.BooleanField(default=False)
    case_requirements_nl = models.CharField(max_length=280, blank=True)
    case_requirements_en = models.CharField(max_length=280, blank=True)
    verified = models.BooleanField(default=True)
    sources = models.TextField(blank=True)

    class Meta:
        verbose_name = _("intervision method")
        verbose_name_plural = _("intervision methods")
        ordering = ["name_nl", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(group__isnull=True),
                name="method_catalogue_code",
            ),
            models.UniqueConstraint(
                fields=["group", "code"],
                condition=models.Q(group__isnull=False),
                name="method_group_code",
            ),
            models.CheckConstraint(
                condition=models.Q(min_group__lte=models.F("max_group")),
                name="method_group_size_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_nl if dutch_is_active() else self.name_en

    @property
    def summary(self) -> str:
        return self.summary_nl if dutch_is_active() else self.summary_en

    @property
    def case_requirements(self) -> str:
        return self.case_requirements_nl if dutch_is_active() else self.case_requirements_en


class Phase(models.Model):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    name_nl = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    presenter_state = models.CharField(max_length=32, choices=PresenterState.choices)
    group_mode = models.CharField(max_length=32, choices=GroupMode.choices)
    turn_taking = models.CharField(
        max_length=16, choices=TurnTaking.choices, default=TurnTaking.FREE
    )
    quota_per_person = models.PositiveSmallIntegerField(null=True, blank=True)
    produces = models.CharField(max_length=32, choices=Produces.choices, default=Produces.NONE)
    optional = models.BooleanField(default=False)
    rules_nl = models.TextField(blank=True)
    rules_en = models.TextField(blank=True)
    prompts_nl = models.JSONField(default=list, blank=True)
    prompts_en = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["method", "order"]
        constraints = [
            models.UniqueConstraint(fields=["method", "order"], name="phase_order_unique"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=240), name="phase_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def name(self) -> str:
        return self.name_nl if dutch_is_active() else self.name_en

    @property
    def rules(self) -> str:
        return self.rules_nl if dutch_is_active() else self.rules_en

    @property
    def prompts(self) -> list[str]:
        return self.prompts_nl if dutch_is_active() else self.prompts_en
