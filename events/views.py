"""Session pages: what's on, a session, scheduling, RSVP, attendance, takeaways, my agenda; and
the development mail viewer.

Every read goes through a selector that takes the viewing user; a session the viewer may not see
(or may not run, for the hosts' pages) answers 404. Services raise DomainError for anything a
person can get wrong: the message is shown and nothing changes.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.selectors import community_for_viewer
from events.calendar.feed import session_event
from events.calendar.links import google_calendar_link, outlook_web_link
from events.forms import (
    AgendaForm,
    CancelSessionForm,
    EditSessionForm,
    NewSessionForm,
    RsvpForm,
    SessionFilterForm,
    TakeawayForm,
    format_defaults_help,
)
from events.models import OutboxMessage, Rsvp, Session
from events.permissions import can_create_session, can_manage_session, is_active_member
from events.selectors.calendar import answered_from_calendar
from events.selectors.sessions import (
    SessionFilters,
    agenda_month,
    agenda_upcoming,
    goes_to_series,
    may_see_attendees,
    rsvp_of,
    series_for_viewer,
    session_attendees,
    session_filter_choices,
    session_for_manager,
    session_page,
    sessions_visible_to,
    sessions_whats_on,
    viewer_timezone,
)
from events.selectors.takeaways import session_takeaways
from events.services.rsvp import (
    SessionNotFound,
    attendance_mark,
    rsvp_remove,
    rsvp_set,
    waitlist_position,
)
from events.services.series import (
    HORIZON,
    series_cancel_rest,
    series_create,
    series_split,
    series_update_all,
)
from events.services.series_rsvp import Outcome, SeriesRsvpResult, series_rsvp_set
from events.services.sessions import (
    may_write_takeaway,
    session_cancel,
    session_create,
    session_update,
    takeaway_create,
)

SESSIONS_PER_PAGE = 20


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


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
    page = Paginator(sessions_whats_on(request.user, filters), SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query_string": _query_without_page(request),
        **session_filter_choices(request.user),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/session_list.html", context, status=status)


# --- The session page and RSVP --------------------------------------------------------------


def _session_or_404(request: HttpRequest, session_id: int) -> Session:
    session = session_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def _detail_context(request: HttpRequest, session: Session, **extra) -> dict:
    user = request.user
    now = timezone.now()
    manages = can_manage_session(user, session)
    rsvp = rsvp_of(user=user, session=session)
    member = is_active_member(user, session.community)
    attendees = (
        session_attendees(session=session, manages=manages)
        if may_see_attendees(user, session, manages=manages)
        else None
    )
    seats_left = None
    if session.capacity is not None:
        seats_left = max(session.capacity - session.seats_taken, 0)
    online_left = None
    if session.online_capacity is not None:
        online_left = max(session.online_capacity - session.online_going, 0)
    over = session.end <= now
    started = session.start <= now
    deadline_passed = bool(session.rsvp_deadline and session.rsvp_deadline <= now)
    may_write = may_write_takeaway(user, session)
    initial = {"status": rsvp.status, "guests": rsvp.guests, "mode": rsvp.mode} if rsvp else {}
    context = {
        "session": session,
        "manages": manages,
        "my_rsvp": rsvp,
        "my_position": waitlist_position(rsvp) if rsvp else None,
        "attendees": attendees,
        "going": [r for r in attendees or [] if r.status == Rsvp.Status.GOING],
        "maybe": [r for r in attendees or [] if r.status == Rsvp.Status.MAYBE],
        "waitlisted": [r for r in attendees or [] if r.status == Rsvp.Status.WAITLISTED],
        "declined": [r for r in attendees or [] if r.status == Rsvp.Status.DECLINED],
        "seats_left": seats_left,
        "online_left": online_left,
        "over": over,
        "started": started,
        "deadline_passed": deadline_passed,
        "members_only_blocked": session.members_only and not member,
        "may_answer": not session.is_cancelled
        and not over
        and not (session.members_only and not member),
        "rsvp_form": RsvpForm(initial=initial),
        "series_going": goes_to_series(user=user, series_id=session.series_id),
        "takeaways": session_takeaways(user=user, session=session),
        "may_write_takeaway": may_write,
        "takeaway_form": TakeawayForm(session=session) if may_write else None,
        "viewer_zone": viewer_timezone(user),
        "calendar_links": _calendar_links(session),
        "answered_from_calendar": answered_from_calendar(user=user, session=session)
        if rsvp
        else None,
    }
    context.update(extra)
    return context


def _calendar_links(session: Session) -> dict[str, str]:
    """Web calendars' "add" links; intervision shows only the group (as in feeds and mail)."""
    event = session_event(
        session,
        url=settings.SITE_URL + reverse("session_detail", args=[session.pk]),
        intervision_label=_("Intervision"),
    )
    return {"google": google_calendar_link(event), "outlook": outlook_web_link(event)}


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    return render(request, "events/session_detail.html", _detail_context(request, session))


