"""In-app notifications: what was routed to a person (a question on their topic, a wish that
became a session). One row per person and ``key`` (unique), so routing twice notifies once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        QUESTION_ROUTED = "question_routed", _("a question on your topic")
        QUESTION_ANSWERED = "question_answered", _("an answer to your question")
        QUESTION_TO_POST = "question_to_post", _("an anonymous question to post")
        ANSWER_ACCEPTED = "answer_accepted", _("your answer was accepted")
        WISH_POLL = "wish_poll", _("a date poll for a session you wished for")
        WISH_SCHEDULED = "wish_scheduled", _("a session you wished for is scheduled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=120)
    question = models.ForeignKey(
        "knowledge.Question", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    wish = models.ForeignKey(
        "knowledge.Wish", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Put in the weekly digest (a person reads it there when they do not open the app).
    in_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "question_routed",
                        "question_answered",
                        "question_to_post",
                        "answer_accepted",
                        "wish_poll",
                        "wish_scheduled",
                    ]
                ),
                name="notification_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(question__isnull=False) | models.Q(wish__isnull=False),
                name="notification_points_somewhere",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "created_at"], name="notification_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
