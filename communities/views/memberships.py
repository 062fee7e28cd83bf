"""The coordinators' members page: requests, roles, removal, invitations; and the invitation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from communities.extensions import invitation_follow_ups, invitation_offers
from communities.forms import (
    InviteForm,
    RoleForm,
)
from communities.http import first_error
from communities.models import Membership
from communities.parsing import ascii_int
from communities.selectors import (
    community_members,
    community_open_invitations,
    community_pending_requests,
    invitation_by_token,
    invitations_for,
    people_by_ids,
    people_to_invite,
)
from communities.services.invitations import (
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    invitations_create,
    parse_addresses,
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
    """Invite a pasted list of addresses and the people picked by name, at once."""
    community = manageable_or_404(request, slug)
    form = InviteForm(request.POST)
    people_ids = [i for i in map(ascii_int, request.POST.getlist("people")) if i is not None]
    try:
        if not form.is_valid():
            raise DomainError(first_error(form))
        batch = invitations_create(
            community=community,
            actor=request.user,
            emails=parse_addresses(form.cleaned_data["emails"]),
            people=people_by_ids(people_ids),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_back_to(request, community))
    if len(batch.sent) == 1 and not batch.skipped:
        messages.success(
            request, _("An invitation has been sent to %(email)s.") % {"email": batch.sent[0]}
        )
    elif batch.sent:
        messages.success(
            request,
            ngettext(
                "%(count)d invitation has been sent.",
                "%(count)d invitations have been sent.",
                len(batch.sent),
            )
            % {"count": len(batch.sent)},
        )
    if len(batch.skipped) == 1 and not batch.sent:
        messages.error(request, batch.skipped[0][1])
    else:
        for address, reason in batch.skipped:
            messages.warning(
                request,
                _("Not invited: %(address)s. %(reason)s")
                % {"address": address[:80], "reason": reason},
            )
    return redirect(_back_to(request, community))


def _back_to(request: HttpRequest, community) -> str:
    """Where the invite form was (a series page has one too), else the members page."""
    back = request.POST.get("next", "")
    if (
        back.startswith("/")
        and back.isprintable()
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return back
    return reverse("community_members", args=[community.slug])


@login_required
@require_GET
def invitation_people_picker(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: people matching the typed name, as checkboxes; the ones already ticked stay."""
    community = manageable_or_404(request, slug)
    chosen_ids = [i for i in map(ascii_int, request.GET.getlist("people")) if i is not None]
    chosen = people_by_ids(chosen_ids[:50])
    query = request.GET.get("q", "")[:100].replace("\x00", "")
    found = [
        person
        for person in people_to_invite(community=community, query=query)
        if person.pk not in {c.pk for c in chosen}
    ]
    return render(
        request,
        "communities/_people_picker.html",
        {"chosen": chosen, "found": found, "query": query},
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    def revoke(community):
        invitation_revoke(community=community, actor=request.user, invitation_id=invitation_id)
        return _("The invitation has been withdrawn.")

    return _membership_action(request, slug, revoke)


@require_GET
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation mail: the invitation, what else it offers (the community's
    series) and one button to accept it all (POST)."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise Http404
    return _invitation_page(
        request,
        invitation,
        accept_url=reverse("invitation_accept", args=[token]),
        decline_url=reverse("invitation_decline", args=[token]),
    )


@login_required
@require_GET
def invitation_mine(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The same page from the home page's "invitations for you": only for its addressee."""
    invitation = invitations_for(request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return _invitation_page(
        request,
        invitation,
        accept_url=reverse("invitation_mine_accept", args=[invitation.pk]),
        decline_url=reverse("invitation_mine_decline", args=[invitation.pk]),
    )


def _invitation_page(request: HttpRequest, invitation, *, accept_url: str, decline_url: str):
    addressed_to_me = (
        request.user.is_authenticated and request.user.email.lower() == invitation.email.lower()
    )
    offers = (
        invitation_offers(request.user, invitation.community)
        if addressed_to_me and invitation.state == invitation.State.PENDING
        else {}
    )
    return render(
        request,
        "communities/invitation.html",
        {
            "invitation": invitation,
            "accept_url": accept_url,
            "decline_url": decline_url,
            "addressed_to_me": addressed_to_me,
            **offers,
        },
    )


@login_required
@require_POST
def invitation_answer(
    request: HttpRequest, answer: str, token: str | None = None, invitation_id: int | None = None
) -> HttpResponse:
    """Accept (with whatever else the page offered and was left ticked) or decline."""
    try:
        if answer == "accept":
            membership = invitation_accept(
                token=token, invitation_id=invitation_id, user=request.user
            )
            messages.success(request, _("Welcome! You are now a member."))
            landing, texts = invitation_follow_ups(
                request.user, membership.community, dict(request.POST.lists())
            )
            for text in texts:
                messages.info(request, text)
            return redirect(
                landing or reverse("community_detail", args=[membership.community.slug])
            )
        invitation_decline(token=token, invitation_id=invitation_id, user=request.user)
        messages.success(request, _("You have declined the invitation."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("home")
