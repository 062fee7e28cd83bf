"""The directory and a community's page: joining and leaving, creating, editing, archiving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.extensions import community_panels
from communities.forms import (
    CommunityForm,
    DirectoryForm,
    JoinRequestForm,
    topics_as_text,
)
from communities.http import query_without_page
from communities.models import Community, Membership
from communities.permissions import can_create_community, can_manage_community, can_see_members
from communities.selectors import (
    DirectoryFilters,
    community_for_manager,
    community_for_viewer,
    community_members,
    community_search,
    membership_of,
    topics_in_use,
)
from communities.services.communities import (
    community_archive,
    community_create,
    community_restore,
    community_update,
)
from communities.services.memberships import (
    membership_join,
    membership_leave,
    membership_request,
    membership_withdraw,
)


def visible_or_404(request: HttpRequest, slug: str) -> Community:
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None:
        raise Http404
    return community


def manageable_or_404(request: HttpRequest, slug: str) -> Community:
    community = community_for_manager(user=request.user, slug=slug)
    if community is None:
        raise Http404
    return community


@login_required
@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_valid():
        filters = DirectoryFilters(
            query=form.cleaned_data["q"].strip(),
            kind=form.cleaned_data["kind"],
            topic=form.cleaned_data["topic"],
            mine=form.cleaned_data["mine"],
        )
    page = Paginator(community_search(request.user, filters), 20).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "topics": topics_in_use(request.user),
        "can_create": can_create_community(request.user),
        "query_string": query_without_page(request),
    }
    template = "communities/list.html"
    if request.htmx and request.htmx.target == "directory-results":
        template = "communities/list.html#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def community_create_view(request: HttpRequest) -> HttpResponse:
    if not can_create_community(request.user):
        raise Http404
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = community_create(
                creator=request.user,
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                purpose=data["purpose"],
                description=data["description"],
                topics=form.topic_names(),
                cadence=data["cadence"],
                visibility=data["visibility"],
                join_policy=data["join_policy"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The community has been created."))
            return redirect("community_detail", community.slug)
    status = 400 if form.errors else 200
    return render(request, "communities/form.html", {"form": form, "creating": True}, status=status)


@login_required
@require_GET
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = visible_or_404(request, slug)
    return render(request, "communities/detail.html", _detail_context(request, community))


def _detail_context(request: HttpRequest, community: Community) -> dict:
    membership = membership_of(user=request.user, community=community)
    see_members = can_see_members(request.user, community)
    return {
        "community": community,
        "membership": membership,
        "manages": can_manage_community(request.user, community),
        "members": list(community_members(community)) if see_members else None,
        "request_form": JoinRequestForm(),
        **community_panels(request.user, community),
    }


def _membership_response(request: HttpRequest, community: Community) -> HttpResponse:
    """htmx swaps the membership panel in place; without htmx, back to the page."""
    if request.htmx:
        fresh = visible_or_404(request, community.slug)
        return render(
            request, "communities/detail.html#membership-actions", _detail_context(request, fresh)
        )
    return redirect("community_detail", community.slug)


@login_required
@require_POST
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = visible_or_404(request, slug)
    try:
        if community.join_policy == Community.JoinPolicy.APPROVAL:
            form = JoinRequestForm(request.POST)
            motivation = form.cleaned_data["motivation"] if form.is_valid() else ""
            if not form.is_valid():
                raise DomainError(_("Keep your motivation under 500 characters."))
            membership_request(user=request.user, community=community, motivation=motivation)
            messages.success(request, _("Your request has been sent to the coordinators."))
        else:
            membership_join(user=request.user, community=community)
            messages.success(request, _("Welcome! You are now a member."))
    except DomainError as error:
        messages.error(request, error.message)
    return _membership_response(request, community)


@login_required
@require_POST
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = visible_or_404(request, slug)
    membership = membership_of(user=request.user, community=community)
    try:
        if membership is not None and membership.state == Membership.State.PENDING:
            membership_withdraw(user=request.user, community=community)
            messages.success(request, _("Your request has been withdrawn."))
        else:
            membership_leave(user=request.user, community=community)
            messages.success(request, _("You have left the community."))
    except DomainError as error:
        messages.error(request, error.message)
    # A private community is gone from view once you leave it.
    if community_for_viewer(user=request.user, slug=slug) is None:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("community_list")
            return response
        return redirect("community_list")
    return _membership_response(request, community)


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = manageable_or_404(request, slug)
    initial = {
        "name": community.name,
        "purpose": community.purpose,
        "description": community.description,
        "topics": topics_as_text(community),
        "cadence": community.cadence,
        "visibility": community.visibility,
        "join_policy": community.join_policy,
    }
    form = CommunityForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community_update(
                community=community,
                actor=request.user,
                name=data["name"],
                purpose=data["purpose"],
                description=data["description"],
                topics=form.topic_names(),
                cadence=data["cadence"],
                visibility=data["visibility"],
                join_policy=data["join_policy"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("community_detail", community.slug)
    status = 400 if form.errors else 200
    return render(
        request,
        "communities/form.html",
        {"form": form, "community": community, "creating": False},
        status=status,
    )


@login_required
@require_POST
def community_archive_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = manageable_or_404(request, slug)
    community_archive(community=community, actor=request.user)
    messages.success(request, _("The community has been archived."))
    return redirect("community_members", community.slug)


@login_required
@require_POST
def community_restore_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = manageable_or_404(request, slug)
    community_restore(community=community, actor=request.user)
    messages.success(request, _("The community is active again."))
    return redirect("community_detail", community.slug)
