"""Intervision pages. Everything of a group answers 404 to people outside it (DESIGN.md §6).

Case text and live items are rendered for the group only; nothing here logs them.
"""

import csv
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.models import Community
from events.models import Session
from events.sessions.services.scheduling import SessionDetails
from intervision import selectors, services
from intervision.forms import (
    ActionForm,
    CaseForm,
    EvaluationForm,
    LiveItemForm,
    ScheduleForm,
    SettingsForm,
)
from intervision.models import (
    Attendance,
    Case,
    CaseVote,
    Evaluation,
    IntervisionSession,
    LiveItem,
    Method,
    PresenterCopy,
    SwapRequest,
)


def _role_labels() -> dict:
    return {
        "presenter": _("case presenter"),
        "facilitator": _("facilitator"),
        "timekeeper": _("timekeeper"),
        "participant": _("participant"),
    }


def _group(request: HttpRequest, slug: str) -> Community:
    group = selectors.group_for_member(user=request.user, slug=slug)
    if group is None:
        raise Http404
    return group


def _lead_group(request: HttpRequest, slug: str) -> Community:
    group = _group(request, slug)
    if not selectors.leads_group(request.user, group):
        raise Http404
    return group


def _isession(request: HttpRequest, session_id: int) -> IntervisionSession:
    isession = selectors.isession_for_member(user=request.user, session_id=session_id)
    if isession is None:
        raise Http404
    return isession


def _console(request: HttpRequest, session_id: int) -> IntervisionSession:
    isession = _isession(request, session_id)
    if not selectors.runs_session(request.user, isession):
        raise Http404
    return isession


def _agreed_or_redirect(request: HttpRequest, group: Community) -> HttpResponse | None:
    if selectors.has_accepted_agreement(request.user, group):
        return None
    messages.info(request, _("Accept the group agreement before your first session."))
    return redirect("intervision:agreement", group.slug)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "intervision/home.html",
        {"groups": list(selectors.groups_of(request.user)), "methods": _catalogue()},
    )


def _catalogue():
    return list(Method.objects.filter(group__isnull=True).prefetch_related("phases"))