@login_required
@require_POST
def session_rsvp(request: HttpRequest, session_id: int) -> HttpResponse:
    """POST status=going|maybe|declined (+ guests, mode). htmx gets the RSVP panel back."""
    session = _session_or_404(request, session_id)
    form = RsvpForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_first_error(form))
        rsvp = rsvp_set(session_id=session.pk, user=request.user, **form.answer(session))
    except SessionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _rsvp_message(rsvp))
    if request.htmx:
        fresh = _session_or_404(request, session_id)
        return render(
            request, "events/session_detail.html#rsvp-panel", _detail_context(request, fresh)
        )
    return redirect("session_detail", session.pk)


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check your answer.")


def _rsvp_message(rsvp: Rsvp) -> str:
    if rsvp.status == Rsvp.Status.GOING:
        return _("You are going. See you there!")
    if rsvp.status == Rsvp.Status.WAITLISTED:
        return _("The session is full: you are on the waiting list, number %(position)d.") % {
            "position": waitlist_position(rsvp)
        }
    if rsvp.status == Rsvp.Status.MAYBE:
        return _("Saved: maybe.")
    return _("Saved: you are not going.")


# --- A whole series: "going to all upcoming" -------------------------------------------------


@login_required
@require_POST
def series_rsvp(request: HttpRequest, series_id: int) -> HttpResponse:
    """POST status=going|declined for every upcoming session of a series (and those planned
    later); ``session`` is the occurrence whose page the buttons were on (back to it; htmx gets
    its RSVP panel). One transaction per occurrence: the queries grow with the occurrences."""
    series = series_for_viewer(user=request.user, series_id=series_id)
    if series is None:
        raise Http404
    back = _occurrence_to_return_to(request, series.pk)
    try:
        result = series_rsvp_set(
            series_id=series.pk, user=request.user, status=request.POST.get("status", "")
        )
    except SessionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        for level, text in _series_messages(result):
            messages.add_message(request, level, text)
    if back is None:
        return redirect("community_detail", series.community.slug)
    if request.htmx:
        fresh = _session_or_404(request, back)
        return render(
            request, "events/session_detail.html#rsvp-panel", _detail_context(request, fresh)
        )
    return redirect("session_detail", back)


def _occurrence_to_return_to(request: HttpRequest, series_id: int) -> int | None:
    """The posted occurrence when it is one of this series the person may see, else the
    series' next one (else None: back to the community)."""
    occurrences = sessions_visible_to(request.user).filter(series_id=series_id)
    posted = request.POST.get("session", "")
    if posted.isdigit() and len(posted) < 19:
        found = occurrences.filter(pk=int(posted)).values_list("pk", flat=True).first()
        if found is not None:
            return found
    upcoming = occurrences.filter(end__gt=timezone.now()).order_by("start", "id")
    return upcoming.values_list("pk", flat=True).first()


def _series_messages(result: SeriesRsvpResult) -> list[tuple[int, str]]:
    """What the person reads after answering a series: one summary, then what was skipped."""
    if result.status == Rsvp.Status.DECLINED:
        return _series_stop_messages(result)
    going = result.count(Outcome.GOING)
    waiting = result.count(Outcome.WAITLISTED)
    if going and waiting:
        summary = ngettext(
            "You are going to %(going)d session; on the waiting list for %(waiting)d.",
            "You are going to %(going)d sessions; on the waiting list for %(waiting)d.",
            going,
        ) % {"going": going, "waiting": waiting}
    elif going:
        summary = ngettext(
            "You are going to %(count)d session of this series.",
            "You are going to %(count)d sessions of this series.",
            going,
        ) % {"count": going}
    elif waiting:
        summary = ngettext(
            "You are on the waiting list for %(count)d session of this series.",
            "You are on the waiting list for %(count)d sessions of this series.",
            waiting,
        ) % {"count": waiting}
    else:
        summary = _("Saved: sessions of this series planned later are answered for you.")
    return [(messages.SUCCESS, summary), *_skipped_messages(result)]


