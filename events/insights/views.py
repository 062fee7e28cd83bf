"""The insights pages of a community (coordinators) and of the organisation (staff), with CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from communities.csv import csv_response
from communities.permissions import can_look_after
from communities.selectors import community_for_viewer
from events.insights.charts import draw
from events.insights.forms import InsightsForm
from events.insights.selectors import community_insights, organisation_insights_cached


def _insights_response(request: HttpRequest, insights, context: dict, filename: str):
    form = context["form"]
    download = form.cleaned_data.get("download") if form.is_valid() else ""
    if download:
        chart = insights.chart(download)
        if chart is None:  # e.g. participation levels of a group under 5: not broken down
            raise Http404
        return csv_response(
            filename=f"{filename}-{chart.key}.csv", header=chart.columns, rows=chart.rows
        )
    context["insights"] = insights
    context["charts"] = [(chart, draw(chart)) for chart in insights.charts]
    status = 400 if form.errors else 200
    return render(request, "events/insights/insights.html", context, status=status)


def _months(form: InsightsForm) -> int:
    if form.is_valid():
        return form.cleaned_data.get("months") or 12
    return 12


@login_required
@require_GET
def community_insights_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's insights (its health), for its coordinators (and staff, for public
    communities); its ambassadors read it too (reading only: the page has no management)."""
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None or not can_look_after(request.user, community):
        raise Http404
    form = InsightsForm(request.GET or None)
    insights = community_insights(community, months=_months(form))
    return _insights_response(
        request,
        insights,
        {"form": form, "community": community},
        f"insights-{community.slug}",
    )


@login_required
@require_GET
def organisation_insights_view(request: HttpRequest) -> HttpResponse:
    """The organisation's insights, for staff: aggregates over every community."""
    if not request.user.is_staff:
        raise Http404
    form = InsightsForm(request.GET or None)
    insights = organisation_insights_cached(viewer=request.user, months=_months(form))
    return _insights_response(request, insights, {"form": form}, "insights-organisation")
