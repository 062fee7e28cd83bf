"""Reads of takeaways; every one takes the viewing user (rule 3).

Who may read a takeaway (``takeaways_visible_to``):

- its author and its owner, always (also when private, hidden or archived);
- ``organisation``: everyone signed in, if the session has no community or a public one;
- ``community``: the active members of the session's community (everyone, for a session
  without a community, where "the community" is the organisation);
- a private community's (or intervision group's) takeaways never leave it: ``organisation``
  there means its active members, like ``community``;
- an archived community's takeaways are hidden like the community;
- a takeaway a coordinator hid is seen only by its author/owner and the community's leads.

Search: on PostgreSQL a ``search_document`` tsvector (Dutch, English and unstemmed lexemes; GIN
index, migration 0005) matched with prefix queries in all three configurations, ranked with
``ts_rank``; on SQLite every word must occur (case-insensitive) in the text. Fresh takeaways rank
above those due for review, which rank above archived and superseded ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES
from events.models import Session, Takeaway, TakeawayHelpful, TakeawayTag

WORD = re.compile(r"\w+", re.UNICODE)
SEARCH_COUNT_CAP = 1_000
MAX_WORDS = 8
TSQUERY = (
    "(to_tsquery('dutch'::regconfig, %s) || to_tsquery('english'::regconfig, %s)"
    " || to_tsquery('simple'::regconfig, %s))"
)


def _member_of(user: User):
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )


def _leads_of(user: User):
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).values("community_id")


def readable_q(user: User) -> Q:
    """The condition "this viewer may read the takeaway" (see the module docstring)."""
    own = Q(author=user) | Q(owner=user)
    no_community = Q(session__community__isnull=True)
    live = no_community | Q(session__community__archived=False)
    shared = ~Q(visibility=Takeaway.Visibility.PRIVATE) & (
        no_community
        | Q(
            visibility=Takeaway.Visibility.ORGANISATION,
            session__community__visibility=Community.Visibility.PUBLIC,
        )
        | Q(session__community_id__in=_member_of(user))
    )
    not_hidden = Q(hidden_at__isnull=True) | Q(session__community_id__in=_leads_of(user))
    return own | (live & shared & not_hidden)


def takeaways_visible_to(user: User) -> QuerySet[Takeaway]:
    """Every takeaway the viewer may read (nothing for anonymous visitors)."""
    if not user.is_authenticated:
        return Takeaway.objects.none()
    return Takeaway.objects.filter(readable_q(user))


def helpful_count_subquery():
    marks = (
        TakeawayHelpful.objects.filter(takeaway=OuterRef("pk"))
        .order_by()
        .values("takeaway")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(marks, output_field=IntegerField()), 0)


def freshness_case(today: date):
    """0 fresh, 1 due for review, 2 archived or superseded (for ordering and badges)."""
    return Case(
        When(Q(archived_at__isnull=False) | Q(superseded_by__isnull=False), then=Value(2)),
        When(review_due__lte=today, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_listing_data(
    queryset: QuerySet[Takeaway],
    user: User,
    *,
    today: date | None = None,
    helpful: bool = False,
):
    """What a takeaway card shows: session, community, author, tags, freshness. With
    ``helpful`` the helpful marks are annotated in the query (to order by them); otherwise
    lists call ``attach_helpful`` on the page they show, so the correlated counts run for 20
    rows, not for every match before the sort."""
    today = today or timezone.localdate()
    queryset = queryset.select_related(
        "session", "session__community", "author", "owner"
    ).prefetch_related(Prefetch("tags", queryset=TakeawayTag.objects.order_by("name")))
    if "freshness" not in queryset.query.annotations:
        queryset = queryset.annotate(freshness=freshness_case(today))
    if helpful:
        queryset = queryset.annotate(
            helpful_count=helpful_count_subquery(),
            marked_helpful=Exists(
                TakeawayHelpful.objects.filter(takeaway=OuterRef("pk"), user=user)
            ),
        )
    return queryset


def attach_helpful(takeaways, user: User) -> list[Takeaway]:
    """Set ``helpful_count`` and ``marked_helpful`` on a page of takeaways: one query."""
    takeaways = list(takeaways)
    if not takeaways:
        return takeaways
    figures = {
        row["takeaway_id"]: row
        for row in TakeawayHelpful.objects.filter(takeaway__in=[t.pk for t in takeaways])
        .order_by()
        .values("takeaway_id")
        .annotate(total=Count("id"), mine=Count("id", filter=Q(user_id=user.pk)))
    }
    for takeaway in takeaways:
        row = figures.get(takeaway.pk, {})
        takeaway.helpful_count = row.get("total", 0)
        takeaway.marked_helpful = bool(row.get("mine", 0))
    return takeaways


def search_words(text: str) -> list[str]:
    """The words of a query (letters and digits only: nothing reaches tsquery syntax)."""
    return [word.lower() for word in WORD.findall(text or "")][:MAX_WORDS]


def _prefix_query(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


@dataclass(frozen=True)
class TakeawayFilters:
    q: str = ""
    community: str = ""  # slug
    tag: str = ""  # slug
    format: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_archived: bool = False


def takeaway_search(
    user: User, filters: TakeawayFilters, *, today: date | None = None
) -> QuerySet[Takeaway]:
    """Takeaways the viewer may read matching ``filters``: fresh first, best match first, with
    what a card shows (exports, tests; the search page uses ``search_page``)."""
    today = today or timezone.localdate()
    return with_listing_data(_matching(user, filters, today=today), user, today=today)


def search_page(user: User, filters: TakeawayFilters, *, number, per_page: int = 20) -> Page:
    """One page of ``takeaway_search``, in two steps: the ordered ids of the page (a narrow
    query: no joins for author, owner or tags while sorting every match), then those takeaways
    with what a card shows and their helpful marks. Five queries."""
    today = timezone.localdate()
    ids = _matching(user, filters, today=today).values_list("pk", flat=True)
    page = TakeawayPaginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    found = {
        takeaway.pk: takeaway
        for takeaway in with_listing_data(Takeaway.objects.filter(pk__in=wanted), user, today=today)
    }
    page.object_list = attach_helpful([found[pk] for pk in wanted if pk in found], user)
    return page


def _matching(user: User, filters: TakeawayFilters, *, today: date) -> QuerySet[Takeaway]:
    queryset = takeaways_visible_to(user)
    if filters.community:
        queryset = queryset.filter(session__community__slug=filters.community)
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    if filters.format:
        queryset = queryset.filter(session__format=filters.format)
    if filters.date_from:
        queryset = queryset.filter(session__start__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(session__start__date__lte=filters.date_to)
    if not filters.include_archived:
        queryset = queryset.filter(archived_at__isnull=True, superseded_by__isnull=True)
    queryset = queryset.annotate(freshness=freshness_case(today))
    words = search_words(filters.q)
    if not words:
        return queryset.order_by("freshness", "-created_at", "-id")
    if connection.vendor == "postgresql":
        query = _prefix_query(words)
        params = [query, query, query]
        queryset = queryset.annotate(
            # Constant SQL text; the words are bound parameters (and only \w characters).
            matches=RawSQL(  # noqa: S611
                f'"events_takeaway"."search_document" @@ {TSQUERY}',
                params,
                output_field=BooleanField(),
            ),
            rank=RawSQL(  # noqa: S611
                f'ts_rank("events_takeaway"."search_document", {TSQUERY})',
                params,
                output_field=FloatField(),
            ),
        ).filter(matches=True)
    else:
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(body__icontains=word)
                | Q(tags_text__icontains=word)
                | Q(who_benefits__icontains=word)
            )
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    return queryset.order_by("freshness", F("rank").desc(), "-created_at", "-id")


class TakeawayPaginator(Paginator):
    """Counts at most ``SEARCH_COUNT_CAP`` + 1 matches: an exact count of 100,000 takeaways
    costs a scan of them all, and nobody pages past the 50th page of a search. ``capped`` says
    the real number is larger (the page shows "more than 1,000")."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP


