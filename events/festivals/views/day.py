"""On the day: feedback and the rooms' check-in pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from communities.errors import DomainError
from communities.parsing import ascii_int
from events.festivals.permissions import FestivalNotFound, is_organiser, may_give_feedback
from events.festivals.selectors import (
    festival_session_for_viewer,
    room_session_now,
)
from events.festivals.services.day import (
    self_check_in,
    session_feedback_give,
    session_materials_set,
)
from events.festivals.views.access import festival_or_404
from events.sessions.services.rsvp import SessionNotFound


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Attendees give feedback (1–5 and a remark); the speakers read it. Nobody else: 404."""
    festival = festival_or_404(request, slug)
    session = festival_session_for_viewer(
        user=request.user, festival=festival, session_id=session_id
    )
    if session is None:
        raise Http404
    is_speaker = session.hosts.filter(pk=request.user.pk).exists()
    manages = is_speaker or is_organiser(request.user, festival)
    may_give = may_give_feedback(request.user, session)
    if not (manages or may_give):
        raise Http404
    if request.method == "POST" and "materials" in request.POST:
        try:
            session_materials_set(
                session_id=session.pk,
                user=request.user,
                materials=request.POST.get("materials", "")[:3000],
            )
        except FestivalNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The links have been saved."))
        return redirect("festival_feedback", festival.slug, session.pk)
    if request.method == "POST":
        score = request.POST.get("score", "")
        try:
            session_feedback_give(
                session_id=session.pk,
                user=request.user,
                score=ascii_int(score, max_digits=2) or 0,
                remark=request.POST.get("remark", "")[:1000],
            )
        except FestivalNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("festival_feedback", festival.slug, session.pk)
    return render(
        request,
        "events/festivals/feedback.html",
        {
            "festival": festival,
            "session": session,
            "is_speaker": is_speaker,
            "manages": manages,
            "may_give": may_give,
            "mine": session.feedback.filter(user=request.user).first(),
            "feedback": list(session.feedback.order_by("created_at", "pk")) if is_speaker else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_check_in(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    """The room's check-in page (print its address as a QR code on the door): GET shows the
    session on now, POST checks the person in (a link never changes state on GET)."""
    festival = festival_or_404(request, slug)
    if not festival.is_published:
        raise Http404
    room = festival.rooms.filter(pk=room_id).first()
    if room is None:
        raise Http404
    if request.method == "POST":
        try:
            session = self_check_in(room=room, user=request.user)
        except SessionNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("You are checked in for %(title)s.") % {"title": session.title}
            )
        return redirect("festival_check_in", festival.slug, room.pk)
    return render(
        request,
        "events/festivals/check_in.html",
        {"festival": festival, "room": room, "session": room_session_now(room)},
    )
