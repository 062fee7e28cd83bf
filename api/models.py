"""Personal access and service tokens, idempotency keys, webhook endpoints and their ledger.

Tokens are stored as a SHA-256 hash (the token itself is shown once). Webhook deliveries are
rows in the outbox's style: written in the transaction of the change, claimed by a beat sweep
under a lease, retried with backoff, kept 30 days as the delivery log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personal")
        SERVICE = "service", _("organisation service")

    # The person the token acts as; for a service token, the staff member who made it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    scope_read = models.BooleanField(_("read"), default=True)
    scope_rsvp = models.BooleanField(_("RSVP"), default=False)
    scope_manage = models.BooleanField(_("manage"), default=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_read=True) | Q(scope_rsvp=True) | Q(scope_manage=True),
                name="api_token_has_a_scope",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scopes(self) -> list[str]:
        return [
            scope
            for scope, granted in (
                ("read", self.scope_read),
                ("rsvp", self.scope_rsvp),
                ("manage", self.scope_manage),
            )
            if granted
        ]


class IdempotencyKey(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` header, replayed on a
    repeat (unique per person and key, so a concurrent repeat waits for the first)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_idempotency_keys"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_once"),
        ]

    def __str__(self) -> str:
        return self.key


WEBHOOK_EVENTS = (
    "session.created",
    "session.updated",
    "session.cancelled",
    "rsvp.changed",
    "membership.changed",
    "takeaway.published",
    "festival.programme_published",
)


class WebhookEndpoint(models.Model):
    """Where the organisation (``community`` empty, staff) or one community (its coordinators)
    wants to be told about changes."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the ledger row the sweep delivers at least once."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        DELIVERING = "delivering", _("being delivered")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "message_id"], name="webhook_delivery_once_per_endpoint"
            ),
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="delivering") | Q(lease_expires_at__isnull=False),
                name="webhook_delivering_has_lease",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="webhook_due_idx"),
            models.Index(fields=["state", "lease_expires_at"], name="webhook_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class WebhookAttempt(models.Model):
    """One try of a delivery: when, the answer's status, how long it took (the delivery log)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status}"
