"""Calendar feeds, the "add to calendar" download and /me/calendar/.

Feeds are fetched by calendar apps without cookies: the personal and member feeds are found by
the secret token in the path (404 for anything unknown), the public community feed needs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import User
from communities.selectors import active_person
from events.calendar.feeds import calendar_response, feed_links
from events.calendar.selectors import (
    community_feed_query,
    latest_answer_change,
    my_community_for_feed,
    my_feed_communities,
    personal_feed_query,
    public_community_feed_query,
    public_community_for_feed,
    user_for_feed_token,
)
from events.calendar.services.invitation_mail import RSVP_LINK_SALT
from events.calendar.services.subscriptions import feed_token_reset
from events.models import Rsvp, Series, Session
from events.series.selectors import series_visible_to
from events.series.services.rsvp import SeriesNotFound, series_rsvp_set
from events.sessions.selectors import rsvp_of, session_page
from events.sessions.services.rsvp import SessionNotFound, rsvp_set


@require_safe  # HEAD answers like GET, without the body
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return calendar_response(
            request,
            personal_feed_query(user),
            name=_("Kennisplein — my sessions"),
            tentative_when=("my_status", Rsvp.Status.WAITLISTED),
            filename="kennisplein.ics",
            # Declining removes a session from the feed: that is a change too.
            also_changed_at=latest_answer_change(user),
            # A new token is a new address: a new ETag even for the same sessions.
            scope=user.feed_token_hash,
        )


@require_safe  # HEAD answers like GET, without the body
def member_community_feed(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    community = my_community_for_feed(user=user, slug=slug)
    if community is None:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return calendar_response(
            request,
            community_feed_query(user, community),
            name=f"{community.name} — Kennisplein",
            filename=f"{community.slug}.ics",
        )


@require_safe  # HEAD answers like GET, without the body
def public_community_feed(request: HttpRequest, slug: str) -> HttpResponse:
    community = public_community_for_feed(slug)
    if community is None:
        raise Http404
    return calendar_response(
        request,
        public_community_feed_query(community),
        name=f"{community.name} — Kennisplein",
        filename=f"{community.slug}.ics",
    )


@login_required
@require_safe  # HEAD answers like GET, without the body
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session as a PUBLISH calendar, to add to one's calendar by hand."""
    session = session_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    response = calendar_response(
        request, [session], name=session.title, filename=f"session-{session.pk}.ics"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The feed addresses. Only the token's hash is stored, so the full personal address is shown
    once, right after it is made (POST); making a new one stops the old one at once."""
    token = None
    if request.method == "POST":
        token = feed_token_reset(user=request.user)
        audit_record(
            actor=request.user,
            action="token.create",
            target=request.user,
            detail="calendar feed",
            request=request,
        )
    communities = my_feed_communities(request.user)
    community_links = []
    for community in communities:
        if token:
            path = reverse("member_community_feed", args=[token, community.slug])
        elif community.visibility == community.Visibility.PUBLIC:
            path = reverse("public_community_feed", args=[community.slug])
        else:
            path = None
        community_links.append(
            {"community": community, "links": feed_links(request, path) if path else None}
        )
    response = render(
        request,
        "events/calendar/my_calendar.html",
        {
            "token_made": token is not None,
            "has_token": bool(request.user.feed_token_hash),
            "personal": feed_links(request, reverse("personal_feed", args=[token]))
            if token
            else None,
            "community_links": community_links,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


LINK_LIFETIME = timedelta(days=400)
ANSWERS = (Rsvp.Status.GOING, Rsvp.Status.DECLINED)


@dataclass(frozen=True)
class LinkTarget:
    user: User
    answer: str
    session: Session | None
    series: Series | None


def _target(token: str) -> LinkTarget:
    try:
        payload = signing.loads(token, salt=RSVP_LINK_SALT, max_age=LINK_LIFETIME)
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(payload, dict) or payload.get("a") not in ANSWERS:
        raise Http404
    user = active_person(payload.get("u"))
    if user is None:
        raise Http404
    if "r" in payload:
        series = series_visible_to(user, payload["r"])
        if series is None:
            raise Http404
        return LinkTarget(user, payload["a"], None, series)
    session = session_page(user=user, session_id=payload.get("s"))
    if session is None:
        raise Http404
    return LinkTarget(user, payload["a"], session, None)


@require_http_methods(["GET", "POST"])
def rsvp_link(request: HttpRequest, token: str) -> HttpResponse:
    target = _target(token)
    done, error = False, ""
    if request.method == "POST":
        try:
            if target.series is not None:
                series_rsvp_set(series_id=target.series.pk, user=target.user, status=target.answer)
            else:
                rsvp_set(session_id=target.session.pk, user=target.user, status=target.answer)
        except (SessionNotFound, SeriesNotFound):
            raise Http404 from None
        except DomainError as refusal:
            error = refusal.message
        else:
            done = True
    status = None
    if target.session is not None:
        mine = rsvp_of(user=target.user, session=target.session)
        status = mine.get_status_display() if mine else None
    return render(
        request,
        "events/calendar/rsvp_link.html",
        {
            "target": target,
            "subject": target.session or target.series,
            "going": target.answer == Rsvp.Status.GOING,
            "done": done,
            "error": error,
            "status": status,
            "other_person": request.user.is_authenticated and request.user.pk != target.user.pk,
            "page_title": _("Your answer"),
        },
        status=200,
    )
