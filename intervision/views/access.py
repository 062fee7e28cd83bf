"""The group, session or console a request may reach, or 404: everything of a group answers 404
to people outside it (ARCHITECTURE.md, private things answer 404). Case text and live items are rendered for the group only."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from communities.models import Community
from communities.parsing import ascii_int
from intervision import selectors
from intervision.models import (
    IntervisionSession,
)
from intervision.permissions import leads_group, runs_session


def group_or_404(request: HttpRequest, slug: str) -> Community:
    group = selectors.group_for_member(user=request.user, slug=slug)
    if group is None:
        raise Http404
    return group


def lead_group_or_404(request: HttpRequest, slug: str) -> Community:
    group = group_or_404(request, slug)
    if not leads_group(request.user, group):
        raise Http404
    return group


def isession_or_404(request: HttpRequest, session_id: int) -> IntervisionSession:
    isession = selectors.isession_for_member(user=request.user, session_id=session_id)
    if isession is None:
        raise Http404
    return isession


def console_or_404(request: HttpRequest, session_id: int) -> IntervisionSession:
    isession = isession_or_404(request, session_id)
    if not runs_session(request.user, isession):
        raise Http404
    return isession


def agreed_or_redirect(request: HttpRequest, group: Community) -> HttpResponse | None:
    if selectors.has_accepted_agreement(request.user, group):
        return None
    messages.info(request, _("Accept the group agreement before your first session."))
    return redirect("intervision:agreement", group.slug)


# Error reports never show case text, live items, evaluations or the theme.
CONFIDENTIAL_FIELDS = ("title", "question", "pitch", "text", "tip", "top", "theme")


def posted_int(value) -> int:
    """A posted id (ASCII digits only, ``communities.parsing``), else -1: matches nothing."""
    parsed = ascii_int(value)
    return -1 if parsed is None else parsed
