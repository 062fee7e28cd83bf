"""Writes of community plans: a coordinator sets the year's goals, themes and time budget."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, User
from learning.plans.models import CommunityPlan, PlanTheme
from learning.plans.selectors import may_edit_plan

MAX_THEMES = 30


@dataclass(frozen=True)
class ThemeLine:
    name: str
    planned_sessions: int = 0


@transaction.atomic
def community_plan_set(
    *,
    actor: User,
    community: Community,
    year: int,
    goals: str,
    time_budget_hours: int,
    themes: list[ThemeLine],
) -> CommunityPlan:
    """Create or replace the community's plan for ``year`` (goals, budget, the themes in the
    order given). Coordinators only. Transaction: one; the plan row is locked (or made) first,
    so two coordinators saving at once end with one plan, the last save's themes.
    Idempotent: the same input twice gives the same plan."""
    if not may_edit_plan(actor, community):
        raise DomainError(_("Only the coordinators can do that."), code="forbidden")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Choose a year between 2000 and 2100."), code="year")
    if time_budget_hours < 0:
        raise DomainError(_("The time budget cannot be negative."), code="budget")
    names = [theme.name.strip() for theme in themes]
    if len({name.casefold() for name in names}) != len(names):
        raise DomainError(_("Each theme once, please."), code="duplicate_theme")
    if len(names) > MAX_THEMES:
        raise DomainError(
            _("At most %(count)s themes.") % {"count": MAX_THEMES}, code="too_many_themes"
        )
    plan, _created = CommunityPlan.objects.select_for_update().get_or_create(
        community=community,
        year=year,
        defaults={"goals": goals, "time_budget_hours": time_budget_hours, "updated_by": actor},
    )
    plan.goals = goals
    plan.time_budget_hours = time_budget_hours
    plan.updated_by = actor
    plan.save(update_fields=["goals", "time_budget_hours", "updated_by", "updated_at"])
    plan.themes.all().delete()
    PlanTheme.objects.bulk_create(
        PlanTheme(plan=plan, name=name, planned_sessions=theme.planned_sessions, position=index)
        for index, (name, theme) in enumerate(zip(names, themes, strict=True))
        if name
    )
    return plan
