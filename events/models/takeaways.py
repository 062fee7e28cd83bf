"""What grows around takeaways: tags, "helpful" marks and the review log."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TakeawayTag(models.Model):
    """A free tag on takeaways ("pytest", "toegankelijkheid"); made when first used."""

    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("takeaway tag")
        verbose_name_plural = _("takeaway tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="takeaway_tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class TakeawayHelpful(models.Model):
    """Someone found a takeaway helpful: one mark per person per takeaway."""

    takeaway = models.ForeignKey(
        "events.Takeaway", on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [
            models.UniqueConstraint(fields=["takeaway", "user"], name="helpful_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.takeaway}"


class TakeawayReview(models.Model):
    """One review of a takeaway by its owner (an edit alone is not one): the freshness log."""

    class Outcome(models.TextChoices):
        RECONFIRMED = "reconfirmed", _("reconfirmed")
        UPDATED = "updated", _("updated")
        SUPERSEDED = "superseded", _("superseded")
        ARCHIVED = "archived", _("archived")

    takeaway = models.ForeignKey(
        "events.Takeaway", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takeaway_reviews",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("takeaway review")
        verbose_name_plural = _("takeaway reviews")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["reconfirmed", "updated", "superseded", "archived"]
                ),
                name="takeaway_review_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.takeaway} ({self.outcome})"
