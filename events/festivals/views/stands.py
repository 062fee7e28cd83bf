"""A leermarkt's pages: a stand (its hosts add material) and the visitor's collected material."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.errors import DomainError
from communities.http import posted
from events.festivals.forms import StandMaterialForm
from events.festivals.services.stands import may_keep_stand, stand_material_add
from events.festivals.stands import leermarkt_stands, my_leermarkt_material
from events.festivals.views.access import festival_or_404
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
