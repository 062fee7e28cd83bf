"""Calendar feeds, the "add to calendar" download and /me/calendar/ (issue 6).

Feeds are fetched by calendar apps without cookies: the personal and member feeds are found by
the secret token in the path (404 for anything unknown), the public community feed needs nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from events.calendar.feed import build_publish_calendar, session_event
from events.models import Rsvp
from events.selectors.calendar import (
    community_feed_sessions,
    my_community_for_feed,
    my_feed_communities,
    personal_feed_sessions,
    public_community_feed_sessions,
    public_community_for_feed,
    user_for_feed_token,
)
from events.selectors.sessions import session_page
from events.services.calendar import feed_token_reset

REFRESH_MINUTES = 240
# DTSTAMP / Last-Modified of a feed without events: any fixed moment keeps the bytes stable.
EMPTY_FEED_STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def organizer_address() -> str:
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "kennisplein@localhost")


def _session_url(session) -> str:
    return settings.SITE_URL + reverse("session_detail", args=[session.pk])


def _calendar_response(
    request: HttpRequest, sessions, *, name: str, tentative=frozenset(), filename: str
) -> HttpResponse:
    stamps = [session.updated_at for session in sessions]
    stamp = max(stamps) if stamps else EMPTY_FEED_STAMP
    events = [
        session_event(
            session,
            url=_session_url(session),
            tentative=session.pk in tentative,
            intervision_label=_("Intervision"),
        )
        for session in sessions
    ]
    body = build_publish_calendar(
        events=events,
        name=name,
        refresh_minutes=REFRESH_MINUTES,
        dtstamp=stamp,
        organizer=organizer_address(),
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    last_modified = int(stamp.timestamp())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The URL is a secret for the token feeds: no shared caches.
    response["Cache-Control"] = f"private, max-age={REFRESH_MINUTES * 60 // 4}"
    # 304 when If-None-Match (or, without it, If-Modified-Since) says the client has these bytes.
    return (
        get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        or response
    )


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    sessions = personal_feed_sessions(user)
    waitlisted = {s.pk for s in sessions if s.my_status == Rsvp.Status.WAITLISTED}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _calendar_response(
            request,
            sessions,
            name=_("Kennisplein — my sessions"),
            tentative=waitlisted,
            filename="kennisplein.ics",
        )


@require_GET
def member_community_feed(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    community = my_community_for_feed(user=user, slug=slug)
    if community is None:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _calendar_response(
            request,
            community_feed_sessions(user, community),
            name=f"{community.name} — Kennisplein",
            filename=f"{community.slug}.ics",
        )


@require_GET
def public_community_feed(request: HttpRequest, slug: str) -> HttpResponse:
    community = public_community_for_feed(slug)
    if community is None:
        raise Http404
    return _calendar_response(
        request,
        public_community_feed_sessions(community),
        name=f"{community.name} — Kennisplein",
        filename=f"{community.slug}.ics",
    )


@login_required
@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session as a PUBLISH calendar, to add to one's calendar by hand."""
    session = session_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    response = _calendar_response(
        request, [session], name=session.title, filename=f"session-{session.pk}.ics"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


def feed_links(request: HttpRequest, path: str) -> dict:
    """The https, webcal and Google Calendar addresses of one feed path."""
    https = settings.SITE_URL + path
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "https": https,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + webcal,
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The feed addresses. Only the token's hash is stored, so the full personal address is shown
    once, right after it is made (POST); making a new one stops the old one at once."""
    token = None
    if request.method == "POST":
        token = feed_token_reset(user=request.user)
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
        "events/my_calendar.html",
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
