"""Reads for the calendar feeds; each takes the viewing user (rule 3) or a token."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import CalendarReply, Rsvp, Session
from events.sessions.selectors import my_status_subquery, sessions_visible_to

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
WINDOW_BACK = timedelta(days=92)  # about three months
WINDOW_AHEAD = timedelta(days=366)  # about twelve months


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def user_for_feed_token(token: str) -> User | None:
    """The active person a feed token belongs to; None for anything else (the view 404s)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return User.objects.filter(feed_token_hash=hash_feed_token(token), is_active=True).first()


def _window(sessions: QuerySet[Session], now: datetime | None) -> QuerySet[Session]:
    now = now or timezone.now()
    return sessions.filter(end__gte=now - WINDOW_BACK, start__lt=now + WINDOW_AHEAD)


def personal_feed_query(user: User, *, now: datetime | None = None) -> QuerySet[Session]:
    """What I am going to or waitlisted for, in the feed's window, with my answer (the feed
    view reads its validators from it before loading any session)."""
    mine = Rsvp.objects.filter(
        session=OuterRef("pk"), user=user, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED]
    )
    return (
        _window(sessions_visible_to(user), now)
        .filter(Exists(mine))
        .select_related("community")
        .annotate(my_status=my_status_subquery(user))
        .order_by("start", "id")
    )


def personal_feed_sessions(user: User, *, now: datetime | None = None) -> list[Session]:
    """``personal_feed_query`` loaded. One query."""
    return list(personal_feed_query(user, now=now))


def latest_answer_change(user: User) -> QuerySet:
    """When the person last changed any answer (a decline takes a session out of their feed),
    as a one-value queryset: the feed folds it into its validator query."""
    return Rsvp.objects.filter(user=user).order_by("-updated_at").values("updated_at")[:1]


def community_feed_query(
    user: User, community: Community, *, now: datetime | None = None
) -> QuerySet[Session]:
    """A community's sessions in the feed's window, as the viewer may see them."""
    return (
        _window(sessions_visible_to(user).filter(community=community), now)
        .select_related("community")
        .order_by("start", "id")
    )


def community_feed_sessions(
    user: User, community: Community, *, now: datetime | None = None
) -> list[Session]:
    """``community_feed_query`` loaded. One query."""
    return list(community_feed_query(user, community, now=now))


def public_community_for_feed(slug: str) -> Community | None:
    """A public, not archived community: the cookie-less feed exists only for these."""
    return Community.objects.filter(
        slug=slug, visibility=Community.Visibility.PUBLIC, archived=False
    ).first()


def public_community_feed_sessions(
    community: Community, *, now: datetime | None = None
) -> list[Session]:
    """The sessions of a public community anyone may see (nobody is signed in). One query."""
    return list(public_community_feed_query(community, now=now))


def public_community_feed_query(
    community: Community, *, now: datetime | None = None
) -> QuerySet[Session]:
    """``public_community_feed_sessions`` as a queryset (none for a private or archived one)."""
    if community.visibility != Community.Visibility.PUBLIC or community.archived:
        return Session.objects.none()
    return (
        _window(Session.objects.filter(community=community), now)
        .select_related("community")
        .order_by("start", "id")
    )


def my_community_for_feed(*, user: User, slug: str) -> Community | None:
    """A not archived community the viewer is an active member of; checked on every fetch."""
    member = Membership.objects.filter(
        community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
    )
    return Community.objects.filter(slug=slug, archived=False).filter(Exists(member)).first()


def my_feed_communities(user: User) -> list[Community]:
    """The communities whose feeds /me/calendar/ offers: mine, active, not archived."""
    return list(
        Community.objects.filter(
            memberships__user=user,
            memberships__state=Membership.State.ACTIVE,
            archived=False,
        ).order_by("name", "id")
    )


def answered_from_calendar(*, user: User, session: Session):
    """The person's latest reply from their calendar client that was applied to this session
    (or to its whole series), for "answered from your calendar" on the session page."""

    scope = Q(session=session)
    if session.series_id:
        scope |= Q(series_id=session.series_id, session__isnull=True)
    return (
        CalendarReply.objects.filter(scope, user=user, outcome=CalendarReply.Outcome.APPLIED)
        .order_by("-received_at", "-id")
        .first()
    )
