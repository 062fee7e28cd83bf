"""Pages for communities, for a person's own profile and data, and the staff's organisation pages."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.adapters import SSO_PROVIDER_ID
from communities.errors import DomainError
from communities.forms import (
    CommunityForm,
    DirectoryForm,
    EraseAccountForm,
    InviteForm,
    JoinRequestForm,
    OrganisationForm,
    PeopleFilterForm,
    ProfileForm,
    RoleForm,
    topics_as_text,
)
from communities.models import Community, Membership, Organisation
from communities.organisation import organisation_row, organisation_settings, sso_from_environment
from communities.permissions import can_create_community, can_manage_community, can_see_members
from communities.selectors import (
    DirectoryFilters,
    communities_needing_a_coordinator,
    communities_to_hand_over,
    community_for_manager,
    community_for_viewer,
    community_members,
    community_open_invitations,
    community_pending_requests,
    community_search,
    membership_of,
    memberships_of,
    people_for_staff,
    person_for_staff,
    topics_in_use,
    user_has_mfa,
)
from communities.services import (
    account_erase,
    community_archive,
    community_create,
    community_restore,
    community_update,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_join,
    membership_leave,
    membership_remove,
    membership_request,
    membership_set_role,
    membership_withdraw,
    organisation_update,
    personal_data_export_json,
    user_approve,
    user_deactivate,
    user_decline,
    user_reactivate,
    user_set_language,
    user_update_profile,
)
from events.calendar.services.subscriptions import calendar_delivery_set
from events.sessions.selectors import community_sessions
from events.takeaways.views import community_takeaways_panel

ROLE_CHANGED_MESSAGES = {
    Membership.Role.MEMBER: gettext_lazy("%(name)s is now a member."),
    Membership.Role.COORDINATOR: gettext_lazy("%(name)s is now a coordinator."),
    Membership.Role.FACILITATOR: gettext_lazy("%(name)s is now a facilitator."),
    Membership.Role.AMBASSADOR: gettext_lazy("%(name)s is now an ambassador."),
}


def _visible_or_404(request: HttpRequest, slug: str) -> Community:
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None:
        raise Http404
    return community


def _manageable_or_404(request: HttpRequest, slug: str) -> Community:
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
        "query_string": _query_without_page(request),
    }
    template = "communities/list.html"
    if request.htmx and request.htmx.target == "directory-results":
        template = "communities/list.html#results"
    return render(request, template, context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


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
    community = _visible_or_404(request, slug)
    return render(request, "communities/detail.html", _detail_context(request, community))


def _detail_context(request: HttpRequest, community: Community) -> dict:
    membership = membership_of(user=request.user, community=community)
    see_members = can_see_members(request.user, community)
    return {
        "community": community,
        "membership": membership,
        "manages": can_manage_community(request.user, community),
        **_sessions_context(request, community),
        "members": list(community_members(community)) if see_members else None,
        "request_form": JoinRequestForm(),
        **community_takeaways_panel(request.user, community),
    }


def _sessions_context(request: HttpRequest, community: Community) -> dict:
    """The community's upcoming and past sessions, and whether the viewer may schedule one."""
    from events.sessions.permissions import can_create_session

    upcoming, past = community_sessions(request.user, community)
    return {
        "sessions": upcoming,
        "past_sessions": past,
        "can_schedule": can_create_session(request.user, community),
    }


def _membership_response(request: HttpRequest, community: Community) -> HttpResponse:
    """htmx swaps the membership panel in place; without htmx, back to the page."""
    if request.htmx:
        fresh = _visible_or_404(request, community.slug)
        return render(
            request, "communities/detail.html#membership-actions", _detail_context(request, fresh)
        )
    return redirect("community_detail", community.slug)


@login_required
@require_POST
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _visible_or_404(request, slug)
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
    community = _visible_or_404(request, slug)
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
    community = _manageable_or_404(request, slug)
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
    community = _manageable_or_404(request, slug)
    community_archive(community=community, actor=request.user)
    messages.success(request, _("The community has been archived."))
    return redirect("community_members", community.slug)


@login_required
@require_POST
def community_restore_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = _manageable_or_404(request, slug)
    community_restore(community=community, actor=request.user)
    messages.success(request, _("The community is active again."))
    return redirect("community_detail", community.slug)


@login_required
@require_GET
def community_members_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators' page: pending requests, members with roles, invitations."""
    community = _manageable_or_404(request, slug)
    members = list(community_members(community))
    return render(
        request,
        "communities/members.html",
        {
            "community": community,
            "members": members,
            "role_forms": {
                m.pk: RoleForm(community=community, initial={"role": m.role}) for m in members
            },
            "requests": community_pending_requests(community),
            "invitations": community_open_invitations(community),
            "invite_form": InviteForm(),
        },
    )


