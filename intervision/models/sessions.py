"""One intervision session: roles, the rota's swaps, cases and votes, the live run (phases,
items, attendance), evaluations, commitments and the presenter's private copy.

Case details and live items are erased when the session is closed (``intervision_session_close``).
Their text is stored sealed under a key of their own (``ContentKey``), which closing deletes too."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.sealed import SealedTextField
from intervision.models.keys import ContentKey
from intervision.models.methods import Method, Phase, dutch_is_active


class IntervisionSession(models.Model):
    """The intervision side of one ``events.Session``: method, roles and the live state.

    The server owns the state: ``current`` is the running phase's order (None before the start),
    ``version`` goes up on every change, and a change that carries an older version is refused.
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSING = "closing", _("closing")
        CLOSED = "closed", _("closed")

    session = models.OneToOneField(
        "events.Session", on_delete=models.CASCADE, related_name="intervision"
    )
    group = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="intervision_sessions"
    )
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="+")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    current = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    theme = models.CharField(_("theme (anonymised)"), max_length=120, blank=True)
    # The presenter chose to keep the advice given to them (private copy, opt-in).
    presenter_keeps_copy = models.BooleanField(default=False)
    # The key the live items are sealed under (made with the first item, deleted at closing).
    content_key = models.OneToOneField(
        ContentKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("intervision session")
        verbose_name_plural = _("intervision sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["scheduled", "in_progress", "closing", "closed"]),
                name="isession_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False),
                name="isession_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.session_id}"

    @property
    def is_live(self) -> bool:
        return self.state in (self.State.IN_PROGRESS, self.State.CLOSING)


class PhaseRun(models.Model):
    """One phase as it ran: planned minutes (copied from the method), start, end, extensions."""

    isession = models.ForeignKey(IntervisionSession, on_delete=models.CASCADE, related_name="runs")
    order = models.PositiveSmallIntegerField()
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, related_name="+")
    name_nl = models.CharField(max_length=160)
    name_en = models.CharField(max_length=160)
    planned_minutes = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    extended_sec = models.PositiveIntegerField(default=0)
    paused_sec = models.PositiveIntegerField(default=0)
    skipped = models.BooleanField(default=False)
    # Round-robin turn tracker: ids of the members the facilitator ticked in this phase.
    turns = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["isession", "order"]
        constraints = [
            models.UniqueConstraint(fields=["isession", "order"], name="phaserun_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.isession_id}:{self.order}"

    @property
    def name(self) -> str:
        return self.name_nl if dutch_is_active() else self.name_en


class Attendance(models.Model):
    isession = models.ForeignKey(
        IntervisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_attendance"
    )
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["isession", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.isession_id}"


class SwapRequest(models.Model):
    """The proposed presenter asks another member to present in their place."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    isession = models.ForeignKey(IntervisionSession, on_delete=models.CASCADE, related_name="swaps")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    asked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["isession"],
                condition=models.Q(state="pending"),
                name="swap_one_pending_per_session",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("asked")), name="swap_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"swap {self.pk} ({self.state})"


class CaseManager(models.Manager):
    def get_queryset(self):
        # Reading a case's text needs its key: fetched with the case, never one query per case.
        return super().get_queryset().select_related("content_key")


class Case(models.Model):
    """A case a member brings in ("inbreng"). Confidential: only the group sees it; the selected
    one is erased when its session is closed, unselected ones carry over. Title, question and
    pitch are sealed under the case's own key (``content_key``), deleted with the case."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SELECTED = "selected", _("selected")
        DEFERRED = "deferred", _("carried over")
        WITHDRAWN = "withdrawn", _("withdrawn")

    group = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="intervision_cases"
    )
    isession = models.ForeignKey(
        IntervisionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_cases"
    )
    content_key = models.OneToOneField(ContentKey, on_delete=models.PROTECT, related_name="+")
    title = SealedTextField(_("title"), key_path="content_key")
    question = SealedTextField(_("your question, in the first person"), key_path="content_key")
    pitch = SealedTextField(_("pitch (at most three sentences)"), key_path="content_key")
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=3
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    priority_bump = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = CaseManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urgency__gte=1, urgency__lte=5), name="case_urgency_range"
            ),
            models.UniqueConstraint(
                fields=["isession"],
                condition=models.Q(status="selected"),
                name="case_one_selected_per_session",
            ),
        ]

    def __str__(self) -> str:
        # Never the title or the question: this string reaches admin lists and logs.
        return f"case {self.pk}"


class CaseVote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_votes"
    )
    isession = models.ForeignKey(IntervisionSession, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["isession", "voter"], name="one_vote_per_session")
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class LiveItemManager(models.Manager):
    def get_queryset(self):
        # The text opens with the session's key: fetched with the item.
        return super().get_queryset().select_related("isession__content_key")


class LiveItem(models.Model):
    """Scratch material written during the session: erased when it is closed."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        ADVICE = "advice", _("advice")
        NOTE = "note", _("note")
        TAKEAWAY = "takeaway", _("takeaway")

    class Keep(models.TextChoices):
        NO = "", _("do not keep")
        GROUP = "community", _("keep, for the group")
        ORGANISATION = "organisation", _("keep, for the organisation")

    isession = models.ForeignKey(IntervisionSession, on_delete=models.CASCADE, related_name="items")
    run = models.ForeignKey(PhaseRun, on_delete=models.SET_NULL, null=True, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_items"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Sealed under the session's key (``isession.content_key``).
    text = SealedTextField(key_path="isession.content_key")
    keep = models.CharField(max_length=16, choices=Keep.choices, default=Keep.NO, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LiveItemManager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"item {self.pk}"


class Evaluation(models.Model):
    isession = models.ForeignKey(
        IntervisionSession, on_delete=models.CASCADE, related_name="evaluations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_evaluations"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tip = models.CharField(max_length=280, blank=True)
    top = models.CharField(max_length=280, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["isession", "user"], name="evaluation_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="evaluation_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation {self.pk}"


class ActionCommitment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    group = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="intervision_actions"
    )
    isession = models.ForeignKey(
        IntervisionSession, on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_actions"
    )
    text = models.CharField(_("what"), max_length=280)
    due_date = models.DateField(_("by when"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    followed_up_in = models.ForeignKey(
        IntervisionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_up_actions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "done", "dropped"]),
                name="action_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"action {self.pk}"


class PresenterCopy(models.Model):
    """The advice given to the presenter, kept (opt-in) for them alone until ``delete_after``."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_copies"
    )
    group_name = models.CharField(max_length=120)
    session_date = models.DateField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateTimeField()

    def __str__(self) -> str:
        return f"private copy {self.pk}"
