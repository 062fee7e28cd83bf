""" "Wie weet wat": people who opted in for a topic, with evidence (never a score or a rank),
and what else the organisation has on it. Everything passes the viewer's visibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES
from communities.selectors import communities_visible_to
from events.models import Session, Takeaway, TakeawayHelpful
from events.sessions.selectors import sessions_visible_to
from events.takeaways.selectors.reading import tags_visible_to, takeaways_visible_to
from knowledge.models import ExpertiseProfile, ExpertiseTopic

PEOPLE_LIMIT = 30
OTHERS_LIMIT = 10


def topic_slug(text: str) -> str:
    return slugify(" ".join((text or "").split()))[:60]


def _on_topic_session(text: str) -> Q:
    return (
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(community__topics__name__iexact=text)
    )


def _on_topic_takeaway(text: str) -> Q:
    return Q(tags__name__iexact=text) | Q(title__icontains=text)


def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _hosted(viewer: User, text: str):
    sessions = sessions_visible_to(viewer).filter(
        hosts=OuterRef("pk"), state=Session.State.SCHEDULED, end__lte=timezone.now()
    )
    if text:
        sessions = sessions.filter(
            pk__in=Session.objects.filter(_on_topic_session(text)).values("pk")
        )
    return _count(sessions.annotate(grp=OuterRef("pk")).values("grp").annotate(total=Count("pk")))


def _helpful(viewer: User, text: str):
    takeaways = (
        takeaways_visible_to(viewer)
        .filter(author=OuterRef(OuterRef("pk")), archived_at__isnull=True)
        .exclude(visibility=Takeaway.Visibility.PRIVATE)
    )
    if text:
        takeaways = takeaways.filter(
            pk__in=Takeaway.objects.filter(_on_topic_takeaway(text)).values("pk")
        )
    marks = (
        TakeawayHelpful.objects.filter(takeaway__in=takeaways.values("pk"))
        .exclude(user_id=OuterRef("pk"))
        .annotate(grp=OuterRef("pk"))
        .values("grp")
        .annotate(total=Count("user_id", distinct=True))
    )
    return _count(marks)


def listed_people(viewer: User) -> QuerySet[User]:
    """Active people who chose to be listed (consent): nobody else ever appears."""
    if not viewer.is_authenticated:
        return User.objects.none()
    return User.objects.filter(is_active=True, expertise_profile__listed=True)


def with_evidence(people: QuerySet[User], viewer: User, text: str = "") -> QuerySet[User]:
    """People with their topics and, where they agreed to show it, the evidence the viewer may
    see: sessions hosted, colleagues who found their takeaways helpful (on ``text`` when given),
    communities they coordinate. A constant number of queries for any number of people."""
    led = Membership.objects.filter(
        state=Membership.State.ACTIVE,
        role__in=LEAD_ROLES,
        community__in=communities_visible_to(viewer).exclude(kind=Community.Kind.INTERVISION_GROUP),
    ).select_related("community")
    return (
        people.select_related("expertise_profile")
        .annotate(hosted_count=_hosted(viewer, text), helpful_count=_helpful(viewer, text))
        .prefetch_related(
            Prefetch("expertise_topics", queryset=ExpertiseTopic.objects.order_by("name")),
            Prefetch("memberships", queryset=led.order_by("community__name"), to_attr="led"),
        )
    )


@dataclass
class ExpertsResult:
    q: str
    people: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    takeaways: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.people or self.communities or self.sessions or self.takeaways)


def experts_for(viewer: User, q: str) -> ExpertsResult:
    """The "wie weet wat" answer for a topic: people listed for it (alphabetical: no ranking),
    communities on it, upcoming sessions and takeaways on it, all as the viewer may see them."""
    text = " ".join((q or "").split())[:60]
    result = ExpertsResult(q=text)
    if not text or not viewer.is_authenticated:
        return result
    slug = topic_slug(text)
    topic_match = Q(expertise_topics__name__icontains=text)
    if slug:
        topic_match |= Q(expertise_topics__slug=slug)
    people = listed_people(viewer).filter(
        pk__in=listed_people(viewer).filter(topic_match).values("pk")
    )
    result.people = list(
        with_evidence(people, viewer, text).order_by("display_name", "email")[:PEOPLE_LIMIT]
    )
    result.communities = list(
        communities_visible_to(viewer)
        .filter(
            pk__in=Community.objects.filter(
                Q(topics__name__icontains=text) | Q(name__icontains=text)
            ).values("pk")
        )
        .order_by("name")[:OTHERS_LIMIT]
    )
    result.sessions = list(
        sessions_visible_to(viewer)
        .filter(state=Session.State.SCHEDULED, start__gt=timezone.now())
        .filter(pk__in=Session.objects.filter(_on_topic_session(text)).values("pk"))
        .select_related("community")
        .order_by("start", "id")[:OTHERS_LIMIT]
    )
    result.takeaways = list(
        takeaways_visible_to(viewer)
        .filter(archived_at__isnull=True, superseded_by__isnull=True)
        .filter(pk__in=Takeaway.objects.filter(_on_topic_takeaway(text)).values("pk"))
        .select_related("session", "author")
        .order_by("-created_at", "-id")[:OTHERS_LIMIT]
    )
    return result


def expert_for_viewer(*, viewer: User, person_id: int) -> User | None:
    """A listed person's profile page; None (404) for anyone who did not opt in."""
    return with_evidence(listed_people(viewer).filter(pk=person_id), viewer).first()


def profile_of(user: User) -> ExpertiseProfile:
    """The person's own choices (an unsaved default row when they never chose)."""
    return ExpertiseProfile.objects.filter(user=user).first() or ExpertiseProfile(user=user)


def topic_suggestions(viewer: User, *, limit: int = 40) -> list[str]:
    """Names to suggest when a person lists their topics: the organisation's community topics
    and the tags most used on takeaways the person may read."""
    names: set[str] = set()
    names.update(
        name
        for name in communities_visible_to(viewer).values_list("topics__name", flat=True)
        if name
    )
    names.update(tag.name for tag in tags_visible_to(viewer, limit=limit))
    return sorted(names, key=str.lower)[:limit]
