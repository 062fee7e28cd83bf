"""Meelopen pages: offers and their days, offering, booking and cancelling, the reflection."""

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
from events.models import Rsvp
from learning.shadowing import selectors
from learning.shadowing.forms import OfferForm, ReflectionForm, SlotForm
from learning.shadowing.services import (
    shadowing_book,
    shadowing_cancel,
    shadowing_offer_create,
    shadowing_reflect,
    shadowing_slot_add,
)


@login_required
@require_GET
def shadowing_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/shadowing/list.html",
        {
            "offers": list(selectors.offers_for(request.user)),
            "bookings": list(selectors.bookings_of(request.user)),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    form = OfferForm(posted(request), initial={"team": request.user.team})
    if request.method == "POST" and form.is_valid():
        try:
            offer = shadowing_offer_create(host=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your offer is up; now add the days people can come."))
            return redirect("learning:offer_detail", offer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/shadowing/new.html", {"form": form}, status=status)


@login_required
@require_GET
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.offer_for(user=request.user, offer_id=offer_id)
    if offer is None:
        raise Http404
    is_host = offer.host_id == request.user.pk
    return render(
        request,
        "learning/shadowing/offer.html",
        {"offer": offer, "is_host": is_host, "slot_form": SlotForm() if is_host else None},
    )


@login_required
@require_POST
def slot_add(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.offer_for(user=request.user, offer_id=offer_id)
    if offer is None or offer.host_id != request.user.pk:
        raise Http404
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:offer_detail", offer.pk)
    data = form.cleaned_data
    zone = ZoneInfo(data["zone"])
    try:
        shadowing_slot_add(
            offer_id=offer.pk,
            actor=request.user,
            start=data["start"].replace(tzinfo=None).replace(tzinfo=zone),
            end=data["end"].replace(tzinfo=None).replace(tzinfo=zone),
            capacity=data["capacity"],
            zone=data["zone"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The day is added."))
    return redirect("learning:offer_detail", offer.pk)


def _slot_action(request: HttpRequest, slot_id: int, action) -> HttpResponse:
    try:
        rsvp = action(slot_id=slot_id, user=request.user)
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, error.message)
        slot = selectors.slot_for(user=request.user, slot_id=slot_id)
        return redirect("learning:offer_detail", slot.offer_id)
    if rsvp.status == Rsvp.Status.GOING:
        messages.success(request, _("You are booked. The invitation is on its way."))
    elif rsvp.status == Rsvp.Status.WAITLISTED:
        messages.success(
            request,
            _("The day is full: you are number %(position)s on the waiting list.")
            % {"position": rsvp.position},
        )
    else:
        messages.success(request, _("Your place is given back."))
    slot = selectors.slot_for(user=request.user, slot_id=slot_id)
    return redirect("learning:offer_detail", slot.offer_id)


@login_required
@require_POST
def slot_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    return _slot_action(request, slot_id, shadowing_book)


@login_required
@require_POST
def slot_cancel(request: HttpRequest, slot_id: int) -> HttpResponse:
    return _slot_action(request, slot_id, shadowing_cancel)


@login_required
@require_http_methods(["GET", "POST"])
def reflect(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_for(user=request.user, slot_id=slot_id)
    if slot is None:
        raise Http404
    form = ReflectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            takeaway = shadowing_reflect(slot_id=slot.pk, user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your reflection is a takeaway now."))
            return redirect("takeaway_detail", takeaway.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/shadowing/reflect.html", {"slot": slot, "form": form}, status=status
    )
