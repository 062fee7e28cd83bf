"""Bringing a case into the group, and withdrawing it (the presenter only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from intervision import selectors
from intervision.forms import (
    CaseForm,
)
from intervision.services.cases import case_submit, case_withdraw
from intervision.views.access import CONFIDENTIAL_FIELDS, group_or_404


@sensitive_variables()
@sensitive_post_parameters(*CONFIDENTIAL_FIELDS)
@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_or_404(request, slug)
    upcoming = selectors.upcoming_isessions(group)
    target = upcoming[0] if upcoming else None
    form = CaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_submit(
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
def case_withdraw_view(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    group = group_or_404(request, slug)
    if selectors.own_case(user=request.user, group=group, case_id=case_id) is None:
        raise Http404
    try:
        case_withdraw(case_id=case_id, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your case is withdrawn and deleted."))
    return redirect("intervision:group", group.slug)