def _skipped_messages(result: SeriesRsvpResult) -> list[tuple[int, str]]:
    """One warning per reason, with how many sessions it held back."""
    counts: dict[str, int] = {}
    for item in result.skipped():
        counts[item.message] = counts.get(item.message, 0) + 1
    return [
        (
            messages.WARNING,
            ngettext(
                "Not answered for %(count)d session: %(reason)s",
                "Not answered for %(count)d sessions: %(reason)s",
                count,
            )
            % {"count": count, "reason": reason},
        )
        for reason, count in counts.items()
    ]


def _series_stop_messages(result: SeriesRsvpResult) -> list[tuple[int, str]]:
    declined = result.count(Outcome.DECLINED)
    kept = result.count(Outcome.KEPT)
    if declined:
        summary = ngettext(
            "You are no longer going to %(count)d session of this series.",
            "You are no longer going to %(count)d sessions of this series.",
            declined,
        ) % {"count": declined}
    else:
        summary = _("Saved: you are not going to this series.")
    found = [(messages.SUCCESS, summary)]
    if kept:
        found.append(
            (
                messages.INFO,
                ngettext(
                    "The answer you gave %(count)d session yourself stays as it was.",
                    "The answers you gave %(count)d sessions yourself stay as they were.",
                    kept,
                )
                % {"count": kept},
            )
        )
    return found + _skipped_messages(result)


# --- Takeaways --------------------------------------------------------------------------------


@login_required
@require_POST
def takeaway_create_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = TakeawayForm(request.POST, session=session)
    if form.is_valid():
        try:
            takeaway_create(session_id=session.pk, author=request.user, **form.values())
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("session_detail", session.pk)
        messages.success(request, _("Thank you: your takeaway has been saved."))
        return redirect("session_detail", session.pk)
    if not may_write_takeaway(request.user, session):
        messages.error(
            request, _("Takeaways can be added from the start of the session by people who came.")
        )
        return redirect("session_detail", session.pk)
    context = _detail_context(request, session, takeaway_form=form)
    return render(request, "events/session_detail.html", context, status=400)


