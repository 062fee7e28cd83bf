"""Reads of sessions; every one takes the viewing user (rule 3)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from communities.models import Community, Membership, User
from communities.organisation import organisation_settings
from communities.selectors import communities_visible_to, topics_in_use
from events.models import Festival, Rsvp, Session
from events.sessions.cards import series_folded, sessions_with_faces
from events.sessions.permissions import can_create_session, can_manage_session, is_active_member
from events.takeaways.selectors.reading import takeaway_count_subquery


def sessions_visible_to(user: User) -> QuerySet[Session]:
    """Sessions of communities the user may see, plus organisation-wide ones (no community),
    plus the sessions of published festivals open to them (``festival_sessions_q``).

    A private community's sessions are visible only to its active members; an archived
    community's sessions are hidden like the community itself (communities_visible_to).
    """
    if not user.is_authenticated:
        return Session.objects.none()
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    return Session.objects.filter(
        Q(community__isnull=True, festival__isnull=True)
        | Q(community__isnull=True) & festival_sessions_q(member_of)
        | Q(community__archived=False)
        & (Q(community__visibility=Community.Visibility.PUBLIC) | Q(community_id__in=member_of))
    )


def festival_sessions_q(member_of) -> Q:
    """a festival's sessions are seen once its programme is published, by everyone in
    the organisation or only by active members of the festival's communities."""

    restricted_for_me = Festival.objects.filter(
        audience=Festival.Audience.COMMUNITIES, communities__in=member_of
    ).values("pk")
    return Q(festival__published_version__gt=0) & (
        Q(festival__audience=Festival.Audience.ORGANISATION) | Q(festival_id__in=restricted_for_me)
    )


def going_count_subquery(session_ref: str = "pk"):
    """People going, as a correlated subquery: lets LIMIT apply before counting (no GROUP BY).

    ``session_ref`` names the outer query's session id: ``"pk"`` on sessions, ``"session_id"``
    on a model that hangs on a session."""
    going = (
        Rsvp.objects.filter(session=OuterRef(session_ref), status=Rsvp.Status.GOING)
        .order_by()
        .values("session")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(going, output_field=IntegerField()), 0)


def not_ended_q(now: datetime) -> Q:
    """Sessions that have not ended at ``now``, in a form the ``start`` index can walk.

    Pages list them by ``start``, but "not ended" is a condition on ``end``: walking the start
    index from the beginning passed every past session of the organisation (86,000 of 100,000)
    before the first upcoming one. The bound ``start ≥ the earliest start of a session that has
    not ended`` (one index-only lookup on ``session(end, start)``) changes nothing in the result
    and lets the walk begin there.
    """
    # MIN as a plain function (not an aggregate), so no GROUP BY: one row, the minimum. Of
    # ``start + 0``: a bare MIN(start) is answered by walking the start index, the very walk
    # this avoids; this one reads the ``end`` range of ``session_end_start``.
    shifted = ExpressionWrapper(F("start") + Value(timedelta(0)), output_field=DateTimeField())
    earliest = (
        Session.objects.filter(end__gte=now)
        .order_by()
        .annotate(first=Func(shifted, function="MIN", output_field=DateTimeField()))
        .values("first")
    )
    return Q(end__gte=now, start__gte=Subquery(earliest))


def sessions_upcoming(user: User, *, now: datetime | None = None) -> QuerySet[Session]:
    """What's on: sessions that have not ended yet, with the number of people going."""
    now = now or timezone.now()
    return (
        sessions_visible_to(user)
        .filter(not_ended_q(now))
        .select_related("community")
        .annotate(going_count=going_count_subquery())
        .order_by("start", "id")
    )


def session_for_viewer(*, user: User, session_id: int) -> Session | None:
    return (
        sessions_visible_to(user)
        .select_related("community")
        .prefetch_related("hosts")
        .annotate(going_count=going_count_subquery())
        .filter(pk=session_id)
        .first()
    )


# --- What's on, the session page, the community's sessions, my agenda -----------------------


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def viewer_timezone(user: User) -> str:
    """The zone a person reads times in: their own, else the organisation's default."""
    zone = getattr(user, "timezone", "") or ""
    if zone in known_timezones():
        return zone
    return organisation_timezone()


def organisation_timezone() -> str:
    zone = organisation_settings().default_timezone
    return zone if zone in known_timezones() else settings.TIME_ZONE


def my_status_subquery(user: User):
    """The viewer's own answer for each session (None when they have not answered)."""
    return Subquery(
        Rsvp.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1],
        output_field=CharField(),
    )


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


@dataclass(frozen=True)
class SessionFilters:
    """What's on filters; dates are days in the viewer's time zone (both ends included)."""

    format: str = ""
    community: str = ""  # slug
    topic: str = ""  # slug
    date_from: date | None = None
    date_to: date | None = None


