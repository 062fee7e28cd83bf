"""Knowledge-gap surveys under ``/wishes/surveys/``: the list, starting one (coordinators),
answering (members of the community), the results as aggregates (its coordinators), closing
and turning a topic into a wish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import posted
from communities.models import Community
from events.insights.selectors import MIN_GROUP
from knowledge.forms import SurveyAnswerForm, SurveyForm
from knowledge.permissions import leads, leads_of
from knowledge.selectors.surveys import (
    my_answer,
    survey_for_viewer,
    survey_list,
    survey_results,
    survey_topics,
)
from knowledge.services.surveys import (
    SurveyNotFound,
    survey_close,
    survey_create,
    survey_respond,
    survey_topic_to_wish,
)


def _led_communities(request: HttpRequest):
    return Community.objects.filter(pk__in=leads_of(request.user), archived=False).order_by("name")


@login_required
@require_http_methods(["GET"])
def survey_list_view(request: HttpRequest) -> HttpResponse:
    surveys = list(survey_list(request.user)[:100])
    return render(
        request,
        "knowledge/surveys.html",
        {"surveys": surveys, "may_start": _led_communities(request).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create_view(request: HttpRequest) -> HttpResponse:
    communities = _led_communities(request)
    if not communities.exists():
        raise Http404
    form = SurveyForm(posted(request), communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_create(
                actor=request.user,
                community=data["community"],
                title=data["title"],
                intro=data["intro"],
                topics=data["topics"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey is open for the community's members."))
            return redirect("survey_detail", survey.pk)
    return render(
        request, "knowledge/survey_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _survey_or_404(request: HttpRequest, survey_id: int):
    survey = survey_for_viewer(user=request.user, survey_id=survey_id)
    if survey is None:
        raise Http404
    return survey


def _managed_or_404(request: HttpRequest, survey_id: int):
    survey = _survey_or_404(request, survey_id)
    if not leads(request.user, survey.community):
        raise Http404
    return survey


def _answer_page(request, survey, form, status=200) -> HttpResponse:
    _scores, _comment, answered = my_answer(survey, request.user)
    return render(
        request,
        "knowledge/survey.html",
        {
            "survey": survey,
            "form": form,
            "answered": answered,
            "is_lead": leads(request.user, survey.community),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    scores, comment, _answered = my_answer(survey, request.user)
    initial = {f"topic_{topic_id}": str(score) for topic_id, score in scores.items()}
    initial["comment"] = comment
    form = SurveyAnswerForm(topics=survey_topics(survey), initial=initial)
    return _answer_page(request, survey, form)


@login_required
@require_POST
def survey_respond_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    form = SurveyAnswerForm(request.POST, topics=survey_topics(survey))
    if form.is_valid():
        try:
            survey_respond(
                survey_id=survey.pk,
                user=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except SurveyNotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your answer has been saved."))
            return redirect("survey_detail", survey.pk)
    return _answer_page(request, survey, form, status=400)


@login_required
@require_http_methods(["GET"])
def survey_results_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed_or_404(request, survey_id)
    return render(
        request,
        "knowledge/survey_results.html",
        {"survey": survey, "results": survey_results(survey), "min_group": MIN_GROUP},
    )


@login_required
@require_POST
def survey_close_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed_or_404(request, survey_id)
    survey_close(survey_id=survey.pk, actor=request.user)
    messages.success(request, _("The survey is closed; the results stay."))
    return redirect("survey_results", survey.pk)


@login_required
@require_POST
def survey_topic_wish_view(request: HttpRequest, survey_id: int, topic_id: int) -> HttpResponse:
    survey = _managed_or_404(request, survey_id)
    try:
        wish = survey_topic_to_wish(survey_id=survey.pk, topic_id=topic_id, actor=request.user)
    except SurveyNotFound:
        raise Http404 from None
    messages.success(request, _("The topic is now a wish: colleagues can say they would come."))
    return redirect("wish_detail", wish.pk)
