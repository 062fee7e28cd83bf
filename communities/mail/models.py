"""The outbox: one row per message the app sends (ARCHITECTURE.md rule 5).

A row is rendered when it is enqueued (subject, text, HTML in the recipient's language), so a
re-send is byte-identical and carries the same Message-ID. A beat sweep claims due rows under a
lease and a send task delivers them; the dedupe key makes enqueueing the same message twice
impossible.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    dedupe_key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_email = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # An iTIP invitation: the calendar bytes, sent inline as text/calendar and as
    # invite.ics; the method (REQUEST, CANCEL) is the MIME part's method= parameter.
    calendar = models.TextField(blank=True)
    calendar_method = models.CharField(max_length=16, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # When a failure of this message (not of the server) was first seen: a temporary refusal
    # for this recipient fails the row only once it has lasted OUTBOX_TEMPORARY_WINDOW.
    first_error_at = models.DateTimeField(null=True, blank=True)
    # Why a row was skipped (an untranslated msgid; screens translate it).
    skip_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sending", "sent", "failed", "skipped"]),
                name="outbox_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state="sent", sent_at__isnull=False)
                | (~models.Q(state="sent") & models.Q(sent_at__isnull=True)),
                name="outbox_sent_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sending")
                | models.Q(lease_token__isnull=False, lease_expires_at__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="outbox_due_idx"),
            models.Index(fields=["state", "lease_expires_at"], name="outbox_lease_idx"),
            models.Index(fields=["lease_token"], name="outbox_lease_token_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.state})"

    @staticmethod
    def new_message_id() -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "kennisplein"
        return f"<{uuid.uuid4().hex}@{domain}>"


class MailCircuit(models.Model):
    """The state of the mail server as the outbox sees it: one row (pk 1).

    ``closed``: the server answers; the sweep sends everything due. ``open``: a connection
    error, timeout or 421 stopped a batch; the sweep claims nothing until ``probe_at``, then
    one message as a probe (``probe_lease``); the first message the server accepts closes it.
    Server trouble never counts against a message.
    """

    class State(models.TextChoices):
        CLOSED = "closed", _("the mail server answers")
        OPEN = "open", _("the mail server is not answering")

    SINGLETON = 1

    state = models.CharField(max_length=8, choices=State.choices, default=State.CLOSED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    probe_at = models.DateTimeField(null=True, blank=True)
    probe_lease = models.UUIDField(null=True, blank=True)
    probes = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mail server circuit")
        verbose_name_plural = _("mail server circuit")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["closed", "open"]), name="mail_circuit_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state="closed")
                | models.Q(opened_at__isnull=False, probe_at__isnull=False),
                name="mail_circuit_open_has_times",
            ),
            models.CheckConstraint(condition=models.Q(pk=1), name="mail_circuit_single_row"),
        ]

    def __str__(self) -> str:
        return self.state
