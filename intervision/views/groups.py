"""Intervision pages of a group: the overview, the agreement, settings, scheduling, methods."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.parsing import ascii_int
from events.models import Session
from events.sessions.services.scheduling import SessionDetails
from intervision import selectors
from intervision.forms import (
    ScheduleForm,
    SettingsForm,
)
from intervision.permissions import leads_group
from intervision.services.groups import (
    agreement_accept,
    group_settings_update,
    method_adjust,
    method_copy,
)
from intervision.services.scheduling import intervision_schedule, intervision_schedule_series
from intervision.views.access import group_or_404, lead_group_or_404


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "intervision/home.html",
        {
            "groups": list(selectors.groups_of(request.user)),
            "methods": selectors.catalogue_methods(),
        },
    )


@login_required
@require_GET
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_or_404(request, slug)
    settings = selectors.settings_of(group)
    return render(
        request,
        "intervision/group.html",
        {
            "group": group,
            "settings": settings,
            "leads": leads_group(request.user, group),
            "accepted": selectors.has_accepted_agreement(request.user, group),
            "warnings": selectors.group_warnings(group),
            "proposed": selectors.proposed_presenters(group, count=3),
            "members": list(selectors.active_members(group)),
            "upcoming": selectors.upcoming_isessions(group),
            "past": list(selectors.past_sessions(group)[:12]),
            "my_cases": selectors.cases_of(user=request.user, group=group),
            "actions": list(selectors.open_actions(group)),
            "methods": list(selectors.methods_for(group)),
            "swaps": selectors.swaps_asking(user=request.user, group=group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_or_404(request, slug)
    if request.method == "POST":
        agreement_accept(group=group, user=request.user)
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
    group = lead_group_or_404(request, slug)
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
                group_settings_update(
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
    group = lead_group_or_404(request, slug)
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
                    isession = intervision_schedule_series(
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
                    isession = intervision_schedule(
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
    group = group_or_404(request, slug)
    method = selectors.methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise Http404
    leads = leads_group(request.user, group)
    if request.method == "POST":
        if not leads:
            raise Http404
        phases = list(method.phases.all())
        minutes = {p.pk: ascii_int(request.POST.get(f"minutes-{p.pk}", p.minutes)) for p in phases}
        if None in minutes.values():
            messages.error(request, _("Minutes are whole numbers."))
            return redirect("intervision:method", group.slug, method.pk)
        drop = {p.pk for p in phases if request.POST.get(f"drop-{p.pk}")}
        try:
            method_adjust(
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
def method_copy_view(request: HttpRequest, slug: str, method_id: int) -> HttpResponse:
    group = lead_group_or_404(request, slug)
    try:
        copy = method_copy(method_id=method_id, group=group, actor=request.user)
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        raise
    messages.success(request, _("The method is copied for the group: adjust it below."))
    return redirect("intervision:method", group.slug, copy.pk)
