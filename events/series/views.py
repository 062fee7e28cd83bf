"""A whole series: "going to all upcoming" and stopping, with what happened to each occurrence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from communities.forms import InviteForm
from communities.parsing import ascii_int
from communities.permissions import can_manage_community
from events.models import Rsvp
from events.series.recurrence import HORIZON
from events.series.selectors import (
    community_series_upcoming,
    goes_to_series,
    series_for_viewer,
    series_occurrences_for,
)
from events.series.services.rsvp import Outcome, SeriesRsvpResult, series_rsvp_set
from events.sessions.permissions import can_create_session
from events.sessions.selectors import sessions_visible_to, viewer_timezone
from events.sessions.services.rsvp import SessionNotFound
from events.sessions.views.session import session_or_404, session_page_context


@login_required
@require_GET
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series: its sessions with the viewer's answer on each, and "going to the series"."""
    series = series_for_viewer(user=request.user, series_id=series_id)
    if series is None:
        raise Http404
    return render(request, "events/series/series_detail.html", _series_context(request, series))


def _series_context(request: HttpRequest, series) -> dict:
    now = timezone.now()
    manages = can_create_session(request.user, series.community) and can_manage_community(
        request.user, series.community
    )
    occurrences = series_occurrences_for(user=request.user, series=series)
    return {
        "series": series,
        "upcoming": [o for o in occurrences if o.end > now],
        "past": [o for o in occurrences if o.end <= now][-5:],
        "series_going": goes_to_series(user=request.user, series_id=series.pk),
        "viewer_zone": viewer_timezone(request.user),
        "horizon_days": HORIZON.days,
        "manages": manages,
        "invite_form": InviteForm() if manages else None,
    }


@login_required
@require_POST
def series_rsvp(request: HttpRequest, series_id: int) -> HttpResponse:
    """POST status=going|declined for every upcoming session of a series (and those planned
    later); ``session`` is the occurrence whose page the buttons were on (back to it; htmx gets
    its RSVP panel). One transaction per occurrence: the queries grow with the occurrences."""
    series = series_for_viewer(user=request.user, series_id=series_id)
    if series is None:
        raise Http404
    from_series_page = request.POST.get("from") == "series"
    back = None if from_series_page else _occurrence_to_return_to(request, series.pk)
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
    if from_series_page:
        if request.htmx:
            fresh = series_for_viewer(user=request.user, series_id=series.pk)
            return render(
                request,
                "events/series/series_detail.html#series-answers",
                _series_context(request, fresh),
            )
        return redirect("series_detail", series.pk)
    if back is None:
        return redirect("community_detail", series.community.slug)
    if request.htmx:
        fresh = session_or_404(request, back)
        return render(
            request,
            "events/sessions/_rsvp_response.html",
            session_page_context(request, fresh),
        )
    return redirect("session_detail", back)


def _occurrence_to_return_to(request: HttpRequest, series_id: int) -> int | None:
    """The posted occurrence when it is one of this series the person may see, else the
    series' next one (else None: back to the community)."""
    occurrences = sessions_visible_to(request.user).filter(series_id=series_id)
    posted = request.POST.get("session", "")
    if (posted_id := ascii_int(posted)) is not None:
        found = occurrences.filter(pk=posted_id).values_list("pk", flat=True).first()
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


def invitation_series_offer(user, community) -> dict:
    """The invitation page offers the community's running series ("going to the series")."""
    return {"series_offers": community_series_upcoming(community=community, now=timezone.now())}


def invitation_series_answer(user, community, chosen: list[str]) -> tuple[str, list[str]] | None:
    """After accepting: "going" to each series the invitee left ticked; lands on the first."""
    offered = {s.pk for s in community_series_upcoming(community=community, now=timezone.now())}
    ids = [i for i in map(ascii_int, chosen) if i in offered]
    if not ids:
        return None
    texts: list[str] = []
    for series_id in ids:
        try:
            result = series_rsvp_set(series_id=series_id, user=user, status=Rsvp.Status.GOING)
        except (DomainError, SessionNotFound):
            continue
        texts.extend(text for _level, text in _series_messages(result))
    return reverse("series_detail", args=[ids[0]]), texts
