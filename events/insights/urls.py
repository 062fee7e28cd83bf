"""URLs of insights: a community's (coordinators) and the organisation's (staff)."""

from django.urls import path

from events.insights import views

urlpatterns = [
    path(
        "communities/<slug:slug>/insights/",
        views.community_insights_view,
        name="community_insights",
    ),
    path("insights/", views.organisation_insights_view, name="organisation_insights"),
]
