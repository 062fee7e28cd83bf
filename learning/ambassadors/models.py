"""Ambassadors (kennisambassadeurs) welcome newcomers: one welcome per newcomer per community."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class Welcome(models.Model):
    """An ambassador (or coordinator) welcomed someone who joined the community: the message went
    through the outbox (``welcome:<community>:<newcomer>``). One per newcomer and community."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="welcomes")
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="welcomes_received"
    )
    welcomed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="welcomes_sent",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("welcome")
        verbose_name_plural = _("welcomes")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "newcomer"], name="welcome_once")
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} @ {self.community}"
