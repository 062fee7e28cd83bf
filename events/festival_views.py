"""Festival pages (issue 10): the programme, the call for proposals, review, the programme
builder, publishing, picking sessions and the festival feed.

A festival or proposal the viewer may not see answers 404; services raise DomainError for
anything a person can get wrong: the message is shown and nothing changes.
"""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from events.feeds import _calendar_response, feed_links
from events.festival_conflicts import programme_conflicts
from events.models import Festival, Proposal, Room, Rsvp, Slot
from events.models.festivals import SESSION_TYPE_MINUTES
from events.selectors.calendar import user_for_feed_token
from events.selectors.festivals import (
    festival_attendance,
    festival_feed_sessions,
    festival_for_viewer,
    festival_page,
    festival_session_for_viewer,
    festivals_visible_to,
    proposal_for_viewer,
    proposals_for_review,
    public_festival_for_feed,
    reviews_visible_to,
    speaker_page,
    speaker_photo,
)
from events.services.festivals import (
    FestivalNotFound,
    cfp_is_open,
    conflict_message,
    festival_pick,
    festival_placements,
    is_organiser,
    is_reviewer,
    may_give_feedback,
    programme_publish,
    proposal_co_speaker_confirm,
    proposal_confirm,
    proposal_decide,
    proposal_place,
    proposal_review,
    proposal_submit,
    proposal_unplace,
    proposal_update,
    proposal_withdraw,
    room_session_now,
    self_check_in,
    session_feedback_give,
    session_materials_set,
    slot_create,
    speaker_profile_update,
)
from events.services.rsvp import SessionNotFound


def _festival_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = festival_for_viewer(user=request.user, slug=slug)
    if festival is None:
        raise Http404
    return festival


def _organised_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = _festival_or_404(request, slug)
    if not is_organiser(request.user, festival):
        raise Http404
    return festival


def _reviewed_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = _festival_or_404(request, slug)
    if not is_reviewer(request.user, festival):
        raise Http404
    return festival


@login_required
@require_GET
def festival_list(request: HttpRequest) -> HttpResponse:
    festivals = festivals_visible_to(request.user).order_by("starts_on", "pk")
    return render(request, "events/festivals/list.html", {"festivals": festivals})