# --- Scheduling -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Schedule a one-off session or a series in a community (its coordinators)."""
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None or not can_create_session(request.user, community):
        raise Http404
    form = NewSessionForm(_posted(request), community=community)
    if request.method == "POST" and form.is_valid():
        try:
            if form.is_series:
                series = series_create(
                    community=community,
                    actor=request.user,
                    details=form.details(),
                    recurrence=form.recurrence(),
                )
                first = series.occurrences.order_by("start", "id").first()
                count = series.occurrences.count()
                if first is None:
                    # It starts beyond the horizon: occurrences appear as it comes closer.
                    messages.success(
                        request,
                        _(
                            "The series has been scheduled. Its sessions appear on the calendar "
                            "%(days)d days ahead."
                        )
                        % {"days": HORIZON.days},
                    )
                    return redirect("community_detail", community.slug)
                messages.success(
                    request,
                    ngettext(
                        "The series has been scheduled: %(count)d session is on the calendar.",
                        "The series has been scheduled: %(count)d sessions are on the calendar.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("session_detail", first.pk)
            session = session_create(
                community=community, actor=request.user, details=form.details()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session has been scheduled."))
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "events/session_form.html",
        {
            "form": form,
            "community": community,
            "creating": True,
            "format_defaults": format_defaults_help(),
        },
        status=status,
    )


def _managed_or_404(request: HttpRequest, session_id: int) -> Session:
    session = session_for_manager(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _managed_or_404(request, session_id)
    if session.is_cancelled:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect("session_detail", session.pk)
    if session.festival_id:  # issue 10: changed on the festival's programme
        messages.error(
            request, _("A festival session is changed on the festival's programme, not here.")
        )
        return redirect("session_detail", session.pk)
    in_series = session.series_id is not None
    form = EditSessionForm(
        _posted(request),
        initial=EditSessionForm.initial_for(session),
        community=session.community,
        current_format=session.format,
        in_series=in_series,
    )
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data.get("scope", EditSessionForm.THIS)
        try:
            if scope == EditSessionForm.ALL:
                series_update_all(
                    series_id=session.series_id, actor=request.user, details=form.details()
                )
                message = _("The whole series has been changed.")
            elif scope == EditSessionForm.FOLLOWING:
                series_split(session_id=session.pk, actor=request.user, details=form.details())
                message = _("This and the following sessions have been changed.")
            else:
                session_update(session_id=session.pk, actor=request.user, details=form.details())
                message = _("Your changes have been saved.")
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "events/session_form.html",
        {
            "form": form,
            "session": session,
            "community": session.community,
            "creating": False,
            "format_defaults": format_defaults_help(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _managed_or_404(request, session_id)
    if session.festival_id:  # issue 10: a speaker withdraws, an organiser takes it off
        messages.error(
            request, _("A festival session is changed on the festival's programme, not here.")
        )
        return redirect("session_detail", session.pk)
    if session.is_cancelled:
        messages.info(request, _("This session has already been cancelled."))
        return redirect("session_detail", session.pk)
    in_series = session.series_id is not None
    form = CancelSessionForm(_posted(request), in_series=in_series)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data.get("scope") == CancelSessionForm.REST:
                count = series_cancel_rest(session_id=session.pk, actor=request.user, reason=reason)
                message = ngettext(
                    "%(count)d session has been cancelled.",
                    "%(count)d sessions have been cancelled.",
                    count,
                ) % {"count": count}
            else:
                session_cancel(session_id=session.pk, actor=request.user, reason=reason)
                message = _("The session has been cancelled; everyone who signed up is told.")
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("session_detail", session.pk)
    status = 400 if form.errors else 200
    return render(
        request, "events/session_cancel.html", {"form": form, "session": session}, status=status
    )


# --- Hosts: attendance and the list of people -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """The hosts' checklist of who came (works on a phone); the others who said they would
    come count as no-shows."""
    session = _managed_or_404(request, session_id)
    if request.method == "POST":
        raw = request.POST.getlist("attended")
        if not all(value.isdigit() and len(value) < 19 for value in raw):
            messages.error(request, _("That list of people is not valid."))
            return redirect("session_attendance", session.pk)
        try:
            came = attendance_mark(
                session_id=session.pk,
                actor=request.user,
                attended_user_ids={int(value) for value in raw},
            )
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: %(count)d person came.",
                    "Attendance saved: %(count)d people came.",
                    came,
                )
                % {"count": came},
            )
        return redirect("session_attendance", session.pk)
    rsvps = [
        rsvp
        for rsvp in session_attendees(session=session, manages=True)
        if rsvp.status != Rsvp.Status.DECLINED or rsvp.attended
    ]
    return render(
        request,
        "events/session_attendance.html",
        {
            "session": session,
            "rsvps": rsvps,
            "came": sum(1 for rsvp in rsvps if rsvp.attended),
            "no_shows": sum(
                1 for rsvp in rsvps if rsvp.attended is False and rsvp.status == Rsvp.Status.GOING
            ),
            "started": session.start <= timezone.now(),
        },
    )


@login_required
@require_POST
def rsvp_remove_view(request: HttpRequest, session_id: int, rsvp_id: int) -> HttpResponse:
    session = _managed_or_404(request, session_id)
    try:
        rsvp = rsvp_remove(session_id=session.pk, actor=request.user, rsvp_id=rsvp_id)
    except SessionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is no longer on the list.") % {"name": rsvp.user.name}
        )
    return redirect("session_detail", session.pk)


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
        return render(
            request,
            "events/agenda.html",
            {"page": page, "this_month": timezone.localdate().strftime("%Y-%m")},
        )
    if month is None:
        month = timezone.localdate().replace(day=1)
    sessions = agenda_month(request.user, year=month.year, month=month.month)
    status = 200 if form.is_valid() else 400
    return render(
        request, "events/agenda_month.html", _month_context(request, month, sessions), status=status
    )


def _month_context(request: HttpRequest, month: date, sessions: list[Session]) -> dict:
    from zoneinfo import ZoneInfo

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


# --- The development mail viewer --------------------------------------------------------------


def _dev_only() -> None:
    if not settings.DEBUG:
        raise Http404


@require_GET
def dev_mail_list(request: HttpRequest) -> HttpResponse:
    """DEBUG only: the latest messages the outbox holds, to read mail without a mail server."""
    _dev_only()
    mails = OutboxMessage.objects.order_by("-created_at", "-id")[:100]
    return render(request, "events/dev_mail_list.html", {"mails": mails})


@require_GET
def dev_mail_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    _dev_only()
    mail = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "events/dev_mail_detail.html", {"mail": mail})
