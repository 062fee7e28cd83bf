"""The staff page of directory sync (/organisation/directory/): tokens, group links, held
deactivations."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.errors import DomainError
from communities.http import posted, staff_required
from directory.pages.forms import CommunityLinkForm, DirectoryTokenForm
from directory.selectors import directory_overview, directory_tokens, links, pending_holds
from directory.services.holds import deprovision_hold_confirm, deprovision_hold_discard
from directory.services.links import community_link_create, community_link_delete
from directory.services.tokens import directory_token_create, directory_token_revoke


def _page(request: HttpRequest, *, token_form, link_form, new_secret=None, status=200):
    context = {
        "token_form": token_form,
        "link_form": link_form,
        "new_secret": new_secret,
        "tokens": directory_tokens(),
        "links": links(),
        "holds": pending_holds(),
        "overview": directory_overview(),
        "scim_url": request.build_absolute_uri("/scim/v2/"),
    }
    response = render(request, "directory/directory.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryTokenForm(posted(request))
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            made = directory_token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            new_secret = made.secret  # shown once, on this answer only
            form = DirectoryTokenForm()
    return _page(
        request,
        token_form=form,
        link_form=CommunityLinkForm(),
        new_secret=new_secret,
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        directory_token_revoke(actor=request.user, token_id=token_id)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("The directory token has been revoked."))
    return redirect("directory")


@staff_required
@require_POST
def link_create(request: HttpRequest) -> HttpResponse:
    form = CommunityLinkForm(request.POST)
    if form.is_valid():
        try:
            community_link_create(
                actor=request.user,
                community=form.cleaned_data["community"],
                group_name=form.cleaned_data["group_name"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The group is linked."))
            return redirect("directory")
    return _page(request, token_form=DirectoryTokenForm(), link_form=form, status=400)


@staff_required
@require_POST
def link_delete(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        community_link_delete(actor=request.user, link_id=link_id)
    except DomainError as error:
        raise Http404 from error
    messages.success(request, _("The link is removed; the community keeps its members."))
    return redirect("directory")


@staff_required
@require_POST
def hold_decide(request: HttpRequest, hold_id: int, decision: str) -> HttpResponse:
    service = deprovision_hold_confirm if decision == "confirm" else deprovision_hold_discard
    try:
        service(actor=request.user, hold_id=hold_id)
    except DomainError as error:
        raise Http404 from error
    if decision == "confirm":
        messages.success(request, _("The person has been deactivated."))
    else:
        messages.success(request, _("The deactivation has been discarded."))
    return redirect("directory")
