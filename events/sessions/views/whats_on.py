"""What's on across the organisation, and my agenda (list and month)."""

import calendar
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communities.http import query_without_page
from events.models import Session
from events.sessions.cards import sessions_with_faces
from events.sessions.forms import AgendaForm, SessionFilterForm
from events.sessions.selectors import (
    CappedPaginator,
    SessionFilters,
    agenda_month,
    agenda_upcoming,
    session_filter_choices,
    sessions_whats_on,
    viewer_timezone,
)

SESSIONS_PER_PAGE = 20


# --- What's on --------------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None)
    filters = SessionFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = SessionFilters(
            format=data["format"],
            community=data["community"],
            topic=data["topic"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    page = CappedPaginator(sessions_whats_on(request.user, filters), SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = sessions_with_faces(request.user, page.object_list)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query_string": query_without_page(request),
        **session_filter_choices(request.user),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/sessions/session_list.html", context, status=status)


# --- My agenda --------------------------------------------------------------------------------


@login_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """My RSVPs and my communities' sessions: a list of what is coming, or one month."""
    form = AgendaForm(request.GET or None)
    month = None
    if form.is_bound:
        if form.is_valid():
            month = form.cleaned_data["month"]
        else:
            messages.error(request, form.errors["month"][0])
    if month is None and "month" not in request.GET:
        page = Paginator(agenda_upcoming(request.user), SESSIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        page.object_list = sessions_with_faces(request.user, page.object_list)
        return render(
            request,
            "events/sessions/agenda.html",
            {"page": page, "this_month": timezone.localdate().strftime("%Y-%m")},
        )
    if month is None:
        month = timezone.localdate().replace(day=1)
    sessions = agenda_month(request.user, year=month.year, month=month.month)
    status = 200 if form.is_valid() else 400
    return render(
        request,
        "events/sessions/agenda_month.html",
        _month_context(request, month, sessions),
        status=status,
    )


def _month_context(request: HttpRequest, month: date, sessions: list[Session]) -> dict:
    zone = ZoneInfo(viewer_timezone(request.user))
    by_day: dict[date, list[Session]] = {}
    for session in sessions:
        by_day.setdefault(session.start.astimezone(zone).date(), []).append(session)
    today = timezone.now().astimezone(zone).date()
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "today": day == today,
                "sessions": by_day.get(day, []),
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return {
        "month": month,
        "weeks": weeks,
        "session_count": len(sessions),
        "days_with_sessions": [
            {"date": day, "sessions": items} for day, items in sorted(by_day.items())
        ],
        "previous": previous.strftime("%Y-%m") if previous.year >= 2000 else None,
        "following": following.strftime("%Y-%m") if following.year <= 2100 else None,
    }