def _membership_action(request: HttpRequest, slug: str, action) -> HttpResponse:
    community = _manageable_or_404(request, slug)
    try:
        message = action(community)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("community_members", community.slug)


@login_required
@require_POST
def membership_approve_view(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    def approve(community):
        membership = membership_approve(
            community=community, actor=request.user, membership_id=membership_id
        )
        return _("%(name)s is now a member.") % {"name": membership.user.name}

    return _membership_action(request, slug, approve)


@login_required
@require_POST
def membership_decline_view(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    def decline(community):
        membership_decline(community=community, actor=request.user, membership_id=membership_id)
        return _("The request has been declined.")

    return _membership_action(request, slug, decline)


@login_required
@require_POST
def membership_remove_view(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    def remove(community):
        membership = membership_remove(
            community=community, actor=request.user, membership_id=membership_id
        )
        return _("%(name)s is no longer a member.") % {"name": membership.user.name}

    return _membership_action(request, slug, remove)


@login_required
@require_POST
def membership_role_view(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    def change_role(community):
        form = RoleForm(request.POST, community=community)
        if not form.is_valid():
            raise DomainError(_("Unknown role."))
        membership = membership_set_role(
            community=community,
            actor=request.user,
            membership_id=membership_id,
            role=form.cleaned_data["role"],
        )
        return ROLE_CHANGED_MESSAGES[membership.role] % {"name": membership.user.name}

    return _membership_action(request, slug, change_role)


@login_required
@require_POST
def invitation_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    def invite(community):
        form = InviteForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Enter a valid e-mail address."))
        invitation, _token = invitation_create(
            community=community, actor=request.user, email=form.cleaned_data["email"]
        )
        return _("An invitation has been sent to %(email)s.") % {"email": invitation.email}

    return _membership_action(request, slug, invite)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    def revoke(community):
        invitation_revoke(community=community, actor=request.user, invitation_id=invitation_id)
        return _("The invitation has been withdrawn.")

    return _membership_action(request, slug, revoke)


@require_GET
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation mail: shows the invitation and two buttons (POST)."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise Http404
    return render(
        request,
        "communities/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "addressed_to_me": request.user.is_authenticated
            and request.user.email.lower() == invitation.email.lower(),
        },
    )


@login_required
@require_POST
def invitation_answer(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    try:
        if answer == "accept":
            membership = invitation_accept(token=token, user=request.user)
            messages.success(request, _("Welcome! You are now a member."))
            return redirect("community_detail", membership.community.slug)
        invitation_decline(token=token, user=request.user)
        messages.success(request, _("You have declined the invitation."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
            team=form.cleaned_data["team"],
        )
        calendar_delivery_set(
            user=request.user,
            choice=form.cleaned_data["calendar_delivery"] or request.user.calendar_delivery,
        )
        translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("me")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
        return response
    return render(
        request,
        "communities/me.html",
        _me_context(request, form=form, erase_form=EraseAccountForm(user=request.user)),
    )


def _me_context(request: HttpRequest, *, form, erase_form) -> dict:
    return {
        "form": form,
        "erase_form": erase_form,
        "memberships": memberships_of(request.user),
        "has_mfa": user_has_mfa(request.user),
        "sso_enabled": organisation_settings().sso is not None,
    }


@login_required
@require_GET
def me_data_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        personal_data_export_json(user=request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kennisplein-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def me_erase(request: HttpRequest) -> HttpResponse:
    form = EraseAccountForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            account_erase(user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("me")
        logout(request)
        messages.success(request, _("Your account and your data have been erased."))
        return redirect("home")
    return render(
        request,
        "communities/me.html",
        _me_context(request, form=ProfileForm.for_user(request.user), erase_form=form),
        status=400,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: remembers the choice in a cookie and on the person's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    return response


# --- The organisation (staff) and its people ---------------------------------------------------


def staff_required(view):
    """Signed in (else to the login page) and active staff (else 404: nothing to see here)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


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

    row = Organisation.objects.filter(pk=1).only("logo", "logo_content_type", "updated_at").first()
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
            "query_string": _query_without_page(request),
            "handover": communities_needing_a_coordinator(),
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
            "memberships": memberships_of(person),
            "handover": communities_to_hand_over(person),
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
        handover = user_deactivate(actor=request.user, user=person)
        if handover:
            message = _(
                "%(name)s has been deactivated. Appoint a new coordinator for: %(names)s."
            ) % {"name": person.name, "names": ", ".join(c.name for c in handover)}
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
        return _("The sign-up of %(email)s has been declined and erased.") % {
            "email": email
        }, reverse("people_list")

    return _person_action(request, user_id, decline)


@require_GET
def signup_pending(request: HttpRequest) -> HttpResponse:
    """Where a person waiting for staff approval lands after confirming or logging in."""
    return render(request, "communities/signup_pending.html")
