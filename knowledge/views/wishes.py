"""Topic wishes: the list (most interest first), wishing, a wish with its people and poll,
"plan this" (the prefilled session form), the date poll and scheduling its winner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import posted
from communities.parsing import ascii_int
from communities.selectors import communities_visible_to
from events.sessions.forms import NewSessionForm, format_defaults_help
from knowledge.forms import PollForm, WishForm
from knowledge.models import DatePoll, PollVote
from knowledge.permissions import leads
from knowledge.selectors.wishes import my_votes, poll_grid, wish_for_viewer, wish_list, wish_people
from knowledge.services.wishes import (
    WishNotFound,
    plan_details,
    poll_create,
    poll_schedule,
    poll_vote,
    volunteer_ids,
    wish_create,
    wish_interest_set,
    wish_plan,
)


@login_required
@require_http_methods(["GET"])
def wish_list_view(request: HttpRequest) -> HttpResponse:
    community = request.GET.get("community", "").replace("\x00", "")[:80]
    wishes = list(wish_list(request.user, community_slug=community)[:100])
    return render(request, "knowledge/wishes.html", {"wishes": wishes})


@login_required
@require_http_methods(["GET", "POST"])
def wish_create_view(request: HttpRequest) -> HttpResponse:
    communities = communities_visible_to(request.user).order_by("name")
    form = WishForm(posted(request), communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            wish = wish_create(
                author=request.user,
                community=form.cleaned_data["community"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your wish has been added. Colleagues can join it."))
            return redirect("wish_detail", wish.pk)
    return render(
        request, "knowledge/wish_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _wish_or_404(request: HttpRequest, wish_id: int):
    wish = wish_for_viewer(user=request.user, wish_id=wish_id)
    if wish is None:
        raise Http404
    return wish


def _managed_or_404(request: HttpRequest, wish_id: int):
    wish = _wish_or_404(request, wish_id)
    if not leads(request.user, wish.community):
        raise Http404
    return wish


@login_required
@require_http_methods(["GET"])
def wish_detail(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = _wish_or_404(request, wish_id)
    poll = DatePoll.objects.filter(wish=wish).first()
    return render(
        request,
        "knowledge/wish.html",
        {
            "wish": wish,
            "people": wish_people(wish),
            "is_lead": leads(request.user, wish.community),
            "poll": poll,
            "grid": poll_grid(poll) if poll else None,
            "my_votes": my_votes(poll, request.user) if poll else {},
            "answers": PollVote.Answer.choices,
        },
    )


@login_required
@require_POST
def wish_interest(request: HttpRequest, wish_id: int) -> HttpResponse:
    _wish_or_404(request, wish_id)
    try:
        wish_interest_set(
            wish_id=wish_id,
            user=request.user,
            kind=request.POST.get("kind", ""),
            on=request.POST.get("on") != "0",
        )
    except WishNotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("wish_detail", wish_id)


@login_required
@require_http_methods(["GET", "POST"])
def wish_plan_view(request: HttpRequest, wish_id: int) -> HttpResponse:
    """ "Plan this": the session form, prefilled with the wish's title and its volunteers."""
    wish = _managed_or_404(request, wish_id)
    initial = {
        "title": wish.title,
        "description": wish.description,
        "hosts": list(volunteer_ids(wish)),
        "format": "brown_bag",
    }
    form = NewSessionForm(posted(request), community=wish.community, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.is_series:
            form.add_error(None, _("Plan a wish as one session."))
        else:
            try:
                session = wish_plan(
                    wish_id=wish.pk,
                    actor=request.user,
                    details=plan_details(wish, form.details()),
                )
            except WishNotFound:
                raise Http404 from None
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The session has been scheduled; everyone who wished for it is told."),
                )
                return redirect("session_detail", session.pk)
    return render(
        request,
        "events/sessions/session_form.html",
        {
            "form": form,
            "community": wish.community,
            "creating": True,
            "format_defaults": format_defaults_help(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_create_view(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = _managed_or_404(request, wish_id)
    form = PollForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll_create(
                wish_id=wish.pk,
                actor=request.user,
                options=data["options"],
                format=data["format"],
                location=data["location"],
                online_url=data["online_url"],
            )
        except WishNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The dates have been offered to the people interested."))
            return redirect("wish_detail", wish.pk)
    return render(
        request,
        "knowledge/poll_form.html",
        {"form": form, "wish": wish},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def poll_vote_view(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = _wish_or_404(request, wish_id)
    poll = DatePoll.objects.filter(wish=wish).first()
    if poll is None:
        raise Http404
    answers = {}
    for key, value in request.POST.items():
        option_id = ascii_int(key.removeprefix("option_")) if key.startswith("option_") else None
        if option_id is not None and value:
            answers[option_id] = value
    try:
        poll_vote(poll_id=poll.pk, user=request.user, answers=answers)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your answers have been saved."))
    return redirect("wish_detail", wish.pk)


@login_required
@require_POST
def poll_schedule_view(request: HttpRequest, wish_id: int) -> HttpResponse:
    wish = _managed_or_404(request, wish_id)
    poll = DatePoll.objects.filter(wish=wish).first()
    if poll is None:
        raise Http404
    option_id = ascii_int(request.POST.get("option", ""))
    try:
        session = poll_schedule(poll_id=poll.pk, actor=request.user, option_id=option_id)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("wish_detail", wish.pk)
    messages.success(
        request, _("The session has been scheduled; everyone who wished for it is told.")
    )
    return redirect("session_detail", session.pk)