def takeaway_for_viewer(*, user: User, takeaway_id: int) -> Takeaway | None:
    """One takeaway the viewer may read, with what its page shows; None means 404."""
    return (
        with_listing_data(takeaways_visible_to(user), user, helpful=True)
        .select_related("superseded_by", "hidden_by")
        .filter(pk=takeaway_id)
        .first()
    )


def takeaway_for_owner(*, user: User, takeaway_id: int) -> Takeaway | None:
    """A takeaway the viewer may edit and review: their own (as author or owner)."""
    if not user.is_authenticated:
        return None
    return (
        Takeaway.objects.filter(Q(author=user) | Q(owner=user), pk=takeaway_id)
        .select_related("session", "session__community")
        .prefetch_related("tags")
        .first()
    )


def takeaway_for_lead(*, user: User, takeaway_id: int) -> Takeaway | None:
    """A shared takeaway in a community the viewer leads (to hide or show it again)."""
    if not user.is_authenticated:
        return None
    return (
        Takeaway.objects.filter(pk=takeaway_id, session__community_id__in=_leads_of(user))
        .exclude(visibility=Takeaway.Visibility.PRIVATE)
        .select_related("session", "session__community")
        .first()
    )


def session_takeaways(*, user: User, session: Session) -> list[Takeaway]:
    """The takeaways of one session the viewer may read (the session page)."""
    return attach_helpful(
        with_listing_data(takeaways_visible_to(user).filter(session=session), user).order_by(
            "-created_at", "-id"
        ),
        user,
    )


