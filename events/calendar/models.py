"""What each person's calendar was last told about each calendar object.

One row per person × UID × instance: the method and SEQUENCE of the last invitation mail sent
about it, and the version of the session or series that mail showed. Invitations are reconciled
against these rows, so every trigger (an answer, an edit, a cancellation, a promotion) sends only
what changed, SEQUENCE only grows per person and UID, and replies can be checked against the last
SEQUENCE sent (two-way RSVP).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDelivery(models.Model):
    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("invitation or update")
        CANCEL = "CANCEL", _("cancellation")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_deliveries"
    )
    uid = models.CharField(max_length=255)
    # "" for the whole object (a session, or a series master); else the instance's original
    # start (RECURRENCE-ID) in UTC, e.g. 20261104T110000Z.
    recurrence_key = models.CharField(max_length=20, blank=True, default="")
    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    series = models.ForeignKey(
        "events.Series", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    sequence = models.PositiveIntegerField()
    object_sequence = models.PositiveIntegerField()
    outbox_message = models.ForeignKey(
        "communities.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar invitation sent")
        verbose_name_plural = _("calendar invitations sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "uid", "recurrence_key"], name="calendar_delivery_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=["REQUEST", "CANCEL"]),
                name="calendar_delivery_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(session__isnull=False) | models.Q(series__isnull=False),
                name="calendar_delivery_has_object",
            ),
        ]
        indexes = [models.Index(fields=["uid"], name="calendar_delivery_uid_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.uid} {self.recurrence_key} #{self.sequence}"


class CalendarReply(models.Model):
    """One Accept/Decline/Tentative that came back from a calendar client, applied or
    not, and why. Never the mail itself: only what was decided and a fingerprint of the mail."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("applied")
        UNCHANGED = "unchanged", _("already so")
        STALE = "stale", _("older than the last invitation")
        REFUSED = "refused", _("refused")
        REJECTED = "rejected", _("rejected")
        COUNTER = "counter", _("counter-proposal answered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_replies",
    )
    session = models.ForeignKey(
        "events.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    series = models.ForeignKey(
        "events.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uid = models.CharField(max_length=255, blank=True)
    recurrence_key = models.CharField(max_length=20, blank=True, default="")
    partstat = models.CharField(max_length=32, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    client = models.CharField(max_length=120, blank=True)
    mail_fingerprint = models.CharField(max_length=32, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar reply")
        verbose_name_plural = _("calendar replies")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["applied", "unchanged", "stale", "refused", "rejected", "counter"]
                ),
                name="calendar_reply_outcome_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "session"], name="calendar_reply_user_session")]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.partstat} {self.uid}"
