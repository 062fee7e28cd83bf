"""Community plans: a community's yearly plan (goals, planned themes, the time budget agreed
with management), kept by its coordinators and read against what happened."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class CommunityPlan(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    goals = models.TextField(_("goals"), blank=True, help_text=_("Markdown"))
    time_budget_hours = models.PositiveIntegerField(
        _("time budget (hours)"),
        default=0,
        help_text=_("The hours agreed with management for the whole community this year."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="community_plan_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="community_plan_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.year}"


class PlanTheme(models.Model):
    """A theme the community plans to work on, with how many sessions it plans for it. A held
    session counts towards a theme when the theme's name occurs in the session's title."""

    plan = models.ForeignKey(CommunityPlan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=100)
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plan_theme_once"),
            models.CheckConstraint(condition=~Q(name=""), name="plan_theme_named"),
        ]

    def __str__(self) -> str:
        return self.name
