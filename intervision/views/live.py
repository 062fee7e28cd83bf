"""The live console (facilitator) and the participants' view: the polled state, controls,
items, the closing panel and closing the session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from intervision import selectors
from intervision.forms import (
    ActionForm,
    EvaluationForm,
    LiveItemForm,
)
from intervision.models import (
    IntervisionSession,
)
from intervision.permissions import runs_session
from intervision.services.closing import intervision_session_close, presenter_copy_choose
from intervision.services.live import (
    action_add,
    action_follow_up,
    attendance_set,
    evaluation_set,
    live_control,
    live_item_add,
)
from intervision.views.access import (
    CONFIDENTIAL_FIELDS,
    agreed_or_redirect,
    console_or_404,
    isession_or_404,
    posted_int,
)


def _live_context(request: HttpRequest, isession: IntervisionSession) -> dict:
    isession.refresh_from_db()
    snapshot = selectors.live_snapshot(isession)
    members = list(selectors.active_members(isession.group))
    run = snapshot["current"]
    spoken = set(run.turns) if run is not None else set()
    return {
        **snapshot,
        "group": isession.group,
        "session": isession.session,
        "case": selectors.selected_case(isession),
        "members": members,
        "spoken": spoken,
        "runs_it": runs_session(request.user, isession),
        "is_presenter": isession.presenter_id == request.user.pk,
    }


@login_required
@require_GET
def console(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = console_or_404(request, session_id)
    context = _live_context(request, isession)
    context.update(_closing_context(request, isession))
    return render(request, "intervision/console.html", context)


def _closing_context(request: HttpRequest, isession: IntervisionSession) -> dict:
    members = list(selectors.active_members(isession.group))
    attendance = selectors.attendance_of(isession)
    return {
        "present_ids": {user_id for user_id, present in attendance.items() if present},
        "action_form": ActionForm(members=members),
        "evaluation_form": EvaluationForm(),
        "attendance": attendance,
        "evaluations": selectors.evaluation_count(isession),
        "session_actions": selectors.session_actions(isession),
        "open_actions": list(selectors.open_actions(isession.group).exclude(isession=isession)),
        "items": selectors.live_items(isession) if runs_session(request.user, isession) else [],
    }


@login_required
@require_POST
def control(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = console_or_404(request, session_id)
    try:
        live_control(
            isession_id=isession.pk,
            actor=request.user,
            action=request.POST.get("action", ""),
            version=posted_int(request.POST.get("version")),
            person_id=posted_int(request.POST.get("person"))
            if request.POST.get("person")
            else None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        if request.htmx:
            # htmx swaps only 2xx answers: the refreshed state comes with the message.
            return render(
                request,
                "intervision/_live.html",
                {**_live_context(request, isession), "console": True, "error": error.message},
            )
    if request.htmx:
        return render(
            request, "intervision/_live.html", {**_live_context(request, isession), "console": True}
        )
    return redirect("intervision:console", session_id)


@login_required
@require_GET
def follow(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = isession_or_404(request, session_id)
    blocked = agreed_or_redirect(request, isession.group)
    if blocked:
        return blocked
    context = _live_context(request, isession)
    context["item_form"] = LiveItemForm()
    context["evaluation_form"] = EvaluationForm()
    context["my_items"] = selectors.live_items_of(user=request.user, isession=isession)
    return render(request, "intervision/follow.html", context)


@login_required
@require_GET
def live(request: HttpRequest, session_id: int) -> HttpResponse:
    """The polled fragment: current phase, rule card, countdown (htmx every 1–2 s).

    The poll carries the version the page shows; while it is current the answer is 204 (htmx
    swaps nothing, the countdown runs on in the browser), so a click is never lost to a swap.
    """
    isession = isession_or_404(request, session_id)
    if request.GET.get("v") == str(isession.version):
        return HttpResponse(status=204)
    context = _live_context(request, isession)
    context["console"] = bool(request.GET.get("console")) and context["runs_it"]
    return render(request, "intervision/_live.html", context)


@sensitive_variables()
@sensitive_post_parameters(*CONFIDENTIAL_FIELDS)
@login_required
@require_POST
def items(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = isession_or_404(request, session_id)
    blocked = agreed_or_redirect(request, isession.group)
    if blocked:
        return blocked
    form = LiveItemForm(request.POST)
    if form.is_valid():
        try:
            live_item_add(
                isession=isession,
                author=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                keep=form.cleaned_data["keep"] or "",
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Added; it is erased when the session closes."))
    else:
        messages.error(request, _("Write something, at most 1,000 characters."))
    return redirect("intervision:follow", session_id)


@sensitive_variables()
@sensitive_post_parameters(*CONFIDENTIAL_FIELDS)
@login_required
@require_POST
def closing(request: HttpRequest, session_id: int) -> HttpResponse:
    """The closing panel's forms: evaluation, action, attendance, private copy, follow-up."""
    isession = isession_or_404(request, session_id)
    what = request.POST.get("what")
    runs_it = runs_session(request.user, isession)
    back = "intervision:console" if runs_it and what != "evaluation" else "intervision:follow"
    try:
        if what == "evaluation":
            form = EvaluationForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give a score from 1 to 5."), code="score")
            evaluation_set(isession=isession, user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your evaluation."))
        elif what == "action":
            form = ActionForm(request.POST, members=selectors.active_members(isession.group))
            if not form.is_valid():
                raise DomainError(_("Give an owner, what and by when."), code="action")
            action_add(
                isession=isession,
                actor=request.user,
                owner_id=form.cleaned_data["owner"],
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
            )
            messages.success(request, _("Action added."))
        elif what == "attendance":
            present = {posted_int(v) for v in request.POST.getlist("present")}
            attendance_set(isession=isession, actor=request.user, present_ids=present)
            messages.success(request, _("Attendance saved."))
        elif what == "copy":
            presenter_copy_choose(
                isession=isession, user=request.user, keep=request.POST.get("keep") == "yes"
            )
            messages.success(request, _("Your choice is saved."))
            back = "intervision:follow"
        elif what == "followup":
            action_follow_up(
                action_id=posted_int(request.POST.get("action")),
                actor=request.user,
                status=request.POST.get("status", ""),
                isession=isession,
            )
            messages.success(request, _("Action updated."))
        else:
            raise DomainError(_("Unknown action."), code="what")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back, session_id)


@sensitive_variables()
@sensitive_post_parameters(*CONFIDENTIAL_FIELDS)
@login_required
@require_POST
def close(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = console_or_404(request, session_id)
    try:
        intervision_session_close(
            isession_id=isession.pk, actor=request.user, theme=request.POST.get("theme", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("intervision:console", session_id)
    messages.success(request, _("The session is closed and the case details are erased."))
    return redirect("intervision:session", session_id)
