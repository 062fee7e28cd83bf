"""Reminder preferences and coordinators' messages.

A person without a ``ReminderPreference`` row gets the organisation's defaults
(settings ``REMINDER_DEFAULTS``); the row is made the first time they change anything on
/me/reminders/. The reminders themselves are outbox rows (ARCHITECTURE.md rule 5), planned a few
minutes ahead by a beat task with dedupe keys ``reminder:<session>:<user>:<kind>``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long before a session a reminder may come, in minutes. Whole days keep the wall-clock
# time ("1 day before" a 09:00 session is 09:00 the day before, across DST).
BEFORE_CHOICES = [
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("1 hour before")),
    (120, _("2 hours before")),
    (180, _("3 hours before")),
    (1440, _("1 day before")),
    (2880, _("2 days before")),
]
BEFORE_VALUES = [value for value, _label in BEFORE_CHOICES]


class ReminderPreference(models.Model):
    class NewSessions(models.TextChoices):
        IMMEDIATE = "immediate", _("right away, one mail per session")
        DIGEST = "digest", _("in my weekly digest")
        OFF = "off", _("not at all")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    first_before = models.PositiveIntegerField(
        _("first reminder"), null=True, blank=True, choices=BEFORE_CHOICES
    )
    second_before = models.PositiveIntegerField(
        _("second reminder"), null=True, blank=True, choices=BEFORE_CHOICES
    )
    rsvp_nudge = models.BooleanField(_("remind me to answer before the RSVP deadline"))
    new_sessions = models.CharField(
        _("new sessions in my communities"), max_length=16, choices=NewSessions.choices
    )
    announcements = models.BooleanField(_("messages from coordinators"))
    takeaway_prompts = models.BooleanField(_("ask me afterwards what I learned"))
    digest = models.BooleanField(_("weekly digest"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_before__isnull=True)
                | models.Q(first_before__in=BEFORE_VALUES),
                name="reminder_first_before_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(second_before__isnull=True)
                | models.Q(second_before__in=BEFORE_VALUES),
                name="reminder_second_before_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(new_sessions__in=["immediate", "digest", "off"]),
                name="reminder_new_sessions_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"


class Announcement(models.Model):
    """A coordinator's message to a community's members or to the people going to a session."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message to members")
        verbose_name_plural = _("messages to members")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly one audience: a community or a session.
            models.CheckConstraint(
                condition=models.Q(community__isnull=False, session__isnull=True)
                | models.Q(community__isnull=True, session__isnull=False),
                name="announcement_one_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class DigestWeek(models.Model):
    """The weekly digest has been planned for everyone in this time zone this ISO week.

    People with nothing new that week get no mail and no row of their own; this one row per
    zone and week keeps the next minutes' plans from looking at them again."""

    timezone = models.CharField(max_length=64)
    week = models.CharField(max_length=10)  # ISO week, e.g. 2026-W48
    planned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["timezone", "week"], name="digest_week_once_per_zone")
        ]

    def __str__(self) -> str:
        return f"digest {self.week} {self.timezone}"
