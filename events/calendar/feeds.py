"""Calendar feeds over HTTP: validators (ETag, Last-Modified), the response with its 304, links.

Shared by the personal, community and festival feeds."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BinaryField,
    Count,
    F,
    Func,
    Max,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Greatest
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
# How long built feed bytes are kept under their ETag (a changed feed has another ETag).
FEED_BODY_SECONDS = 24 * 60 * 60


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


def _digest(rows, *, name: str, organizer: str) -> tuple[str, list]:
    """The strong ETag of a feed from its rows ``(values of RENDERED_FIELDS, group, tentative)``
    and the head; also the rows' ``updated_at`` stamps."""
    digest = hashlib.sha256()
    head = (FEED_FORMAT_VERSION, name, organizer, settings.SITE_URL, translation.get_language())
    digest.update(repr(head).encode())
    stamps = []
    updated = RENDERED_FIELDS.index("updated_at")
    for values, group, tentative in rows:
        digest.update(repr((values, group, tentative)).encode())
        stamps.append(values[updated])
    return '"' + digest.hexdigest()[:40] + '"', stamps


def feed_validators(
    sessions, *, name: str, tentative, organizer: str, also_changed_at=None
) -> tuple[str, datetime]:
    """(strong ETag, Last-Modified) of a feed from its inputs, without building it.
    ``also_changed_at``: a later change that removed something (e.g. my RSVP declined)."""
    rows = (
        (
            tuple(getattr(session, field) for field in RENDERED_FIELDS),
            session.community.name if session.community_id else "",
            session.pk in tentative,
        )
        for session in sessions
    )
    etag, stamps = _digest(rows, name=name, organizer=organizer)
    return etag, _last_modified(stamps, also_changed_at)


def _last_modified(stamps: list, also_changed_at) -> datetime:
    if also_changed_at is not None:
        stamps = [*stamps, also_changed_at]
    return max(stamps) if stamps else EMPTY_FEED_STAMP


def _validators_from_rows(
    sessions: QuerySet, *, name: str, tentative_when, organizer: str, also_changed_at, scope: str
) -> tuple[str, datetime]:
    """The validators from one narrow query of values (no model instances), hashed in Python:
    the way on a database without the functions the aggregate needs (SQLite in development)."""
    extra = [tentative_when[0]] if tentative_when else []
    width = len(RENDERED_FIELDS)
    rows = (
        (
            row[:width],
            row[width] or "",
            bool(tentative_when) and row[width + 1] == tentative_when[1],
        )
        for row in sessions.values_list(*RENDERED_FIELDS, "community__name", *extra)
    )
    etag, stamps = _digest(rows, name=f"{name}\n{scope}", organizer=organizer)
    return etag, _last_modified(stamps, also_changed_at)


def _validators_from_query(
    sessions: QuerySet,
    *,
    name: str,
    tentative_when,
    organizer: str,
    also_changed_at,
    scope: str = "",
) -> tuple[str, datetime]:
    """The same validators from one aggregate query: PostgreSQL hashes every rendered field of
    every session (as a JSON array per row, so NULL and "" differ) and returns only the digest,
    the count and the latest ``updated_at``; no row reaches Python. What a 304 costs.
    ``scope``: what else names the feed (a token's hash), so a new address has a new ETag.
    ``also_changed_at`` may be a one-value queryset: then it is read in the same query."""
    if connection.vendor != "postgresql":
        if isinstance(also_changed_at, QuerySet):
            first = next(iter(also_changed_at), None)  # the one value, or none at all
            also_changed_at = next(iter(first.values()), None) if first else None
        return _validators_from_rows(
            sessions,
            name=name,
            tentative_when=tentative_when,
            organizer=organizer,
            also_changed_at=also_changed_at,
            scope=scope,
        )
    columns = [*RENDERED_FIELDS, "community__name"]
    if tentative_when:
        columns.append(tentative_when[0])
    row = Cast(Func(*(F(column) for column in columns), function="json_build_array"), TextField())
    summary = sessions.order_by().aggregate(
        digest=Func(
            Func(
                StringAgg(row, delimiter="\n", order_by=("start", "id"), default=""),
                Value("UTF8"),
                function="convert_to",
            ),
            function="sha256",
            output_field=BinaryField(),
        ),
        count=Count("pk"),
        # GREATEST skips NULLs: the latest of the sessions and of the other change, if any
        latest=Greatest(Max("updated_at"), Subquery(also_changed_at))
        if isinstance(also_changed_at, QuerySet)
        else Max("updated_at"),
    )
    digest = hashlib.sha256()
    head = (FEED_FORMAT_VERSION, name, organizer, settings.SITE_URL, translation.get_language())
    digest.update(repr((head, scope, summary["count"])).encode())
    digest.update(bytes(summary["digest"]))
    stamps = [summary["latest"]] if summary["latest"] is not None else []
    if isinstance(also_changed_at, QuerySet):
        also_changed_at = None  # already in "latest"
    return '"' + digest.hexdigest()[:40] + '"', _last_modified(stamps, also_changed_at)


def _body_key(etag: str) -> str:
    # The ETag is a hash of everything the bytes are built from (the builder is deterministic),
    # so the bytes kept under it are exactly what a build would give: nothing to invalidate.
    return f"feed-body:{etag.strip(chr(34))}"


def calendar_response(
    request: HttpRequest,
    sessions,
    *,
    name: str,
    tentative=frozenset(),
    tentative_when: tuple[str, str] | None = None,
    filename: str,
    also_changed_at=None,
    scope: str = "",
) -> HttpResponse:
    """A feed answer: 304 from the validators alone, else the bytes kept under the ETag, else
    built (and kept). ``sessions`` is a list of sessions, or a queryset of them: then the
    validators come from one narrow query and the sessions are loaded only to build.
    ``tentative`` (pks, for a list) or ``tentative_when`` (field, value, for a queryset) says
    which sessions are tentative (waitlisted). ``scope`` (queryset only) goes into the ETag:
    the token's hash for a personal feed."""
    organizer = organizer_address()
    if isinstance(sessions, QuerySet):
        etag, last_modified = _validators_from_query(
            sessions,
            name=name,
            tentative_when=tentative_when,
            organizer=organizer,
            also_changed_at=also_changed_at,
            scope=scope,
        )
    else:
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
    body = cache.get(_body_key(etag))
    if body is None:
        if isinstance(sessions, QuerySet):
            sessions = list(sessions)
            if tentative_when:
                field, value = tentative_when
                tentative = {s.pk for s in sessions if getattr(s, field) == value}
        body = _build(sessions, name=name, tentative=tentative, organizer=organizer)
        cache.set(_body_key(etag), body, FEED_BODY_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8", headers=headers)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if request.method == "HEAD":
        # The headers of the GET, without the body (RFC 9110 §9.3.2).
        response.content = b""
        response["Content-Length"] = str(len(body))
    return response


def _build(sessions, *, name: str, tentative, organizer: str) -> bytes:
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
    return build_publish_calendar(
        events=events,
        name=name,
        refresh_minutes=REFRESH_MINUTES,
        dtstamp=max(stamps) if stamps else EMPTY_FEED_STAMP,
        organizer=organizer,
        empty_tzid=settings.TIME_ZONE,
    )


def feed_links(request: HttpRequest, path: str) -> dict:
    """The https, webcal and Google Calendar addresses of one feed path."""
    https = settings.SITE_URL + path
    webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "https": https,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + webcal,
    }
