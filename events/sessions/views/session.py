"""The session page and answering it (RSVP)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from communities.http import first_error
from events.calendar.ical.feed import session_event
from events.calendar.ical.links import google_calendar_link, outlook_web_link
from events.calendar.selectors import answered_from_calendar
from events.extensions import session_panels
from events.models import Rsvp, Session
from events.series.selectors import goes_to_series
from events.sessions.forms import RsvpForm
from events.sessions.permissions import can_manage_session, is_active_member
from events.sessions.selectors import (
    may_see_attendees,
    rsvp_of,
    session_attendees,
    session_page,
    session_panel,
    viewer_timezone,
    waitlist_position,
)
from events.sessions.services.rsvp import SessionNotFound, rsvp_set
from events.takeaways.forms import TakeawayForm
from events.takeaways.permissions import may_write_takeaway
from events.takeaways.selectors.reading import session_takeaways


def session_or_404(request: HttpRequest, session_id: int) -> Session:
    session = session_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def session_page_context(request: HttpRequest, session: Session, **extra) -> dict:
    user = request.user
    now = timezone.now()
    people = people_context(request, session)
    rsvp = rsvp_of(user=user, session=session)
    member = is_active_member(user, session.community)
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
        **people,
        "my_rsvp": rsvp,
        "my_position": waitlist_position(rsvp) if rsvp else None,
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
        "session_panels": session_panels(user, session),
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
    session = session_or_404(request, session_id)
    return render(
        request, "events/sessions/session_detail.html", session_page_context(request, session)
    )


@login_required
@require_POST
def session_rsvp(request: HttpRequest, session_id: int) -> HttpResponse:
    """POST status=going|maybe|declined (+ guests, mode). htmx gets the RSVP panel back.

    The session is not read before the answer: ``rsvp_set`` checks that the person may see it
    (404 otherwise) and holds its lock only for the recount and the write. The panel is then
    drawn from one read of the session with its counts and the answer the service returned."""
    form = RsvpForm(request.POST)
    rsvp = position = None
    try:
        if not form.is_valid():
            session_or_404(request, session_id)  # a bad form on a hidden session is still 404
            raise DomainError(first_error(form))
        rsvp = rsvp_set(session_id=session_id, user=request.user, **form.answer(None))
    except SessionNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        position = waitlist_position(rsvp)
        messages.success(request, _rsvp_message(rsvp, position))
    if not request.htmx:
        return redirect("session_detail", session_id)
    session = session_panel(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    if rsvp is None:
        rsvp = rsvp_of(user=request.user, session=session)
        position = waitlist_position(rsvp) if rsvp else None
    return render(
        request,
        "events/sessions/_rsvp_response.html",
        rsvp_panel_context(request, session, rsvp, position) | people_context(request, session),
    )


def people_context(request: HttpRequest, session: Session) -> dict:
    """Who is coming, for the page and for an answer's out-of-band update of the list."""
    manages = can_manage_session(request.user, session)
    attendees = (
        session_attendees(session=session, manages=manages)
        if may_see_attendees(request.user, session, manages=manages)
        else None
    )
    return {
        "manages": manages,
        "attendees": attendees,
        "going": [r for r in attendees or [] if r.status == Rsvp.Status.GOING],
        "maybe": [r for r in attendees or [] if r.status == Rsvp.Status.MAYBE],
        "waitlisted": [r for r in attendees or [] if r.status == Rsvp.Status.WAITLISTED],
        "declined": [r for r in attendees or [] if r.status == Rsvp.Status.DECLINED],
    }


def rsvp_panel_context(
    request: HttpRequest, session: Session, rsvp: Rsvp | None, position: int | None
) -> dict:
    """What the RSVP panel shows (a subset of ``session_page_context``, same names)."""
    user = request.user
    now = timezone.now()
    over = session.end <= now
    blocked = session.members_only and not is_active_member(user, session.community)
    seats_left = None
    if session.capacity is not None:
        seats_left = max(session.capacity - session.seats_taken, 0)
    online_left = None
    if session.online_capacity is not None:
        online_left = max(session.online_capacity - session.online_going, 0)
    initial = {"status": rsvp.status, "guests": rsvp.guests, "mode": rsvp.mode} if rsvp else {}
    return {
        "session": session,
        "my_rsvp": rsvp,
        "my_position": position,
        "seats_left": seats_left,
        "online_left": online_left,
        "over": over,
        "started": session.start <= now,
        "deadline_passed": bool(session.rsvp_deadline and session.rsvp_deadline <= now),
        "members_only_blocked": blocked,
        "may_answer": not session.is_cancelled and not over and not blocked,
        "rsvp_form": RsvpForm(initial=initial),
        "series_going": goes_to_series(user=user, series_id=session.series_id),
        "answered_from_calendar": answered_from_calendar(user=user, session=session)
        if rsvp
        else None,
    }


def _rsvp_message(rsvp: Rsvp, position: int | None) -> str:
    if rsvp.status == Rsvp.Status.GOING:
        return _("You are going. See you there!")
    if rsvp.status == Rsvp.Status.WAITLISTED:
        return _("The session is full: you are on the waiting list, number %(position)d.") % {
            "position": position
        }
    if rsvp.status == Rsvp.Status.MAYBE:
        return _("Saved: maybe.")
    return _("Saved: you are not going.")