def community_takeaways(
    *, user: User, community: Community, limit: int = 5, with_recent: bool = True
) -> tuple[list[Takeaway], list[Takeaway]]:
    """A community's recent and most helpful active takeaways the viewer may read."""
    base = with_listing_data(
        takeaways_visible_to(user).filter(
            session__community=community, archived_at__isnull=True, superseded_by__isnull=True
        ),
        user,
        helpful=True,
    )
    recent = list(base.order_by("-created_at", "-id")[:limit]) if with_recent else []
    helpful = list(
        base.filter(helpful_count__gt=0).order_by("-helpful_count", "-created_at", "-id")[:limit]
    )
    return recent, helpful


def takeaway_count_subquery(user: User):
    """How many takeaways of each session (OuterRef pk) the viewer may read."""
    shared = (
        takeaways_visible_to(user)
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(shared, output_field=IntegerField()), 0)


def tags_visible_to(user: User, *, limit: int = 30) -> list[TakeawayTag]:
    """The tags most used on takeaways the viewer may read."""
    visible = takeaways_visible_to(user).filter(
        archived_at__isnull=True, superseded_by__isnull=True
    )
    return list(
        TakeawayTag.objects.filter(takeaways__in=visible)
        .annotate(uses=Count("takeaways"))
        .order_by("-uses", "name")[:limit]
    )


# --- Freshness ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    active: int
    fresh: int

    @property
    def share(self) -> float | None:
        return self.fresh / self.active if self.active else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def freshness_of(queryset: QuerySet[Takeaway], *, today: date | None = None) -> Freshness:
    """Active takeaways (not archived or superseded) and those reviewed within their window
    (review date still ahead). One query."""
    today = today or timezone.localdate()
    figures = queryset.filter(archived_at__isnull=True, superseded_by__isnull=True).aggregate(
        active=Count("id"), fresh=Count("id", filter=Q(review_due__gt=today))
    )
    return Freshness(active=figures["active"], fresh=figures["fresh"])


def community_freshness(community: Community, *, today: date | None = None) -> Freshness:
    """A community's freshness over all its takeaways (an aggregate; private ones count too)."""
    return freshness_of(Takeaway.objects.filter(session__community=community), today=today)


def review_due_for_owner(*, user: User, today: date | None = None) -> list[Takeaway]:
    """My active takeaways whose review date has come (my page, the nudge mail)."""
    today = today or timezone.localdate()
    return list(
        Takeaway.objects.filter(
            owner=user,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
        )
        .select_related("session")
        .order_by("review_due", "id")
    )


# --- Recognition (opt-in, rule 11) --------------------------------------------------------------


