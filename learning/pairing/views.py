"""Pairing pages: the programmes I may join with skip and pause (one click each), starting a
programme, and running a round now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import posted
from learning.pairing import selectors
from learning.pairing.forms import ProgrammeForm
from learning.pairing.services import (
    pairing_join,
    pairing_leave,
    pairing_programme_create,
    pairing_round_run,
    pairing_set,
)
from learning.selectors import communities_led_by


@login_required
@require_GET
def pairing(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(selectors.programmes_for(user))
    opt_ins = selectors.opt_ins_of(user)
    pairs = selectors.latest_pairs_of(user)
    led = list(communities_led_by(user))
    led_ids = {c.pk for c in led}
    rows = [
        {
            "programme": programme,
            "opt_in": opt_ins.get(programme.pk),
            "pair": pairs.get(programme.pk),
            "partners": [
                p
                for p in (
                    (
                        pairs[programme.pk].first,
                        pairs[programme.pk].second,
                        pairs[programme.pk].third,
                    )
                    if programme.pk in pairs
                    else ()
                )
                if p is not None and p.pk != user.pk
            ],
            "may_run": selectors.may_run(user, programme, led_ids=led_ids),
        }
        for programme in programmes
    ]
    return render(
        request,
        "learning/pairing/pairing.html",
        {"rows": rows, "may_start": user.is_staff or bool(led)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    communities = list(communities_led_by(request.user))
    if not (communities or request.user.is_staff):
        raise Http404
    form = ProgrammeForm(
        posted(request), communities=communities, allow_organisation=request.user.is_staff
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing_programme_create(
                actor=request.user,
                community=next((c for c in communities if c.pk == data["community"]), None),
                name=data["name"],
                cadence_weeks=data["cadence_weeks"],
                first_round_on=data["first_round_on"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The pairing programme has started."))
            return redirect("learning:pairing")
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/pairing/new.html", {"form": form}, status=status)


def _act(request: HttpRequest, programme_id: int, action, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("learning:pairing")


@login_required
@require_POST
def join(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _act(
        request,
        programme_id,
        lambda: pairing_join(programme_id=programme_id, user=request.user),
        _("You take part from the next round on."),
    )


@login_required
@require_POST
def leave(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _act(
        request,
        programme_id,
        lambda: pairing_leave(programme_id=programme_id, user=request.user),
        _("You no longer take part."),
    )


@login_required
@require_POST
def skip(request: HttpRequest, programme_id: int) -> HttpResponse:
    on = request.POST.get("skip") != "0"
    return _act(
        request,
        programme_id,
        lambda: pairing_set(programme_id=programme_id, user=request.user, skip_next=on),
        _("You skip the next round.") if on else _("You are in the next round again."),
    )


@login_required
@require_POST
def pause(request: HttpRequest, programme_id: int) -> HttpResponse:
    on = request.POST.get("pause") != "0"
    return _act(
        request,
        programme_id,
        lambda: pairing_set(programme_id=programme_id, user=request.user, paused=on),
        _("Pairing is paused for you.") if on else _("Welcome back: you are paired again."),
    )


@login_required
@require_POST
def run(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_for(user=request.user, programme_id=programme_id)
    if programme is None or not selectors.may_run(request.user, programme):
        raise Http404
    made = pairing_round_run(programme_id=programme.pk)
    if made is None:
        messages.error(request, _("Fewer than two people take part: no round was made."))
    else:
        messages.success(
            request,
            _("Round %(number)s: %(pairs)s pairs were introduced.")
            % {"number": made.number, "pairs": made.pairs.count()},
        )
    return redirect("learning:pairing")
