"""One session's page: the cases on the table, votes, choosing the case, the rota's swaps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from intervision import selectors
from intervision.permissions import runs_session
from intervision.services.cases import case_select, case_vote
from intervision.services.scheduling import swap_answer, swap_request
from intervision.views.access import console_or_404, isession_or_404, posted_int


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = isession_or_404(request, session_id)
    group = isession.group
    candidates = list(selectors.candidates_for(isession))
    return render(
        request,
        "intervision/session.html",
        {
            "isession": isession,
            "session": isession.session,
            "group": group,
            "runs_it": runs_session(request.user, isession),
            "candidates": candidates,
            "my_vote": selectors.vote_of(user=request.user, isession=isession),
            "settings": selectors.settings_of(group),
            "members": list(selectors.active_members(group)),
            "open_swap": selectors.open_swap(isession),
            "actions": list(selectors.open_actions(group)),
            "summary": selectors.closed_summary(isession) if isession.state == "closed" else None,
        },
    )


@login_required
@require_POST
def vote(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = isession_or_404(request, session_id)
    try:
        case_vote(
            isession=isession, user=request.user, case_id=posted_int(request.POST.get("case"))
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect("intervision:session", session_id)


@login_required
@require_POST
def select(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = console_or_404(request, session_id)
    chosen = request.POST.get("case")
    try:
        case = case_select(
            isession=isession, actor=request.user, chosen=posted_int(chosen) if chosen else None
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if case is None:
            messages.info(request, _("No case is on the table."))
        else:
            messages.success(request, _("The case is chosen."))
    return redirect("intervision:session", session_id)


@login_required
@require_POST
def swap(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = isession_or_404(request, session_id)
    try:
        swap_request(
            isession=isession, actor=request.user, asked_id=posted_int(request.POST.get("asked"))
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Swap requested: the other member answers in the app."))
    return redirect("intervision:session", session_id)


@login_required
@require_POST
def swap_answer_view(request: HttpRequest, swap_id: int) -> HttpResponse:
    swap_request = selectors.swap_for_asked(user=request.user, swap_id=swap_id)
    if swap_request is None:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        swap_answer(swap_id=swap_id, actor=request.user, accept=accept)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("You present in this session.") if accept else _("Swap declined.")
        )
    return redirect("intervision:session", swap_request.isession.session_id)
