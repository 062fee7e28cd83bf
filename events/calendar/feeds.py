"""Calendar feeds over HTTP: validators (ETag, Last-Modified), the response with its 304, links.

Shared by the personal, community and festival feeds."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _

from events.calendar.ical.feed import build_publish_calendar, session_event

REFRESH_MINUTES = 240
# DTSTAMP / Last-Modified of a feed without events: any fixed moment keeps the bytes stable.
EMPTY_FEED_STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def organizer_address() -> str:
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "kennisplein@localhost")


def _session_url(session) -> str:
    return settings.SITE_URL + reverse("session_detail", args=[session.pk])


# Bump when the builder's output changes for the same data, so cached ETags stop matching.
FEED_FORMAT_VERSION = "3"
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


def calendar_response(
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
        empty_tzid=settings.TIME_ZONE,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8", headers=headers)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if request.method == "HEAD":
        # The headers of the GET, without the body (RFC 9110 §9.3.2).
        response.content = b""
        response["Content-Length"] = str(len(body))
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
