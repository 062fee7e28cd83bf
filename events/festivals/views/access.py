"""The festival a request may see, organise or review, or 404."""

from django.http import Http404, HttpRequest

from events.festivals.permissions import is_organiser, is_reviewer
from events.festivals.selectors import (
    festival_for_viewer,
)
from events.models import Festival


def _festival_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = festival_for_viewer(user=request.user, slug=slug)
    if festival is None:
        raise Http404
    return festival


def _organised_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = _festival_or_404(request, slug)
    if not is_organiser(request.user, festival):
        raise Http404
    return festival


def _reviewed_or_404(request: HttpRequest, slug: str) -> Festival:
    festival = _festival_or_404(request, slug)
    if not is_reviewer(request.user, festival):
        raise Http404
    return festival