def sessions_whats_on(
    user: User, filters: SessionFilters = SessionFilters(), *, now: datetime | None = None
) -> QuerySet[Session]:
    """Upcoming sessions the viewer may see, filtered; with people going and my own answer.

    A constant number of queries: community joined, counts and my answer as subqueries.
    """
    sessions = sessions_upcoming(user, now=now).annotate(my_status=my_status_subquery(user))
    if filters.format:
        sessions = sessions.filter(format=filters.format)
    if filters.community:
        sessions = sessions.filter(community__slug=filters.community)
    if filters.topic:
        sessions = sessions.filter(community__topics__slug=filters.topic)
    zone = viewer_timezone(user)
    if filters.date_from:
        sessions = sessions.filter(start__gte=_day_start(filters.date_from, zone))
    if filters.date_to:
        sessions = sessions.filter(start__lt=_day_start(filters.date_to + timedelta(days=1), zone))
    return sessions


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` + 1 rows: an exact count of every upcoming session of a large
    organisation costs a scan of them all, and nobody pages past the 50th page. ``capped`` says
    the real number is larger (the page says "more than 1,000")."""

    COUNT_CAP = 1_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


def session_filter_choices(user: User) -> dict:
    """The communities and topics what's on can be filtered by (two queries)."""

    return {
        "communities": list(communities_visible_to(user).order_by("name").values("slug", "name")),
        "topics": list(topics_in_use(user).values("slug", "name")),
    }


def session_page(*, user: User, session_id: int) -> Session | None:
    """One session for its page: community, hosts, series, seats taken and my answer."""
    return (
        sessions_visible_to(user)
        .select_related("community", "series")
        .prefetch_related(Prefetch("hosts", queryset=User.objects.order_by("display_name", "id")))
        .annotate(
            going_count=going_count_subquery(),
            seats_taken=seats_taken_subquery(),
            online_going=online_going_subquery(),
        )
        .filter(pk=session_id)
        .first()
    )


def session_panel(*, user: User, session_id: int) -> Session | None:
    """One session for its RSVP panel: community, the seats taken and who goes, nothing else."""
    return (
        sessions_visible_to(user)
        .select_related("community")
        .annotate(
            seats_taken=seats_taken_subquery(),
            online_going=online_going_subquery(),
            going_count=going_count_subquery(),
        )
        .filter(pk=session_id)
        .first()
    )


def seats_taken_subquery():
    """Seats in the room held by people going, their guests included (as rsvp.seats_taken)."""
    seats = (
        Rsvp.objects.filter(
            session=OuterRef("pk"), status=Rsvp.Status.GOING, mode=Rsvp.Mode.IN_ROOM
        )
        .order_by()
        .values("session")
        .annotate(total=Count("id") + Sum("guests"))
        .values("total")
    )
    return Coalesce(Subquery(seats, output_field=IntegerField()), 0)


def online_going_subquery():
    online = (
        Rsvp.objects.filter(session=OuterRef("pk"), status=Rsvp.Status.GOING, mode=Rsvp.Mode.ONLINE)
        .order_by()
        .values("session")
        .annotate(total=Count("id"))
        .values("total")
    )
    return Coalesce(Subquery(online, output_field=IntegerField()), 0)


def session_for_manager(*, user: User, session_id: int) -> Session | None:
    """A session the viewer may see and run (host, coordinator); None means 404."""

    session = session_page(user=user, session_id=session_id)
    if session is None or not can_manage_session(user, session):
        return None
    return session


def rsvp_of(*, user: User, session: Session) -> Rsvp | None:
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(session=session, user=user).first()


def may_see_attendees(user: User, session: Session, *, manages: bool) -> bool:
    """Who is going: for the community's members (everyone signed in for sessions without a
    community); hosts and coordinators always."""

    if manages:
        return True
    if session.community_id is None:
        return user.is_authenticated
    return is_active_member(user, session.community)


def session_attendees(*, session: Session, manages: bool) -> list[Rsvp]:
    """The answers shown on the session page: going and maybe for members; for hosts also the
    waitlist (in order) and who declined. One query."""
    statuses = [Rsvp.Status.GOING, Rsvp.Status.MAYBE]
    if manages:
        statuses += [Rsvp.Status.WAITLISTED, Rsvp.Status.DECLINED]
    return list(
        Rsvp.objects.filter(session=session, status__in=statuses)
        .select_related("user")
        .order_by("position", "user__display_name", "user__email", "id")
    )


def community_sessions(
    user: User, community: Community, *, now: datetime | None = None, limit: int = 10
) -> tuple[list[Session], list[Session]]:
    """A community's upcoming sessions (soonest first) and past ones (latest first), each
    with people going and my answer. Two queries."""
    now = now or timezone.now()
    sessions = (
        sessions_visible_to(user)
        .filter(community=community)
        .select_related("community")
        .annotate(going_count=going_count_subquery(), my_status=my_status_subquery(user))
    )
    upcoming = list(sessions.filter(end__gte=now).order_by("start", "id")[:limit])
    member = user.is_authenticated and (
        Membership.objects.filter(
            user=user, community=community, state=Membership.State.ACTIVE
        ).exists()
    )
    past = list(
        sessions.filter(end__lt=now)
        .annotate(takeaway_count=_takeaway_count_subquery(user, member=member))
        .order_by("-start", "-id")[:limit]
    )
    return upcoming, past


def _takeaway_count_subquery(user: User, *, member: bool):
    """How many takeaways of each session the viewer may read."""

    return takeaway_count_subquery(user)


def _agenda(user: User, window: Q) -> QuerySet[Session]:
    """Sessions I answered (going, maybe, waitlisted) plus those of my communities, within
    ``window`` (a condition on the session's own columns).

    The two sets are found separately, each through its own index (my answers by
    ``rsvp.user_id``, my communities' sessions by ``session(community_id, start)``), and joined
    with ``UNION``: an ``OR`` of the two made PostgreSQL scan every session of the organisation.
    ``window`` is applied inside the two sets only (the outer query takes their ids as they
    are), so a window with a subquery runs it twice, not three times.
    """
    if not user.is_authenticated:
        return Session.objects.none()
    answered = Rsvp.objects.filter(
        user=user,
        status__in=[Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED],
    ).values("session_id")
    member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    mine = (
        Session.objects.filter(window, pk__in=answered)
        .order_by()
        .values("pk")
        .union(Session.objects.filter(window, community_id__in=member_of).order_by().values("pk"))
    )
    return (
        sessions_visible_to(user)
        .filter(pk__in=mine)
        .select_related("community")
        .annotate(going_count=going_count_subquery(), my_status=my_status_subquery(user))
        .order_by("start", "id")
    )


def agenda_upcoming(user: User, *, now: datetime | None = None) -> QuerySet[Session]:
    """My agenda as a list: what has not ended yet.

    A plain ``end`` condition rather than ``not_ended_q``: both sets are found through my
    answers and my communities' ``(community_id, start)`` index, a few hundred rows, so the
    organisation-wide bound ``not_ended_q`` adds (a MIN over every running session) costs more
    than it saves here."""
    return _agenda(user, Q(end__gte=now or timezone.now()))


def agenda_month(user: User, *, year: int, month: int) -> list[Session]:
    """My agenda for one calendar month in my time zone (sessions starting in it). One query."""
    zone = viewer_timezone(user)
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return list(
        _agenda(user, Q(start__gte=_day_start(first, zone), start__lt=_day_start(following, zone)))
    )


def my_next_sessions(user: User, *, now: datetime | None = None, limit: int = 5) -> list[Session]:
    """The home page: upcoming sessions I am going to (not cancelled). One query."""
    if not user.is_authenticated:
        return []
    going = Rsvp.objects.filter(session=OuterRef("pk"), user=user, status=Rsvp.Status.GOING)
    return list(
        sessions_visible_to(user)
        .filter(not_ended_q(now or timezone.now()), Exists(going), state=Session.State.SCHEDULED)
        .select_related("community")
        .annotate(my_status=my_status_subquery(user))
        .order_by("start", "id")[:limit]
    )


def seats_taken(session: Session, *, exclude_rsvp_id: int | None = None) -> int:
    """Seats in the room held by people going, their guests included."""
    going = Rsvp.objects.filter(session=session, status=Rsvp.Status.GOING, mode=Rsvp.Mode.IN_ROOM)
    if exclude_rsvp_id is not None:
        going = going.exclude(pk=exclude_rsvp_id)
    totals = going.aggregate(people=Count("id"), guests=Sum("guests"))
    return totals["people"] + (totals["guests"] or 0)


def online_taken(session: Session, *, exclude_rsvp_id: int | None = None) -> int:
    going = Rsvp.objects.filter(session=session, status=Rsvp.Status.GOING, mode=Rsvp.Mode.ONLINE)
    if exclude_rsvp_id is not None:
        going = going.exclude(pk=exclude_rsvp_id)
    return going.count()


def waitlist_position(rsvp: Rsvp) -> int | None:
    """The person's place in line now (1 = next), whatever their stored position number."""
    if rsvp.status != Rsvp.Status.WAITLISTED:
        return None
    ahead = Rsvp.objects.filter(
        session_id=rsvp.session_id, status=Rsvp.Status.WAITLISTED, position__lt=rsvp.position
    ).count()
    return ahead + 1


def community_sessions_panel(viewer: User, community: Community) -> dict:
    """What the community page shows about sessions: upcoming and past ones, and whether the
    viewer may schedule one (a panel registered with ``communities.extensions``)."""
    upcoming, past = community_sessions(viewer, community)
    return {
        "sessions": upcoming,
        "session_cards": sessions_with_faces(viewer, series_folded(upcoming)),
        "past_sessions": past,
        "can_schedule": can_create_session(viewer, community),
    }


def next_session_start_subquery() -> Subquery:
    """The start of a community's next scheduled session, for the directory (registered with
    ``communities.extensions`` as ``next_session_start``)."""
    upcoming = Session.objects.filter(
        community=OuterRef("pk"), state=Session.State.SCHEDULED, start__gte=timezone.now()
    ).order_by("start")
    return Subquery(upcoming.values("start")[:1], output_field=DateTimeField())