@dataclass(frozen=True)
class Contributions:
    sessions_hosted: int
    cases_brought: int
    takeaways_written: int
    helpful_received: int


def contributions_of(person: User) -> Contributions:
    """What a person shared, as counts. Cases brought are counted from intervision sessions the
    person presented at (the intervision app's ``IntervisionSession.presenter``, when it exists);
    never which case. Four queries at most."""
    hosted = Session.objects.filter(
        hosts=person, state=Session.State.SCHEDULED, end__lte=timezone.now()
    ).count()
    written = Takeaway.objects.filter(author=person, archived_at__isnull=True).exclude(
        visibility=Takeaway.Visibility.PRIVATE
    )
    helpful = TakeawayHelpful.objects.filter(takeaway__in=written).exclude(user=person).count()
    return Contributions(
        sessions_hosted=hosted,
        cases_brought=_cases_brought(person),
        takeaways_written=written.count(),
        helpful_received=helpful,
    )


def _cases_brought(person: User) -> int:
    from django.apps import apps

    try:
        model = apps.get_model("intervision", "IntervisionSession")
    except LookupError:
        return 0
    if not any(field.name == "presenter" for field in model._meta.get_fields()):
        return 0
    return model.objects.filter(presenter=person).count()


def person_shared_takeaways(*, viewer: User, person: User, limit: int = 10) -> list[Takeaway]:
    """The person's shared takeaways the viewer may read (their recognition page)."""
    return attach_helpful(
        with_listing_data(
            takeaways_visible_to(viewer)
            .filter(author=person, archived_at__isnull=True, superseded_by__isnull=True)
            .exclude(visibility=Takeaway.Visibility.PRIVATE),
            viewer,
        ).order_by("-created_at", "-id")[:limit],
        viewer,
    )


def contributors_to_thank(*, community: Community, since, until=None) -> list[User]:
    """People who opted in to recognition and shared something in the community in the period
    (hosted a session or wrote a shared takeaway): named with thanks in its weekly digest."""
    until = until or timezone.now()
    hosted = Session.objects.filter(
        community=community,
        hosts=OuterRef("pk"),
        state=Session.State.SCHEDULED,
        end__gte=since,
        end__lt=until,
    )
    wrote = Takeaway.objects.filter(
        session__community=community,
        author=OuterRef("pk"),
        created_at__gte=since,
        created_at__lt=until,
        hidden_at__isnull=True,
    ).exclude(visibility=Takeaway.Visibility.PRIVATE)
    return list(
        User.objects.filter(show_contributions=True, is_active=True)
        .filter(Exists(hosted) | Exists(wrote))
        .order_by("display_name", "email")
    )


def takeaways_for_digest(
    *, recipient: User, community: Community, since, until=None, limit: int = 5
) -> list[Takeaway]:
    """What a community's weekly digest shows one recipient: the week's takeaways of the
    community that this person may read (rule: ``takeaways_visible_to``), active and not due
    for review (stale knowledge stays out of digests), most helpful first. For the digest the
    reminders issue sends; two queries."""
    until = until or timezone.now()
    today = timezone.localdate()
    chosen = with_listing_data(
        takeaways_visible_to(recipient).filter(
            session__community=community,
            created_at__gte=since,
            created_at__lt=until,
            archived_at__isnull=True,
            superseded_by__isnull=True,
            hidden_at__isnull=True,
            review_due__gt=today,
        ),
        recipient,
        today=today,
        helpful=True,
    ).order_by("-helpful_count", "-created_at", "-id")[:limit]
    return list(chosen)


def due_for_nudge(*, today: date) -> QuerySet[Takeaway]:
    """Active takeaways past their review date whose owner has not been nudged for that date."""
    return (
        Takeaway.objects.filter(
            archived_at__isnull=True,
            superseded_by__isnull=True,
            review_due__lte=today,
            owner__isnull=False,
            owner__is_active=True,
        )
        .filter(Q(review_nudged_for__isnull=True) | ~Q(review_nudged_for=F("review_due")))
        .order_by("owner_id", "review_due", "id")
    )


def review_window_start(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.44))
