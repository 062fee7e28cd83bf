"""The RSVP links in invitation mail (issue 6): a page with one button; only POST answers.

For mail clients that show no calendar buttons. The link carries a signed, expiring token naming
the person, the session (or whole series) and the answer, so it works without signing in on the
device where the mail is read. Anything wrong with the token (forged, expired, unknown person,
a session they may no longer see) answers 404. GET never changes anything (link scanners and
previews follow links).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from communities.errors import DomainError
from communities.models import User
from events.models import Rsvp, Series, Session
from events.selectors.sessions import session_page
from events.services.invitations import RSVP_LINK_SALT
from events.services.rsvp import SessionNotFound, rsvp_set
from events.services.series_rsvp import SeriesNotFound, series_rsvp_set, series_visible_to

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
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
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
        mine = Rsvp.objects.filter(session=target.session, user=target.user).first()
        status = mine.get_status_display() if mine else None
    return render(
        request,
        "events/rsvp_link.html",
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
