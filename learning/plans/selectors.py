"""Reads of community plans: the plan of a year and how the year went against it.

What "happened" counts, for the community's sessions that were held (scheduled, ended) and
started in the plan's year (in the organisation's time zone):
- sessions held, in total and per planned theme (a session counts towards every theme whose
  name occurs in its title, case-insensitive);
- attendance: answers of people who came (attendance taken: attended; not taken: going);
- hours spent: for each session its duration in hours × the people who came, summed
  (person-hours, the unit a time budget agreed with management is in);
- takeaways written on those sessions (any visibility: only the number is shown).
Aggregates only; a constant number of queries whatever the number of sessions or themes.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from communities.models import Community, User
from communities.permissions import active_membership, can_manage_community
from communities.selectors import community_for_viewer
from events.models import Rsvp, Session, Takeaway
from learning.plans.models import CommunityPlan, PlanTheme

HOUR = Decimal("0.1")


def _came() -> Q:
    return Q(rsvps__attended=True) | Q(
        rsvps__attended__isnull=True, rsvps__status=Rsvp.Status.GOING
    )


@dataclass
class ThemeProgress:
    name: str
    planned_sessions: int
    sessions: int = 0
    attendance: int = 0
    hours: Decimal = Decimal(0)


@dataclass
class PlanProgress:
    year: int
    plan: CommunityPlan | None
    sessions: int = 0
    attendance: int = 0
    people: int = 0
    hours: Decimal = Decimal(0)
    takeaways: int = 0
    themes: list[ThemeProgress] = field(default_factory=list)
    other_sessions: int = 0

    @property
    def budget(self) -> int:
        return self.plan.time_budget_hours if self.plan else 0

    @property
    def budget_used_percent(self) -> int | None:
        if not self.budget:
            return None
        return int((self.hours * 100 / self.budget).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def planned_sessions(self) -> int:
        return sum(theme.planned_sessions for theme in self.themes)


def community_for_plan(*, user: User, slug: str) -> Community | None:
    """The community whose plan the viewer may read: a public community's plan is read by
    whoever sees the community, a private one's by its active members only (everyone else
    gets 404, staff included); None means 404."""
    community = community_for_viewer(user=user, slug=slug)
    if community is None:
        return None
    if community.visibility == Community.Visibility.PRIVATE and not (
        active_membership(user, community)
    ):
        return None
    return community


def may_edit_plan(user: User, community: Community) -> bool:
    return not community.archived and can_manage_community(user, community)


def plan_of(*, community: Community, year: int) -> CommunityPlan | None:
    themes = Prefetch("themes", queryset=PlanTheme.objects.order_by("position", "id"))
    return (
        CommunityPlan.objects.filter(community=community, year=year)
        .prefetch_related(themes)
        .first()
    )


def plan_years(community: Community) -> list[int]:
    return list(
        CommunityPlan.objects.filter(community=community)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def _hours(seconds: float, people: int) -> Decimal:
    return Decimal(seconds) / 3600 * people


def plan_progress(*, community: Community, year: int, now: datetime | None = None) -> PlanProgress:
    """The year's plan (or none yet) against the year's held sessions: four queries."""
    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    plan = plan_of(community=community, year=year)
    progress = PlanProgress(year=year, plan=plan)
    themes = [
        ThemeProgress(name=theme.name, planned_sessions=theme.planned_sessions)
        for theme in (plan.themes.all() if plan else [])
    ]
    progress.themes = themes
    held = Session.objects.filter(
        community=community,
        state=Session.State.SCHEDULED,
        end__lte=now,
        start__gte=datetime(year, 1, 1, tzinfo=zone),
        start__lt=datetime(year + 1, 1, 1, tzinfo=zone),
    ).order_by()
    rows = held.annotate(came=Count("rsvps", filter=_came())).values_list(
        "title", "start", "end", "came"
    )
    for title, start, end, came in rows:
        hours = _hours((end - start).total_seconds(), came)
        progress.sessions += 1
        progress.attendance += came
        progress.hours += hours
        folded = title.casefold()
        matched = False
        for theme in themes:
            if theme.name.casefold() in folded:
                matched = True
                theme.sessions += 1
                theme.attendance += came
                theme.hours += hours
        if not matched:
            progress.other_sessions += 1
    progress.hours = progress.hours.quantize(HOUR, ROUND_HALF_UP)
    for theme in themes:
        theme.hours = theme.hours.quantize(HOUR, ROUND_HALF_UP)
    ids = held.values("id")
    progress.people = (
        Rsvp.objects.filter(session__in=ids)
        .filter(Q(attended=True) | Q(attended__isnull=True, status=Rsvp.Status.GOING))
        .values("user_id")
        .distinct()
        .count()
    )
    progress.takeaways = Takeaway.objects.filter(session__in=ids).count()
    return progress
