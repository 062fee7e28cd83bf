"""Meelopen: a person or team offers days to shadow them; each day is a Session (capacity,
waiting list, invitations, reminders and takeaways come with it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Session


class ShadowingOffer(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.CASCADE,
        related_name="shadowing_offers",
    )
    team = models.CharField(_("team"), max_length=150)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what you will see"), max_length=2000)
    location = models.CharField(_("where"), max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "title", "id"]

    def __str__(self) -> str:
        return self.title


class ShadowingSlot(models.Model):
    """One day (or part of one) of an offer. The booking is the session's RSVP."""

    offer = models.ForeignKey(ShadowingOffer, on_delete=models.CASCADE, related_name="slots")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="shadowing")

    class Meta:
        ordering = ["session__start", "id"]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.session_id}"
