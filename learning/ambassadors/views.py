"""An ambassador's page of a community: the review queue (takeaways and articles due) and the
newcomers to welcome. Ambassadors and coordinators; everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.errors import DomainError
from communities.parsing import ascii_int
from communities.permissions import can_look_after, can_manage_community, is_ambassador
from communities.selectors import community_for_viewer
from events.models import Takeaway
from events.takeaways.services import takeaway_archive, takeaway_reconfirm, takeaway_supersede
from learning.ambassadors.selectors import NEWCOMER_DAYS, newcomers_of
from learning.ambassadors.services import newcomer_welcome
from learning.articles.selectors import articles_due_in, takeaways_due_in


def _community_or_404(request: HttpRequest, slug: str):
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None or not can_look_after(request.user, community):
        raise Http404
    return community


@login_required
@require_GET
def ambassador_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community_or_404(request, slug)
    return render(
        request,
        "learning/ambassadors/page.html",
        {
            "community": community,
            "takeaways": takeaways_due_in(community),
            "articles": articles_due_in(community),
            "newcomers": list(newcomers_of(community)),
            "days": NEWCOMER_DAYS,
            "is_ambassador": is_ambassador(request.user, community),
            "may_manage": can_manage_community(request.user, community),
        },
    )


@login_required
@require_POST
def welcome(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    community = _community_or_404(request, slug)
    try:
        welcomed = newcomer_welcome(
            community=community, actor=request.user, membership_id=membership_id
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is welcomed.") % {"name": welcomed.newcomer.name},
        )
    return redirect("learning:ambassador_page", community.slug)


@login_required
@require_POST
def takeaway_review(request: HttpRequest, slug: str, takeaway_id: int) -> HttpResponse:
    """``action`` = reviewed | archive | supersede (with ``by``) for a takeaway in the queue."""
    community = _community_or_404(request, slug)
    if not Takeaway.objects.filter(pk=takeaway_id, session__community=community).exists():
        raise Http404
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "reviewed":
            takeaway_reconfirm(takeaway_id=takeaway_id, user=user, as_steward=True)
            message = _("Marked as reviewed.")
        elif action == "archive":
            takeaway_archive(takeaway_id=takeaway_id, user=user, as_steward=True)
            message = _("The takeaway is archived.")
        elif action == "supersede":
            by = ascii_int(request.POST.get("by", ""))
            if by is None:
                raise DomainError(_("Give the number of the newer takeaway."), code="by")
            takeaway_supersede(takeaway_id=takeaway_id, user=user, by_id=by, as_steward=True)
            message = _("The takeaway now points to the newer one.")
        else:
            raise DomainError(_("Choose what to do."), code="action")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("learning:ambassador_page", community.slug)
