"""Signed learning statements for professional registers (SKJ, Registerplein)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Statement(models.Model):
    """What a statement said when it was issued, so its QR code can be checked later. ``lines``
    holds date, hours, form of learning, title and facilitator only: never case content and
    never the other members of an intervision group."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements"
    )
    person_name = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    language = models.CharField(max_length=8)
    lines = models.JSONField(default=list)
    total_hours = models.DecimalField(max_digits=7, decimal_places=2)
    digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="statement_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(total_hours__gte=0), name="statement_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.period_start}–{self.period_end}"
