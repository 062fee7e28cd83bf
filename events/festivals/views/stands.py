"""A leermarkt's pages: a stand (its hosts add material) and the visitor's collected material."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import first_error, posted
from communities.models import User
from events.festivals.forms import StandForm, StandMaterialForm, StandTimeForm
from events.festivals.permissions import is_organiser
from events.festivals.services.stands import (
    may_keep_stand,
    stand_create,
    stand_material_add,
    stand_time_add,
)
from events.festivals.stands import leermarkt_stands, my_leermarkt_material
from events.festivals.views.access import festival_or_404, organised_or_404
from events.models import Rsvp


@login_required
@require_http_methods(["GET", "POST"])
def stand_detail(request: HttpRequest, slug: str, stand_id: int) -> HttpResponse:
    festival = festival_or_404(request, slug)
    stand = next((s for s in leermarkt_stands(festival, request.user) if s.pk == stand_id), None)
    if stand is None or not festival.is_leermarkt:
        raise Http404
    keeper = may_keep_stand(request.user, stand)
    if request.method == "POST" and not keeper:
        raise Http404
    form = StandMaterialForm(posted(request)) if keeper else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            stand_material_add(stand_id=stand.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The material is added to the stand."))
            return redirect("festival_stand", festival.slug, stand.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/festivals/stand.html",
        {
            "festival": festival,
            "stand": stand,
            "form": form,
            "time_form": StandTimeForm(initial={"day": festival.starts_on})
            if is_organiser(request.user, festival)
            else None,
            "going": Rsvp.Status.GOING,
            "waitlisted": Rsvp.Status.WAITLISTED,
        },
        status=status,
    )


@login_required
@require_GET
def my_material(request: HttpRequest, slug: str) -> HttpResponse:
    festival = festival_or_404(request, slug)
    if not festival.is_leermarkt:
        raise Http404
    started = timezone.localdate() >= festival.starts_on
    return render(
        request,
        "events/festivals/my_material.html",
        {
            "festival": festival,
            "started": started,
            "collected": my_leermarkt_material(festival, request.user) if started else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def stand_new(request: HttpRequest, slug: str) -> HttpResponse:
    """An organiser adds a stand (hosts by e-mail address); its times come on the stand page."""
    festival = organised_or_404(request, slug)
    if not festival.is_leermarkt:
        raise Http404
    form = StandForm(posted(request))
    if request.method == "POST" and form.is_valid():
        emails = form.cleaned_data["hosts"]
        hosts = list(User.objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {host.email.lower() for host in hosts})
        if missing:
            form.add_error("hosts", _("Nobody has the address %(email)s.") % {"email": missing[0]})
        else:
            try:
                stand = stand_create(
                    festival=festival,
                    organiser=request.user,
                    title=form.cleaned_data["title"],
                    place=form.cleaned_data["place"],
                    description=form.cleaned_data["description"],
                    hosts=hosts,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The stand is added; now say when it is staffed."))
                return redirect("festival_stand", festival.slug, stand.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/festivals/stand_new.html",
        {"festival": festival, "form": form},
        status=status,
    )


@login_required
@require_POST
def stand_time_new(request: HttpRequest, slug: str, stand_id: int) -> HttpResponse:
    festival = organised_or_404(request, slug)
    if not festival.stands.filter(pk=stand_id).exists():
        raise Http404
    form = StandTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("festival_stand", festival.slug, stand_id)
    zone = ZoneInfo(festival.timezone)
    day = form.cleaned_data["day"]
    try:
        stand_time_add(
            stand_id=stand_id,
            organiser=request.user,
            start=datetime.combine(day, form.cleaned_data["start"], tzinfo=zone),
            end=datetime.combine(day, form.cleaned_data["end"], tzinfo=zone),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The stand is staffed at that time."))
    return redirect("festival_stand", festival.slug, stand_id)
