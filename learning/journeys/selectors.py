"""Reads of onboarding journeys. A journey is seen by its three people only; coordinators see
aggregates of their templates (nothing per person, nothing under five journeys)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from communities.models import Community, Membership, User
from events.models import Session
from events.sessions.selectors import sessions_upcoming, sessions_visible_to
from learning.journeys.models import Journey, JourneyStep, JourneyStepProgress, JourneyTemplate
from learning.journeys.permissions import can_build_journeys_for

SMALLEST_GROUP = 5


def templates_managed_by(user: User) -> QuerySet[JourneyTemplate]:
    led = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=("coordinator", "facilitator")
    ).values("community_id")
    scope = Q(community_id__in=led, community__archived=False)
    if user.is_staff:
        scope |= Q(community__isnull=True)
        scope |= Q(community__visibility=Community.Visibility.PUBLIC, community__archived=False)
    return (
        JourneyTemplate.objects.filter(scope)
        .select_related("community")
        .annotate(step_count=Count("steps", distinct=True))
        .order_by("title", "id")
    )


def template_for_manager(*, user: User, template_id: int) -> JourneyTemplate | None:
    template = JourneyTemplate.objects.filter(pk=template_id).select_related("community").first()
    if template is None or not can_build_journeys_for(user, template.community):
        return None
    return template


def steps_of(template: JourneyTemplate) -> QuerySet[JourneyStep]:
    return template.steps.select_related("session", "person", "article").order_by(
        "day_offset", "id"
    )


def journeys_of(user: User) -> QuerySet[Journey]:
    """The journeys the person is newcomer, buddy or supervisor on, with their progress."""
    return (
        Journey.objects.filter(Q(newcomer=user) | Q(buddy=user) | Q(supervisor=user))
        .select_related("template", "newcomer", "buddy", "supervisor")
        .annotate(
            steps_total=Count("progress", distinct=True),
            steps_done=Count("progress", filter=Q(progress__done_at__isnull=False), distinct=True),
        )
        .order_by("-start_date", "id")
    )


def journey_for_party(*, user: User, journey_id: int) -> Journey | None:
    return (
        journeys_of(user)
        .filter(pk=journey_id)
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=JourneyStepProgress.objects.select_related(
                    "step__session", "step__person", "step__article", "done_by"
                ),
            )
        )
        .first()
    )


@dataclass(frozen=True)
class TemplateFigures:
    started: int
    active: int
    completed: int
    shown: bool  # False under five journeys: too few to show without pointing at people
    average_done_percent: int | None


def template_figures(template: JourneyTemplate) -> TemplateFigures:
    """Aggregates for the template's coordinators: how many started, are under way, completed
    and how far they got on average. Nothing per person."""
    counts = Journey.objects.filter(template=template).aggregate(
        started=Count("id"),
        active=Count("id", filter=Q(state=Journey.State.ACTIVE)),
        completed=Count("id", filter=Q(state=Journey.State.COMPLETED)),
    )
    shown = counts["started"] >= SMALLEST_GROUP
    average = None
    if shown:
        progress = JourneyStepProgress.objects.filter(journey__template=template).aggregate(
            total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False))
        )
        average = round(100 * progress["done"] / progress["total"]) if progress["total"] else 0
    return TemplateFigures(
        started=counts["started"] if shown else 0,
        active=counts["active"] if shown else 0,
        completed=counts["completed"] if shown else 0,
        shown=shown,
        average_done_percent=average,
    )


def people_for_journey(template: JourneyTemplate) -> QuerySet[User]:
    """Whom a journey may be started for and who may be buddy or supervisor: the community's
    active members (everyone active for an organisation template)."""
    people = User.objects.filter(is_active=True)
    if template.community_id:
        people = people.filter(
            memberships__community_id=template.community_id,
            memberships__state=Membership.State.ACTIVE,
        )
    return people.order_by("display_name", "email").distinct()


def sessions_for_steps(user: User) -> QuerySet[Session]:
    """Upcoming sessions a step may point at: those the builder can see."""
    return sessions_upcoming(user)


def session_for_step(*, user: User, session_id: int) -> Session | None:
    return sessions_visible_to(user).filter(pk=session_id).first()
