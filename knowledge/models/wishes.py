"""Topic wishes ("I'd like a brown bag on X") that become sessions, and date polls for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class Wish(models.Model):
    """Lifecycle: ``open`` → ``polling`` (a coordinator offered dates) → ``planned`` (a session
    was scheduled for it: ``session``) or ``closed``."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        POLLING = "polling", _("finding a date")
        PLANNED = "planned", _("planned")
        CLOSED = "closed", _("closed")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("community"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what you would like to learn"), max_length=2000, blank=True)
    from_question = models.OneToOneField(
        "knowledge.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wish",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    session = models.ForeignKey(
        "events.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    planned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("topic wish")
        verbose_name_plural = _("topic wishes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "polling", "planned", "closed"]),
                name="wish_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="planned") | models.Q(planned_at__isnull=False),
                name="wish_planned_has_a_moment",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"], name="wish_listing")]

    def __str__(self) -> str:
        return self.title


class WishInterest(models.Model):
    """ "I'd come" or "I can tell about this": one of each per person per wish."""

    class Kind(models.TextChoices):
        ATTEND = "attend", _("I'd come")
        VOLUNTEER = "volunteer", _("I can tell about this")

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wish_interests"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest in a wish")
        verbose_name_plural = _("interest in wishes")
        constraints = [
            models.UniqueConstraint(fields=["wish", "user", "kind"], name="wish_interest_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["attend", "volunteer"]), name="wish_interest_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.wish_id}"


class DatePoll(models.Model):
    """A coordinator offers 2–6 candidate dates for a wished session to the interested people."""

    wish = models.OneToOneField(Wish, on_delete=models.CASCADE, related_name="poll")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=32)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location="") | ~models.Q(online_url=""),
                name="poll_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return str(self.wish)


class PollOption(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("candidate date")
        verbose_name_plural = _("candidate dates")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "start"], name="poll_option_once"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="poll_end"),
        ]

    def __str__(self) -> str:
        return self.start.isoformat()


class PollVote(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("if need be")
        NO = "no", _("no")

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="poll_vote_once"),
            models.CheckConstraint(
                condition=models.Q(answer__in=["yes", "maybe", "no"]), name="poll_vote_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.answer}"
