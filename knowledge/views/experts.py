""" "Wie weet wat": the topic search, a listed person's page, and one's own expertise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from communities.errors import DomainError
from communities.http import posted
from knowledge.forms import ExpertiseForm, ExpertsSearchForm
from knowledge.selectors.experts import (
    expert_for_viewer,
    experts_for,
    profile_of,
    topic_suggestions,
)
from knowledge.services.expertise import expertise_set


@login_required
@require_http_methods(["GET"])
def experts(request: HttpRequest) -> HttpResponse:
    form = ExpertsSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "knowledge/experts.html",
        {"form": form, "result": experts_for(request.user, q), "q": q},
    )


@login_required
@require_http_methods(["GET"])
def expert_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    person = expert_for_viewer(viewer=request.user, person_id=user_id)
    if person is None:
        raise Http404
    return render(request, "knowledge/expert.html", {"person": person})


@login_required
@require_http_methods(["GET", "POST"])
def expertise_settings(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    topics = ", ".join(t.name for t in request.user.expertise_topics.order_by("name"))
    form = ExpertiseForm(posted(request), instance=profile, initial={"topics": topics})
    if request.method == "POST" and form.is_valid():
        try:
            expertise_set(
                user=request.user,
                topics=form.cleaned_data["topics"],
                listed=form.cleaned_data["listed"],
                show_evidence=form.cleaned_data["show_evidence"],
                route_questions=form.cleaned_data["route_questions"],
                mail_questions=form.cleaned_data["mail_questions"],
            )
        except DomainError as error:
            form.add_error("topics", error.message)
        else:
            messages.success(request, _("Your expertise has been saved."))
            return redirect("expertise_settings")
    return render(
        request,
        "knowledge/expertise_form.html",
        {"form": form, "suggestions": topic_suggestions(request.user)},
        status=400 if form.errors else 200,
    )
