"""The hosts' pages: attendance and the list of people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from communities.parsing import ascii_int
from events.models import Rsvp
from events.sessions.selectors import session_attendees
from events.sessions.services.rsvp import SessionNotFound, attendance_mark, rsvp_remove
from events.sessions.views.scheduling import managed_or_404


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """The hosts' checklist of who came (works on a phone); the others who said they would
    come count as no-shows."""
    session = managed_or_404(request, session_id)
    if request.method == "POST":
        raw = request.POST.getlist("attended")
        ids = {ascii_int(value) for value in raw}
        if None in ids:
            messages.error(request, _("That list of people is not valid."))
            return redirect("session_attendance", session.pk)
        try:
            came = attendance_mark(
                session_id=session.pk,
                actor=request.user,
                attended_user_ids=ids,
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
        "events/sessions/session_attendance.html",
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
    session = managed_or_404(request, session_id)
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
