"""Journey pages: my journeys, building a template, starting a newcomer, a journey's progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import first_error, posted
from learning.articles.selectors import articles_linkable_by
from learning.journeys import selectors
from learning.journeys.forms import StartForm, StepForm, TemplateForm
from learning.journeys.services import (
    journey_start,
    journey_step_add,
    journey_step_mark,
    journey_template_create,
)
from learning.selectors import communities_led_by


def _communities_led_by(user):
    return list(communities_led_by(user))


@login_required
@require_GET
def journey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    journeys = list(selectors.journeys_of(user))
    return render(
        request,
        "learning/journeys/list.html",
        {
            "mine": [j for j in journeys if j.newcomer_id == user.pk],
            "accompanying": [j for j in journeys if j.newcomer_id != user.pk],
            "templates": list(selectors.templates_managed_by(user)),
            "may_build": user.is_staff or bool(_communities_led_by(user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    communities = _communities_led_by(request.user)
    if not (communities or request.user.is_staff):
        raise Http404
    form = TemplateForm(
        posted(request), communities=communities, allow_organisation=request.user.is_staff
    )
    if request.method == "POST" and form.is_valid():
        community = next((c for c in communities if c.pk == form.cleaned_data["community"]), None)
        try:
            template = journey_template_create(
                actor=request.user,
                community=community,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The journey is made; now add its steps."))
            return redirect("learning:template_detail", template.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/journeys/template_new.html", {"form": form}, status=status)


def _template_or_404(request: HttpRequest, template_id: int):
    template = selectors.template_for_manager(user=request.user, template_id=template_id)
    if template is None:
        raise Http404
    return template


def _step_form(request, template, data=None) -> StepForm:
    return StepForm(
        data,
        sessions=selectors.sessions_for_steps(request.user)[:100],
        people=selectors.people_for_journey(template)[:500],
        articles=articles_linkable_by(request.user).order_by("title", "id")[:200],
    )


@login_required
@require_GET
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_or_404(request, template_id)
    return render(
        request,
        "learning/journeys/template.html",
        {
            "template": template,
            "steps": list(selectors.steps_of(template)),
            "figures": selectors.template_figures(template),
            "step_form": _step_form(request, template),
            "start_form": StartForm(people=selectors.people_for_journey(template)[:500]),
        },
    )


@login_required
@require_POST
def step_add(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_or_404(request, template_id)
    form = _step_form(request, template, request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:template_detail", template.pk)
    data = form.cleaned_data
    try:
        journey_step_add(
            template_id=template.pk,
            actor=request.user,
            day_offset=data["day_offset"],
            kind=data["kind"],
            title=data["title"],
            details=data["details"],
            url=data["url"],
            session_id=data["session"],
            person_id=data["person"],
            article_id=data["article"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step is added."))
    return redirect("learning:template_detail", template.pk)


@login_required
@require_POST
def journey_begin(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_or_404(request, template_id)
    form = StartForm(request.POST, people=selectors.people_for_journey(template))
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:template_detail", template.pk)
    data = form.cleaned_data
    try:
        journey_start(
            template_id=template.pk,
            actor=request.user,
            newcomer_id=data["newcomer"],
            buddy_id=data["buddy"],
            supervisor_id=data["supervisor"],
            start_date=data["start_date"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The journey has started; the newcomer, buddy and supervisor got a mail.")
        )
    return redirect("learning:template_detail", template.pk)


@login_required
@require_GET
def journey_detail(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = selectors.journey_for_party(user=request.user, journey_id=journey_id)
    if journey is None:
        raise Http404
    steps = list(journey.progress.all())
    percent = round(100 * journey.steps_done / journey.steps_total) if journey.steps_total else 0
    return render(
        request,
        "learning/journeys/journey.html",
        {"journey": journey, "steps": steps, "percent": percent},
    )


@login_required
@require_POST
def step_mark(request: HttpRequest, journey_id: int, progress_id: int) -> HttpResponse:
    try:
        journey = journey_step_mark(
            journey_id=journey_id,
            progress_id=progress_id,
            actor=request.user,
            done=request.POST.get("done") != "0",
        )
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("learning:journey_detail", journey_id)
    if journey.state == journey.State.COMPLETED:
        messages.success(request, _("Every step is done: the journey is complete."))
    return redirect("learning:journey_detail", journey_id)
