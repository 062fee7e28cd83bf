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
    latest_answer_change,
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


# Bump when the builder's output changes for the same data, so cached ETags stop matching.
FEED_FORMAT_VERSION = "2"
# Every field of a session a feed shows: the ETag is a hash of these, so it changes exactly
# when the bytes would (the builder is deterministic), and a 304 needs no calendar built.
RENDERED_FIELDS = ("pk", "uid", "sequence", "updated_at", "start", "end", "timezone", "title",
                   "description", "location", "online_url", "state", "format")  # fmt: skip


def feed_validators(
    sessions, *, name: str, tentative, organizer: str, also_changed_at=None
) -> tuple[str, datetime]:
    """(strong ETag, Last-Modified) of a feed from its inputs, without building it.
    ``also_changed_at``: a later change that removed something (e.g. my RSVP declined)."""
    digest = hashlib.sha256()
    head = (FEED_FORMAT_VERSION, name, organizer, settings.SITE_URL, translation.get_language())
    digest.update(repr(head).encode())
    for session in sessions:
        values = tuple(getattr(session, field) for field in RENDERED_FIELDS)
        group = session.community.name if session.community_id else ""
        digest.update(repr((values, group, session.pk in tentative)).encode())
    stamps = [session.updated_at for session in sessions]
    if also_changed_at is not None:
        stamps.append(also_changed_at)
    stamp = max(stamps) if stamps else EMPTY_FEED_STAMP
    return '"' + digest.hexdigest()[:40] + '"', stamp


def _calendar_response(
    request: HttpRequest,
    sessions,
    *,
    name: str,
    tentative=frozenset(),
    filename: str,
    also_changed_at=None,
) -> HttpResponse:
    organizer = organizer_address()
    etag, last_modified = feed_validators(
        sessions,
        name=name,
        tentative=tentative,
        organizer=organizer,
        also_changed_at=also_changed_at,
    )
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(int(last_modified.timestamp())),
        # The URL is a secret for the token feeds: no shared caches.
        "Cache-Control": f"private, max-age={REFRESH_MINUTES * 60 // 4}",
    }
    # 304 when If-None-Match (or, without it, If-Modified-Since) says the client has these
    # bytes: answered before anything is built.
    placeholder = HttpResponse(headers=headers)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()), response=placeholder
    )
    if conditional is not placeholder:  # 304 (or 412): nothing to build
        return conditional
    stamps = [session.updated_at for session in sessions]
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
        dtstamp=max(stamps) if stamps else EMPTY_FEED_STAMP,
        organizer=organizer,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8", headers=headers)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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
            # Declining removes a session from the feed: that is a change too.
            also_changed_at=latest_answer_change(user),
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
