"""The workplace-learning part of ``seed_demo`` (idempotent): this year's plan of the Data &
AI community, with goals, themes and the time budget agreed with management."""

from django.utils import timezone

from communities.models import Community, User
from learning.plans.models import CommunityPlan
from learning.plans.services import ThemeLine, community_plan_set

GOALS = """Wat we dit jaar willen bereiken:

- elke afdeling heeft iemand die een dashboard kan bouwen;
- we delen wat werkte (en wat niet) na elk project in een takeaway;
- het algoritmeregister is bijgewerkt voor de zomer.

Tijd: het MT gaf 10% van de tijd van de kerngroep; we bewaken het proces elk kwartaal."""
THEMES = [ThemeLine("Data", 6), ThemeLine("AI", 4), ThemeLine("Python", 3)]


def seed(people: dict[str, User], communities: dict[str, Community]) -> CommunityPlan:
    community = communities["data-en-ai"]
    year = timezone.localdate().year
    existing = CommunityPlan.objects.filter(community=community, year=year).first()
    if existing is not None:
        return existing
    return community_plan_set(
        actor=people["sanne"],
        community=community,
        year=year,
        goals=GOALS,
        time_budget_hours=120,
        themes=THEMES,
    )