@login_required
@require_GET
def festival_detail(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _festival_or_404(request, slug)
    filters = {
        name: request.GET.get(name, "")[:20]
        for name in ("track", "session_type", "level", "language")
    }
    context = festival_page(festival, request.user, **filters)
    feed_path = (
        reverse("festival_feed", args=[festival.slug])
        if festival.audience == Festival.Audience.ORGANISATION
        else None
    )
    context.update(
        {
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


def _proposal_fields(request: HttpRequest, festival: Festival) -> dict:
    track_id = request.POST.get("track", "")
    track = festival.tracks.filter(pk=int(track_id)).first() if track_id.isdigit() else None
    duration = request.POST.get("duration", "")
    return {
        "title": request.POST.get("title", "")[:200],
        "abstract": request.POST.get("abstract", "")[:3000],
        "session_type": request.POST.get("session_type", ""),
        "level": request.POST.get("level", ""),
        "language": request.POST.get("language", ""),
        "duration": int(duration) if duration.isdigit() and len(duration) < 4 else None,
        "track": track,
    }


def _co_speakers(request: HttpRequest) -> list[str]:
    raw = request.POST.get("co_speakers", "")[:1000]
    return [part for part in raw.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


def _form_context(festival: Festival, values: dict) -> dict:
    return {
        "festival": festival,
        "values": values,
        "types": [
            (value, label, *SESSION_TYPE_MINUTES[value]) for value, label in Proposal.Type.choices
        ],
        "levels": Proposal.Level.choices,
        "language_choices": Proposal.Language.choices,
        "tracks": list(festival.tracks.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _festival_or_404(request, slug)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            proposal = proposal_submit(
                festival=festival,
                speaker=request.user,
                co_speaker_emails=_co_speakers(request),
                **_proposal_fields(request, festival),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your proposal has been sent for review."))
            return redirect("festival_proposal", festival.slug, proposal.pk)
    elif not cfp_is_open(festival):
        messages.info(request, _("The call for proposals is not open."))
    context = _form_context(festival, values)
    context["cfp_open"] = cfp_is_open(festival)
    return render(request, "events/festivals/proposal_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    festival = _festival_or_404(request, slug)
    proposal = proposal_for_viewer(user=request.user, festival=festival, proposal_id=proposal_id)
    if proposal is None:
        raise Http404
    is_speaker = proposal.speaker_id == request.user.pk
    if request.method == "POST":
        if not is_speaker:
            raise Http404
        try:
            proposal_update(
                proposal_id=proposal.pk,
                speaker=request.user,
                co_speaker_emails=_co_speakers(request),
                **_proposal_fields(request, festival),
            )
        except FestivalNotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your proposal has been saved."))
        return redirect("festival_proposal", festival.slug, proposal.pk)
    mine, others = reviews_visible_to(user=request.user, proposal=proposal)
    values = {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "session_type": proposal.session_type,
        "level": proposal.level,
        "language": proposal.language,
        "duration": proposal.duration,
        "track": str(proposal.track_id or ""),
        "co_speakers": ", ".join(p.email for p in proposal.co_speakers.all()),
    }
    context = _form_context(festival, values)
    context.update(
        {
            "proposal": proposal,
            "is_speaker": is_speaker,
            "co_speaker_rows": list(proposal.co_speaker_rows.select_related("user")),
            "may_edit": is_speaker
            and cfp_is_open(festival)
            and proposal.state != Proposal.State.WITHDRAWN,
            "reviewer": is_reviewer(request.user, festival) and not is_speaker,
            "organiser": is_organiser(request.user, festival),
            "my_review": mine,
            "other_reviews": others,
            "decisions": [
                (Proposal.State.ACCEPTED, _("Accept")),
                (Proposal.State.WAITLISTED, _("Wait-list")),
                (Proposal.State.REJECTED, _("Reject")),
            ],
        }
    )
    return render(request, "events/festivals/proposal_detail.html", context)


def _proposal_action(request, slug, proposal_id, action, success: str) -> HttpResponse:
    festival = _festival_or_404(request, slug)
    try:
        action(festival)
    except FestivalNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("festival_proposal", festival.slug, proposal_id)


@login_required
@require_POST
def proposal_withdraw_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    return _proposal_action(
        request,
        slug,
        proposal_id,
        lambda festival: proposal_withdraw(proposal_id=proposal_id, speaker=request.user),
        _("Your proposal has been withdrawn."),
    )


@login_required
@require_POST
def co_speaker_confirm_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    return _proposal_action(
        request,
        slug,
        proposal_id,
        lambda festival: proposal_co_speaker_confirm(proposal_id=proposal_id, user=request.user),
        _("Thank you: you have confirmed that you speak too."),
    )


@login_required
@require_POST
def proposal_confirm_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    return _proposal_action(
        request,
        slug,
        proposal_id,
        lambda festival: proposal_confirm(proposal_id=proposal_id, speaker=request.user),
        _("Thank you: you have confirmed your session."),
    )


@login_required
@require_POST
def proposal_review_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    score = request.POST.get("score", "")

    def review(festival):
        if (
            proposal_for_viewer(user=request.user, festival=festival, proposal_id=proposal_id)
            is None
        ):
            raise FestivalNotFound("", code="not_found")
        return proposal_review(
            proposal_id=proposal_id,
            reviewer=request.user,
            score=int(score) if score.isdigit() and len(score) < 3 else 0,
            comment=request.POST.get("comment", "")[:2000],
        )

    return _proposal_action(request, slug, proposal_id, review, _("Your review has been saved."))


@login_required
@require_POST
def proposal_decide_view(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    def decide(festival):
        if not is_organiser(request.user, festival):
            raise FestivalNotFound("", code="not_found")
        if not festival.proposals.filter(pk=proposal_id).exists():
            raise FestivalNotFound("", code="not_found")
        return proposal_decide(
            proposal_id=proposal_id,
            organiser=request.user,
            decision=request.POST.get("decision", ""),
        )

    return _proposal_action(
        request, slug, proposal_id, decide, _("The decision has been saved; the speaker is told.")
    )


@login_required
@require_GET
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _reviewed_or_404(request, slug)
    return render(
        request,
        "events/festivals/review_list.html",
        {
            "festival": festival,
            "proposals": proposals_for_review(festival, request.user),
            "organiser": is_organiser(request.user, festival),
        },
    )


@login_required
@require_GET
def programme_builder(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _organised_or_404(request, slug)
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
            "all_rooms": list(Room.objects.filter(festival=festival)),
            "attendance": festival_attendance(festival),
            "site_url": settings.SITE_URL,
        }
    )
    return render(request, "events/festivals/builder.html", context)


@login_required
@require_POST
def programme_place(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _organised_or_404(request, slug)
    proposal_id = request.POST.get("proposal", "")
    slot_id = request.POST.get("slot", "")
    try:
        if (
            not proposal_id.isdigit()
            or len(proposal_id) > 9
            or not festival.proposals.filter(pk=proposal_id).exists()
        ):
            raise DomainError(_("Choose an accepted proposal."), code="proposal")
        if request.POST.get("action") == "remove":
            proposal_unplace(proposal_id=int(proposal_id), organiser=request.user)
            messages.success(request, _("The session has been taken off the programme."))
        else:
            proposal_place(proposal_id=int(proposal_id), slot_id=slot_id, organiser=request.user)
            messages.success(request, _("The session has been placed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("festival_builder", festival.slug)


def _local(festival: Festival, day: str, clock: str) -> datetime | None:
    try:
        naive = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        return None
    return naive.replace(tzinfo=ZoneInfo(festival.timezone))


@login_required
@require_POST
def programme_slot_create(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _organised_or_404(request, slug)
    day = request.POST.get("day", "")[:10]
    room_id = request.POST.get("room", "")
    room = festival.rooms.filter(pk=int(room_id)).first() if room_id.isdigit() else None
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
    festival = _organised_or_404(request, slug)
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
    festival = _festival_or_404(request, slug)
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


@require_GET
def festival_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The cookie-less feed of a published organisation-wide festival (restricted ones: 404)."""
    festival = public_festival_for_feed(slug)
    if festival is None:
        raise Http404
    return _calendar_response(
        request,
        festival_feed_sessions(festival),
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
        return _calendar_response(
            request,
            festival_feed_sessions(festival),
            name=f"{festival.name} — Kennisplein",
            filename=f"{festival.slug}.ics",
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Attendees give feedback (1–5 and a remark); the speakers read it. Nobody else: 404."""
    festival = _festival_or_404(request, slug)
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
                score=int(score) if score.isdigit() and len(score) < 3 else 0,
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
@require_GET
def speaker_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    page = speaker_page(viewer=request.user, user_id=user_id)
    if page is None:
        raise Http404
    page["is_me"] = page["speaker"].pk == request.user.pk
    return render(request, "events/festivals/speaker.html", page)


@login_required
@require_GET
def speaker_photo_view(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = speaker_photo(viewer=request.user, user_id=user_id)
    if profile is None or not profile.photo:
        raise Http404
    response = HttpResponse(bytes(profile.photo), content_type=profile.photo_content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request: HttpRequest) -> HttpResponse:
    from events.forms import SpeakerProfileForm
    from events.models import SpeakerProfile

    profile = SpeakerProfile.objects.filter(user=request.user).defer("photo").first()
    form = SpeakerProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"bio": profile.bio if profile else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            speaker_profile_update(
                user=request.user,
                bio=form.cleaned_data["bio"],
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your speaker page has been saved."))
            return redirect("speaker_detail", request.user.pk)
    return render(request, "events/festivals/speaker_form.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def room_check_in(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    """The room's check-in page (print its address as a QR code on the door): GET shows the
    session on now, POST checks the person in (a link never changes state on GET)."""
    festival = _festival_or_404(request, slug)
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
