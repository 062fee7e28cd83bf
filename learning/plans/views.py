"""A community's yearly plan against what happened; its coordinators edit it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.errors import DomainError
from communities.http import posted
from learning.plans import selectors
from learning.plans.forms import PlanForm, themes_as_text
from learning.plans.services import community_plan_set


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


@login_required
@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_for_plan(user=request.user, slug=slug)
    if community is None:
        raise Http404
    year = _year(request)
    progress = selectors.plan_progress(community=community, year=year)
    return render(
        request,
        "learning/plans/plan.html",
        {
            "community": community,
            "progress": progress,
            "years": sorted({*selectors.plan_years(community), year}, reverse=True),
            "may_edit": selectors.may_edit_plan(request.user, community),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_for_plan(user=request.user, slug=slug)
    if community is None or not selectors.may_edit_plan(request.user, community):
        raise Http404
    year = _year(request)
    current = selectors.plan_of(community=community, year=year)
    initial = {
        "goals": current.goals if current else "",
        "themes": themes_as_text(current),
        "time_budget_hours": current.time_budget_hours if current else 0,
    }
    form = PlanForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            community_plan_set(
                actor=request.user, community=community, year=year, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(f"{request.path.removesuffix('edit/')}?year={year}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/plans/edit.html",
        {"community": community, "form": form, "year": year},
        status=status,
    )
