"""The festival pages: the list, a festival's grid and agenda, the builder, publishing, picking, feeds."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from communities.errors import DomainError
from communities.forms import EARLIEST_DATE, LATEST_DATE
from communities.parsing import ascii_int
from events.calendar.feeds import calendar_response, feed_links
from events.calendar.selectors import user_for_feed_token
from events.festivals.conflicts import conflict_message, programme_conflicts
from events.festivals.permissions import (
    FestivalNotFound,
    cfp_is_open,
    is_organiser,
    is_reviewer,
)
from events.festivals.selectors import (
    festival_attendance,
    festival_feed_query,
    festival_for_viewer,
    festival_page,
    festival_placements,
    festival_rooms,
    festivals_visible_to,
    programme_days_with_sessions,
    public_festival_for_feed,
)
from events.festivals.services.day import (
    festival_pick,
)
from events.festivals.services.programme import (
    programme_publish,
    proposal_place,
    proposal_unplace,
    slot_create,
)
from events.festivals.stands import leermarkt_stands, stand_grid, stand_picks
from events.festivals.views.access import festival_or_404, organised_or_404
from events.models import Festival, Proposal, Rsvp, Slot
from events.sessions.services.rsvp import SessionNotFound


@login_required
@require_GET
def festival_list(request: HttpRequest) -> HttpResponse:
    festivals = festivals_visible_to(request.user).order_by("starts_on", "pk")
    return render(request, "events/festivals/list.html", {"festivals": festivals})


@login_required
@require_GET
def festival_detail(request: HttpRequest, slug: str) -> HttpResponse:
    festival = festival_or_404(request, slug)
    filters = {
        name: request.GET.get(name, "")[:20]
        for name in ("track", "session_type", "level", "language")
    }
    context = festival_page(festival, request.user, **filters)
    if festival.is_leermarkt:
        stands = leermarkt_stands(festival, request.user)
        context.update(
            {
                "stands": stands,
                "stand_grid": stand_grid(festival, stands),
                "stand_picks": stand_picks(stands),
            }
        )
    feed_path = (
        reverse("festival_feed", args=[festival.slug])
        if festival.audience == Festival.Audience.ORGANISATION
        else None
    )
    context.update(
        {
            "grid": programme_days_with_sessions(context["grid"]),
            "filters": filters,
            "organiser": is_organiser(request.user, festival),
            "reviewer": is_reviewer(request.user, festival),
            "cfp_open": cfp_is_open(festival),
            "feed": feed_links(request, feed_path) if feed_path else None,
            "types": Proposal.Type.choices,
            "levels": Proposal.Level.choices,
            "language_choices": Proposal.Language.choices,
            "going": Rsvp.Status.GOING,
            "waitlisted": Rsvp.Status.WAITLISTED,
        }
    )
    return render(request, "events/festivals/detail.html", context)


@login_required
@require_GET
def programme_builder(request: HttpRequest, slug: str) -> HttpResponse:
    festival = organised_or_404(request, slug)
    context = festival_page(festival, request.user)
    placements = festival_placements(festival)
    conflicts = programme_conflicts(placements)
    titles = {p.pk: p.title for p in context["proposals"]}
    unplaced = list(
        festival.proposals.filter(
            state__in=[Proposal.State.ACCEPTED, Proposal.State.CONFIRMED], slot__isnull=True
        ).select_related("track")
    )
    context.update(
        {
            "unplaced": unplaced,
            "conflicts": [conflict_message(c, titles, {}) for c in conflicts],
            "versions": list(festival.versions.order_by("-number")[:5]),
            "slot_kinds": Slot.Kind.choices,
            "all_rooms": festival_rooms(festival),
            "attendance": festival_attendance(festival),
            "site_url": settings.SITE_URL,
        }
    )
    return render(request, "events/festivals/builder.html", context)


@login_required
@require_POST
def programme_place(request: HttpRequest, slug: str) -> HttpResponse:
    festival = organised_or_404(request, slug)
    proposal_id = ascii_int(request.POST.get("proposal", ""))
    slot_id = request.POST.get("slot", "")
    try:
        if proposal_id is None or not festival.proposals.filter(pk=proposal_id).exists():
            raise DomainError(_("Choose an accepted proposal."), code="proposal")
        if request.POST.get("action") == "remove":
            proposal_unplace(proposal_id=proposal_id, organiser=request.user)
            messages.success(request, _("The session has been taken off the programme."))
        else:
            proposal_place(proposal_id=proposal_id, slot_id=slot_id, organiser=request.user)
            messages.success(request, _("The session has been placed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("festival_builder", festival.slug)


def _local(festival: Festival, day: str, clock: str) -> datetime | None:
    try:
        naive = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        return None
    if not EARLIEST_DATE <= naive.date() <= LATEST_DATE:
        return None
    return naive.replace(tzinfo=ZoneInfo(festival.timezone))


@login_required
@require_POST
def programme_slot_create(request: HttpRequest, slug: str) -> HttpResponse:
    festival = organised_or_404(request, slug)
    day = request.POST.get("day", "")[:10]
    room_id = request.POST.get("room", "")
    room_pk = ascii_int(room_id)
    room = festival.rooms.filter(pk=room_pk).first() if room_pk is not None else None
    try:
        slot_create(
            festival=festival,
            organiser=request.user,
            start=_local(festival, day, request.POST.get("start", "")[:5]),
            end=_local(festival, day, request.POST.get("end", "")[:5]),
            room=room,
            kind=request.POST.get("kind", Slot.Kind.SESSION),
            label=request.POST.get("label", "")[:100],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The slot has been added."))
    return redirect("festival_builder", festival.slug)


@login_required
@require_POST
def programme_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    festival = organised_or_404(request, slug)
    try:
        version = programme_publish(festival=festival, organiser=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(number)d of the programme is published (%(changes)d changes).")
            % {"number": version.number, "changes": len(version.changes)},
        )
    return redirect("festival_builder", festival.slug)


@login_required
@require_POST
def festival_pick_view(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    festival = festival_or_404(request, slug)
    if not festival.sessions.filter(pk=session_id).exists():
        raise Http404
    try:
        rsvp = festival_pick(
            session_id=session_id, user=request.user, pick=request.POST.get("pick") != "0"
        )
    except (SessionNotFound, FestivalNotFound):
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if rsvp.status == Rsvp.Status.GOING:
            messages.success(request, _("Added to your agenda: you are going."))
        elif rsvp.status == Rsvp.Status.WAITLISTED:
            messages.warning(request, _("The room is full: you are on the waiting list."))
        else:
            messages.success(request, _("Taken off your agenda."))
    return redirect(reverse("festival_detail", args=[festival.slug]) + "#agenda")


@require_safe  # HEAD answers like GET, without the body
def festival_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The cookie-less feed of a published organisation-wide festival (restricted ones: 404)."""
    festival = public_festival_for_feed(slug)
    if festival is None:
        raise Http404
    return calendar_response(
        request,
        festival_feed_query(festival),
        name=f"{festival.name} — Kennisplein",
        filename=f"{festival.slug}.ics",
    )


@require_GET
def member_festival_feed(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    """A festival's feed under the person's token: restricted festivals too, checked against
    the festival's audience on every fetch."""
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    festival = festival_for_viewer(user=user, slug=slug)
    if festival is None or not festival.is_published:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return calendar_response(
            request,
            festival_feed_query(festival),
            name=f"{festival.name} — Kennisplein",
            filename=f"{festival.slug}.ics",
        )
