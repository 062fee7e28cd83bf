"""The staff's pages: the organisation's settings, logo and theme, and its people."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.adapters import SSO_PROVIDER_ID
from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.forms import (
    OrganisationForm,
    PeopleFilterForm,
)
from communities.http import query_without_page, staff_required
from communities.organisation import (
    organisation_logo_row,
    organisation_row,
    organisation_settings,
    sso_from_environment,
)
from communities.selectors import (
    communities_led_alone,
    communities_needing_a_coordinator,
    communities_seen_by,
    people_for_staff,
    person_for_staff,
    person_memberships_for_staff,
)
from communities.services.accounts import (
    person_withdrawal_preview,
    user_approve,
    user_deactivate,
    user_decline,
    user_reactivate,
)
from communities.services.organisation import organisation_update


@staff_required
@require_http_methods(["GET", "POST"])
def organisation_settings_view(request: HttpRequest) -> HttpResponse:
    row = organisation_row()
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user,
                changes=form.changes(),
                logo=form.cleaned_data.get("logo_upload"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
            audit_record(
                actor=request.user,
                action="organisation.update",
                target=row,
                detail=", ".join(sorted(form.changed_data)),
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The organisation settings have been saved."))
            return redirect("organisation_settings")
    status = 400 if form.errors else 200
    return render(
        request,
        "communities/organisation_form.html",
        {
            "form": form,
            "row": row,
            "sso_from_environment": sso_from_environment(),
            "callback_path": reverse("openid_connect_callback", args=[SSO_PROVIDER_ID]),
        },
        status=status,
    )


@require_GET
def organisation_logo(request: HttpRequest) -> HttpResponse:
    """The organisation's logo (public: the login page shows it)."""

    row = organisation_logo_row()
    if row is None or not row.logo_content_type or not row.logo:
        raise Http404
    response = HttpResponse(bytes(row.logo), content_type=row.logo_content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def organisation_theme(request: HttpRequest) -> HttpResponse:
    """The organisation's colour as a stylesheet (CSP forbids inline styles)."""
    colour = organisation_settings().primary_colour
    css = f":root {{ --primary: {colour}; }}\n" if colour else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@staff_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    query, status = "", "all"
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        status = form.cleaned_data["status"] or "all"
    people = people_for_staff(viewer=request.user, query=query, status=status)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/people_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "handover": communities_seen_by(
                viewer=request.user, communities=communities_needing_a_coordinator()
            ),
        },
    )


@staff_required
@require_GET
def person_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = person_for_staff(viewer=request.user, user_id=user_id)
    if person is None:
        raise Http404
    return render(
        request,
        "communities/person_detail.html",
        {
            "person": person,
            # Private communities the viewer is not in stay private: only a count of them.
            "memberships": person_memberships_for_staff(viewer=request.user, person=person),
            "handover": communities_seen_by(
                viewer=request.user, communities=communities_led_alone(person)
            ),
            # What "Deactivate" will do, said before the button.
            "withdrawal": (
                person_withdrawal_preview(user=person, viewer=request.user)
                if person.is_active
                else []
            ),
        },
    )


def _person_action(request: HttpRequest, user_id: int, action) -> HttpResponse:
    person = person_for_staff(viewer=request.user, user_id=user_id)
    if person is None:
        raise Http404
    try:
        message, to = action(person)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("person_detail", user_id)
    messages.success(request, message)
    return redirect(to)


@staff_required
@require_POST
def person_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    def deactivate(person):
        handover = communities_seen_by(
            viewer=request.user, communities=user_deactivate(actor=request.user, user=person)
        )
        audit_record(actor=request.user, action="person.deactivate", target=person, request=request)
        if handover.visible:
            message = _(
                "%(name)s has been deactivated. Appoint a new coordinator for: %(names)s."
            ) % {"name": person.name, "names": ", ".join(c.name for c in handover.visible)}
        elif handover.hidden:
            message = _(
                "%(name)s has been deactivated. Private communities they led alone need a new "
                "coordinator from their members."
            ) % {"name": person.name}
        else:
            message = _("%(name)s has been deactivated.") % {"name": person.name}
        if person.pk == request.user.pk:
            return message, "home"
        return message, reverse("person_detail", args=[person.pk])

    return _person_action(request, user_id, deactivate)


@staff_required
@require_POST
def person_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    def reactivate(person):
        user_reactivate(actor=request.user, user=person)
        audit_record(actor=request.user, action="person.reactivate", target=person, request=request)
        return _("%(name)s can log in again.") % {"name": person.name}, reverse(
            "person_detail", args=[person.pk]
        )

    return _person_action(request, user_id, reactivate)


@staff_required
@require_POST
def person_approve(request: HttpRequest, user_id: int) -> HttpResponse:
    def approve(person):
        if not person.awaiting_approval:
            raise DomainError(
                _("%(email)s is not waiting for approval.") % {"email": person.email},
                code="not_awaiting",
            )
        user_approve(actor=request.user, user=person)
        audit_record(actor=request.user, action="person.approve", target=person, request=request)
        return _("%(name)s has been approved and told by e-mail.") % {"name": person.name}, (
            reverse("person_detail", args=[person.pk])
        )

    return _person_action(request, user_id, approve)


@staff_required
@require_POST
def person_decline(request: HttpRequest, user_id: int) -> HttpResponse:
    def decline(person):
        email = person.email
        user_decline(actor=request.user, user=person)
        audit_record(
            actor=request.user, action="person.decline", target=organisation_row(), request=request
        )
        return _("The sign-up of %(email)s has been declined and erased.") % {
            "email": email
        }, reverse("people_list")

    return _person_action(request, user_id, decline)
