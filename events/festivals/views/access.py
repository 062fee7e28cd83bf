"""The festival a request may see, organise or review, or 404."""

from django.http import Http404, HttpRequest

from events.festivals.permissions import is_organiser, is_reviewer
from events.festivals.selectors import (
    festival_for_viewer,
)
from events.models import Festival


def festival_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = festival_for_viewer(user=request.user, slug=slug)
    if festival is None:
        raise Http404
    return festival


def organised_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = festival_or_404(request, slug)
    if not is_organiser(request.user, festival):
        raise Http404
    return festival


def reviewed_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = festival_or_404(request, slug)
    if not is_reviewer(request.user, festival):
        raise Http404
    return festival
