"""Proposals: the call, a proposal's page and what speakers, reviewers and organisers do with it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.parsing import ascii_int
from events.festivals.models import SESSION_TYPE_MINUTES
from events.festivals.permissions import FestivalNotFound, cfp_is_open, is_organiser, is_reviewer
from events.festivals.selectors import (
    proposal_for_viewer,
    proposals_for_review,
    reviews_visible_to,
)
from events.festivals.services.proposals import (
    proposal_co_speaker_confirm,
    proposal_confirm,
    proposal_decide,
    proposal_review,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from events.festivals.views.access import festival_or_404, reviewed_or_404
from events.models import Festival, Proposal


def _proposal_fields(request: HttpRequest, festival: Festival) -> dict:
    track_id = request.POST.get("track", "")
    track_pk = ascii_int(track_id)
    track = festival.tracks.filter(pk=track_pk).first() if track_pk is not None else None
    duration = request.POST.get("duration", "")
    return {
        "title": request.POST.get("title", "")[:200],
        "abstract": request.POST.get("abstract", "")[:3000],
        "session_type": request.POST.get("session_type", ""),
        "level": request.POST.get("level", ""),
        "language": request.POST.get("language", ""),
        "duration": ascii_int(duration, max_digits=3),
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
    festival = festival_or_404(request, slug)
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
    festival = festival_or_404(request, slug)
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
    festival = festival_or_404(request, slug)
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
            score=ascii_int(score, max_digits=2) or 0,
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
    festival = reviewed_or_404(request, slug)
    return render(
        request,
        "events/festivals/review_list.html",
        {
            "festival": festival,
            "proposals": proposals_for_review(festival, request.user),
            "organiser": is_organiser(request.user, festival),
        },
    )
