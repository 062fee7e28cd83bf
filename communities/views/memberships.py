"""The coordinators' members page: requests, roles, removal, invitations; and the invitation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from communities.forms import (
    InviteForm,
    RoleForm,
)
from communities.models import Membership
from communities.selectors import (
    community_members,
    community_open_invitations,
    community_pending_requests,
    invitation_by_token,
)
from communities.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
)
from communities.services.memberships import (
    membership_approve,
    membership_decline,
    membership_remove,
    membership_set_role,
)
from communities.views.communities import manageable_or_404

ROLE_CHANGED_MESSAGES = {
    Membership.Role.MEMBER: gettext_lazy("%(name)s is now a member."),
    Membership.Role.COORDINATOR: gettext_lazy("%(name)s is now a coordinator."),
    Membership.Role.FACILITATOR: gettext_lazy("%(name)s is now a facilitator."),
    Membership.Role.AMBASSADOR: gettext_lazy("%(name)s is now an ambassador."),
}


@login_required
@require_GET
def community_members_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators' page: pending requests, members with roles, invitations."""
    community = manageable_or_404(request, slug)
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
    community = manageable_or_404(request, slug)
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
