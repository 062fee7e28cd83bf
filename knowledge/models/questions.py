"""Questions and answers (vraag & antwoord): asked in a community or organisation-wide, routed
to the colleagues who opted in with a matching topic and to the community's coordinators.

On PostgreSQL the question table has a ``search_document`` tsvector (Dutch + English + simple,
the title weighted A, body, tags and the answers' text B) kept by a trigger, with a GIN index
(migration 0002), searched like takeaways.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class Question(models.Model):
    """Lifecycle: ``pending`` (asked anonymously: only the community's coordinators see it,
    without the asker's name, until one of them posts it) → ``open`` → an accepted answer
    (``accepted_answer``) or ``closed``. A private community's questions stay inside it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for a coordinator to post it")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("community"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    anonymous = models.BooleanField(_("ask anonymously"), default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_posted",
    )
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), max_length=4000, blank=True)
    tags = models.ManyToManyField(
        "events.TakeawayTag", blank=True, related_name="questions", verbose_name=_("tags")
    )
    # The tags' names and the answers' text, kept by the services: searched with the question.
    tags_text = models.CharField(max_length=500, blank=True, editable=False)
    answers_text = models.TextField(blank=True, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    accepted_answer = models.ForeignKey(
        "knowledge.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    first_answer_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "open", "closed"]),
                name="question_state_valid",
            ),
            # Anonymous questions go to a community's coordinators, who post them.
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(community__isnull=False),
                name="question_anonymous_in_a_community",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="pending") | models.Q(anonymous=True),
                name="question_pending_only_when_anonymous",
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending") | models.Q(published_at__isnull=False),
                name="question_published_unless_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "state", "created_at"], name="question_listing"),
            models.Index(fields=["state", "created_at"], name="question_state_created"),
            # The list and search order: newest first.
            models.Index(fields=["-created_at", "-id"], name="question_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.answer_count > 0


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    body = models.TextField(_("your answer"), max_length=4000)
    created_at = models.DateTimeField()
    # Kept as a takeaway with one click: the takeaway links back to the question through this.
    takeaway = models.OneToOneField(
        "events.Takeaway",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kept_from_answer",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(body=""), name="answer_body")]
        indexes = [models.Index(fields=["question", "created_at"], name="answer_question")]

    def __str__(self) -> str:
        return self.body[:60]


class AnswerHelpful(models.Model):
    """ "This helped me": one mark per person per answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_helpful_marks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("“this helped me” mark")
        verbose_name_plural = _("“this helped me” marks")
        constraints = [
            models.UniqueConstraint(fields=["answer", "user"], name="answer_helpful_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.answer_id}"