@login_required
@require_GET
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    settings = selectors.settings_of(group)
    upcoming = selectors.upcoming_sessions(group)
    known = {
        i.session_id: i
        for i in IntervisionSession.objects.filter(session__in=upcoming).select_related(
            "session", "method", "presenter", "facilitator"
        )
    }
    # Occurrences of a series get their intervision side on first sight.
    isessions = [known.get(s.pk) or services.intervision_for_session(session=s) for s in upcoming]
    return render(
        request,
        "intervision/group.html",
        {
            "group": group,
            "settings": settings,
            "leads": selectors.leads_group(request.user, group),
            "accepted": selectors.has_accepted_agreement(request.user, group),
            "warnings": selectors.group_warnings(group),
            "proposed": selectors.proposed_presenters(group, count=3),
            "members": list(selectors.active_members(group)),
            "upcoming": isessions,
            "past": list(selectors.past_sessions(group)[:12]),
            "my_cases": list(
                Case.objects.filter(group=group, presenter=request.user).order_by("-submitted_at")
            ),
            "actions": list(selectors.open_actions(group)),
            "methods": list(selectors.methods_for(group)),
            "swaps": list(
                SwapRequest.objects.filter(
                    asked=request.user, state=SwapRequest.State.PENDING, isession__group=group
                ).select_related("requested_by", "isession__session")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    if request.method == "POST":
        services.agreement_accept(group=group, user=request.user)
        messages.success(request, _("You accepted the group agreement."))
        return redirect("intervision:group", group.slug)
    return render(
        request,
        "intervision/agreement.html",
        {
            "group": group,
            "settings": selectors.settings_of(group),
            "accepted": selectors.has_accepted_agreement(request.user, group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_settings(request: HttpRequest, slug: str) -> HttpResponse:
    group = _lead_group(request, slug)
    settings = selectors.settings_of(group)
    methods = list(selectors.methods_for(group))
    initial = {
        "cadence_weeks": settings.cadence_weeks,
        "selection_mode": settings.selection_mode,
        "default_method": settings.default_method_id,
        "rotate_facilitator": settings.rotate_facilitator,
        "agreement": settings.agreement,
        "auto_close_hours": settings.auto_close_hours,
        "private_copy_days": settings.private_copy_days,
    }
    form = SettingsForm(request.POST or None, initial=initial, methods=methods)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.group_settings_update(
                    group=group,
                    actor=request.user,
                    cadence_weeks=data["cadence_weeks"],
                    selection_mode=data["selection_mode"],
                    default_method_id=data["default_method"],
                    rotate_facilitator=data["rotate_facilitator"],
                    agreement=data["agreement"],
                    auto_close_hours=data["auto_close_hours"],
                    private_copy_days=data["private_copy_days"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("intervision:group", group.slug)
        status = 400
    return render(
        request, "intervision/settings.html", {"group": group, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    group = _lead_group(request, slug)
    settings = selectors.settings_of(group)
    members = list(selectors.active_members(group))
    methods = list(selectors.methods_for(group))
    initial = {"minutes": 120, "method": settings.default_method_id}
    form = ScheduleForm(request.POST or None, initial=initial, methods=methods, members=members)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            start = timezone.make_aware(
                datetime.combine(data["date"], data["start_time"]),
                timezone.get_current_timezone(),
            )
            details = SessionDetails(
                title=_("Intervision — %(group)s") % {"group": group.name},
                format=Session.Format.INTERVISION,
                start=start,
                end=start + timedelta(minutes=data["minutes"]),
                timezone=str(timezone.get_current_timezone()),
                location=data["location"],
                online_url=data["online_url"],
                capacity=8,
                members_only=True,
            )
            try:
                if data["every_weeks"]:
                    isession = services.intervision_schedule_series(
                        group=group,
                        actor=request.user,
                        details=details,
                        method_id=data["method"],
                        every_weeks=data["every_weeks"],
                        count=data["count"] or 0,
                        facilitator_id=data["facilitator"],
                        timekeeper_id=data["timekeeper"],
                    )[0]
                else:
                    isession = services.intervision_schedule(
                        group=group,
                        actor=request.user,
                        details=details,
                        method_id=data["method"],
                        facilitator_id=data["facilitator"],
                        timekeeper_id=data["timekeeper"],
                        presenter_id=data["presenter"],
                    )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("intervision:session", isession.session_id)
        status = 400
    return render(
        request,
        "intervision/schedule.html",
        {"group": group, "form": form, "proposed": selectors.proposed_presenters(group)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def method_detail(request: HttpRequest, slug: str, method_id: int) -> HttpResponse:
    group = _group(request, slug)
    method = selectors.methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise Http404
    leads = selectors.leads_group(request.user, group)
    if request.method == "POST":
        if not leads:
            raise Http404
        phases = list(method.phases.all())
        try:
            minutes = {p.pk: int(request.POST.get(f"minutes-{p.pk}", p.minutes)) for p in phases}
        except ValueError:
            messages.error(request, _("Minutes are whole numbers."))
            return redirect("intervision:method", group.slug, method.pk)
        drop = {p.pk for p in phases if request.POST.get(f"drop-{p.pk}")}
        try:
            services.method_adjust(
                method_id=method.pk, group=group, actor=request.user, minutes=minutes, drop=drop
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The method is adjusted."))
        return redirect("intervision:method", group.slug, method.pk)
    return render(
        request,
        "intervision/method.html",
        {
            "group": group,
            "method": method,
            "phases": list(method.phases.all()),
            "leads": leads,
            "editable": leads and method.group_id == group.pk,
        },
    )


@login_required
@require_POST
def method_copy(request: HttpRequest, slug: str, method_id: int) -> HttpResponse:
    group = _lead_group(request, slug)
    try:
        copy = services.method_copy(method_id=method_id, group=group, actor=request.user)
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        raise
    messages.success(request, _("The method is copied for the group: adjust it below."))
    return redirect("intervision:method", group.slug, copy.pk)


# Error reports never show case text, live items, evaluations or the theme.
CONFIDENTIAL_FIELDS = ("title", "question", "pitch", "text", "tip", "top", "theme")


@sensitive_variables()
@sensitive_post_parameters(*CONFIDENTIAL_FIELDS)
@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    upcoming = selectors.upcoming_sessions(group)
    target = services.intervision_for_session(session=upcoming[0]) if upcoming else None
    form = CaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_submit(
                    group=group,
                    user=request.user,
                    title=data["title"],
                    question=data["question"],
                    pitch=data["pitch"],
                    urgency=data["urgency"],
                    no_client_data=data["no_client_data"],
                    isession=target if target and target.state == "scheduled" else None,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your case is submitted; only the group sees it."))
                return redirect("intervision:group", group.slug)
        status = 400
    return render(
        request,
        "intervision/case_form.html",
        {"group": group, "form": form, "target": target},
        status=status,
    )


@login_required
@require_POST
def case_withdraw(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    group = _group(request, slug)
    if not Case.objects.filter(pk=case_id, group=group, presenter=request.user).exists():
        raise Http404
    try:
        services.case_withdraw(case_id=case_id, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your case is withdrawn and deleted."))
    return redirect("intervision:group", group.slug)


@login_required
@require_GET
def attendance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    group = _lead_group(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{group.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("date"), _("hours"), _("method"), _("person"), _("present")])
    rows = (
        Attendance.objects.filter(isession__group=group, isession__state="closed")
        .select_related("user", "isession__session", "isession__method")
        .order_by("isession__session__start", "user__display_name", "user_id")
    )
    for row in rows:
        session = row.isession.session
        writer.writerow(
            [
                timezone.localtime(session.start).date().isoformat(),
                round((session.end - session.start).total_seconds() / 3600, 2),
                row.isession.method.name,
                row.user.name,
                _("yes") if row.present else _("no"),
            ]
        )
    return response


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    rows = selectors.history_of(request.user)
    labels = _role_labels()
    for row in rows:
        row["role_label"] = labels[row["role"]]

    return render(
        request,
        "intervision/history.html",
        {
            "rows": rows,
            "total_hours": round(sum(r["hours"] for r in rows), 2),
            # Only the owner ever sees a private copy; it is deleted after the retention period.
            "copies": list(PresenterCopy.objects.filter(owner=request.user).order_by("-id")),
        },
    )


@login_required
@require_GET
def history_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="intervision-history.csv"'
    writer = csv.writer(response)
    writer.writerow([_("date"), _("hours"), _("method"), _("group"), _("role")])
    labels = _role_labels()
    for row in selectors.history_of(request.user):
        writer.writerow(
            [
                row["date"].isoformat(),
                row["hours"],
                row["method"],
                row["group"],
                labels[row["role"]],
            ]
        )
    return response


def _latin1(text: str) -> str:
    """fpdf2's core fonts speak Latin-1: dashes and quotes become their plain forms."""
    text = str(text).translate(str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "’": "'"}))
    return text.encode("latin-1", "replace").decode("latin-1")


@login_required
@require_GET
def history_pdf(request: HttpRequest) -> HttpResponse:
    """The same history as a one-table PDF, with the person's name and the total hours."""
    from fpdf import FPDF

    rows = selectors.history_of(request.user)
    labels = _role_labels()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(_("My intervision history")))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, _latin1(_("My intervision history")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    total = round(sum(r["hours"] for r in rows), 2)
    pdf.cell(
        0, 6, _latin1(f"{request.user.name} <{request.user.email}>"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(
        0,
        6,
        _latin1(_("For professional registers: %(hours)s hours in total.") % {"hours": total}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    with pdf.table(col_widths=(25, 15, 60, 50, 30), text_align="LEFT") as table:
        table.row([_latin1(x) for x in (_("date"), _("hours"), _("method"), _("group"), _("role"))])
        for row in rows:
            table.row(
                [
                    row["date"].isoformat(),
                    str(row["hours"]),
                    _latin1(row["method"]),
                    _latin1(row["group"]),
                    _latin1(labels[row["role"]]),
                ]
            )
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="intervision-history.pdf"'
    return response


# --- one session ------------------------------------------------------------------------------


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = _isession(request, session_id)
    group = isession.group
    candidates = list(selectors.candidates_for(isession))
    my_vote = CaseVote.objects.filter(isession=isession, voter=request.user).first()
    return render(
        request,
        "intervision/session.html",
        {
            "isession": isession,
            "session": isession.session,
            "group": group,
            "runs_it": selectors.runs_session(request.user, isession),
            "candidates": candidates,
            "my_vote": my_vote.case_id if my_vote else None,
            "settings": selectors.settings_of(group),
            "members": list(selectors.active_members(group)),
            "open_swap": SwapRequest.objects.filter(
                isession=isession, state=SwapRequest.State.PENDING
            )
            .select_related("asked")
            .first(),
            "actions": list(selectors.open_actions(group)),
            "summary": _summary(isession) if isession.state == "closed" else None,
        },
    )


def _summary(isession: IntervisionSession) -> dict:
    return {
        "present": list(
            Attendance.objects.filter(isession=isession, present=True).select_related("user")
        ),
        "evaluations": Evaluation.objects.filter(isession=isession).count(),
        "runs": list(isession.runs.all()),
    }


@login_required
@require_POST
def vote(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = _isession(request, session_id)
    try:
        services.case_vote(
            isession=isession, user=request.user, case_id=_int(request.POST.get("case"))
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect("intervision:session", session_id)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@login_required
@require_POST
def select(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = _console(request, session_id)
    chosen = request.POST.get("case")
    try:
        case = services.case_select(
            isession=isession, actor=request.user, chosen=_int(chosen) if chosen else None
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
    isession = _isession(request, session_id)
    try:
        services.swap_request(
            isession=isession, actor=request.user, asked_id=_int(request.POST.get("asked"))
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Swap requested: the other member answers in the app."))
    return redirect("intervision:session", session_id)


@login_required
@require_POST
def swap_answer(request: HttpRequest, swap_id: int) -> HttpResponse:
    swap_request = (
        SwapRequest.objects.filter(pk=swap_id, asked=request.user)
        .select_related("isession__group")
        .first()
    )
    if (
        swap_request is None
        or selectors.group_for_member(user=request.user, slug=swap_request.isession.group.slug)
        is None
    ):
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.swap_answer(swap_id=swap_id, actor=request.user, accept=accept)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("You present in this session.") if accept else _("Swap declined.")
        )
    return redirect("intervision:session", swap_request.isession.session_id)


# --- the live console and the participants' view ---------------------------------------------


def _live_context(request: HttpRequest, isession: IntervisionSession) -> dict:
    isession.refresh_from_db()
    snapshot = selectors.live_snapshot(isession)
    selected = Case.objects.filter(isession=isession, status=Case.Status.SELECTED).first()
    members = list(selectors.active_members(isession.group))
    run = snapshot["current"]
    spoken = set(run.turns) if run is not None else set()
    return {
        **snapshot,
        "group": isession.group,
        "session": isession.session,
        "case": selected,
        "members": members,
        "spoken": spoken,
        "runs_it": selectors.runs_session(request.user, isession),
        "is_presenter": isession.presenter_id == request.user.pk,
    }


@login_required
@require_GET
def console(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = _console(request, session_id)
    context = _live_context(request, isession)
    context.update(_closing_context(request, isession))
    return render(request, "intervision/console.html", context)


def _closing_context(request: HttpRequest, isession: IntervisionSession) -> dict:
    members = list(selectors.active_members(isession.group))
    attendance = {a.user_id: a.present for a in Attendance.objects.filter(isession=isession)}
    return {
        "present_ids": {user_id for user_id, present in attendance.items() if present},
        "action_form": ActionForm(members=members),
        "evaluation_form": EvaluationForm(),
        "attendance": {a.user_id: a.present for a in Attendance.objects.filter(isession=isession)},
        "evaluations": Evaluation.objects.filter(isession=isession).count(),
        "session_actions": list(isession.actions.select_related("owner")),
        "open_actions": list(selectors.open_actions(isession.group).exclude(isession=isession)),
        "items": list(isession.items.select_related("author"))
        if selectors.runs_session(request.user, isession)
        else [],
    }


@login_required
@require_POST
def control(request: HttpRequest, session_id: int) -> HttpResponse:
    isession = _console(request, session_id)
    try:
        services.live_control(
            isession_id=isession.pk,
            actor=request.user,
            action=request.POST.get("action", ""),
            version=_int(request.POST.get("version")),
            person_id=_int(request.POST.get("person")) if request.POST.get("person") else None,
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
    isession = _isession(request, session_id)
    blocked = _agreed_or_redirect(request, isession.group)
    if blocked:
        return blocked
    context = _live_context(request, isession)
    context["item_form"] = LiveItemForm()
    context["evaluation_form"] = EvaluationForm()
    context["my_items"] = list(
        LiveItem.objects.filter(isession=isession, author=request.user).order_by("id")
    )
    return render(request, "intervision/follow.html", context)


@login_required
@require_GET
def live(request: HttpRequest, session_id: int) -> HttpResponse:
    """The polled fragment: current phase, rule card, countdown (htmx every 1–2 s).

    The poll carries the version the page shows; while it is current the answer is 204 (htmx
    swaps nothing, the countdown runs on in the browser), so a click is never lost to a swap.
    """
    isession = _isession(request, session_id)
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
    isession = _isession(request, session_id)
    blocked = _agreed_or_redirect(request, isession.group)
    if blocked:
        return blocked
    form = LiveItemForm(request.POST)
    if form.is_valid():
        try:
            services.live_item_add(
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
    isession = _isession(request, session_id)
    what = request.POST.get("what")
    runs_it = selectors.runs_session(request.user, isession)
    back = "intervision:console" if runs_it and what != "evaluation" else "intervision:follow"
    try:
        if what == "evaluation":
            form = EvaluationForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give a score from 1 to 5."), code="score")
            services.evaluation_set(isession=isession, user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your evaluation."))
        elif what == "action":
            form = ActionForm(request.POST, members=selectors.active_members(isession.group))
            if not form.is_valid():
                raise DomainError(_("Give an owner, what and by when."), code="action")
            services.action_add(
                isession=isession,
                actor=request.user,
                owner_id=form.cleaned_data["owner"],
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
            )
            messages.success(request, _("Action added."))
        elif what == "attendance":
            present = {_int(v) for v in request.POST.getlist("present")}
            services.attendance_set(isession=isession, actor=request.user, present_ids=present)
            messages.success(request, _("Attendance saved."))
        elif what == "copy":
            services.presenter_copy_choose(
                isession=isession, user=request.user, keep=request.POST.get("keep") == "yes"
            )
            messages.success(request, _("Your choice is saved."))
            back = "intervision:follow"
        elif what == "followup":
            services.action_follow_up(
                action_id=_int(request.POST.get("action")),
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
    isession = _console(request, session_id)
    try:
        services.intervision_session_close(
            isession_id=isession.pk, actor=request.user, theme=request.POST.get("theme", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("intervision:console", session_id)
    messages.success(request, _("The session is closed and the case details are erased."))
    return redirect("intervision:session", session_id)
