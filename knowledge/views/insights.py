"""The figures of "wie weet wat": a community's for its coordinators, the organisation's for
staff. Aggregates only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from communities.selectors import community_for_viewer
from knowledge.permissions import leads
from knowledge.selectors.insights import knowledge_figures


@login_required
@require_http_methods(["GET"])
def knowledge_insights(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("community", "").replace("\x00", "")[:80]
    community = None
    if slug:
        community = community_for_viewer(user=request.user, slug=slug)
        if community is None or not leads(request.user, community):
            raise Http404
    elif not request.user.is_staff:
        raise Http404
    return render(
        request,
        "knowledge/insights.html",
        {"community": community, "figures": knowledge_figures(community=community)},
    )
