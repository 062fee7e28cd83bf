"""/api/v1/: the REST API, its OpenAPI schema and its docs (served from vendored files)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.rest.problems import not_found
from api.views import communities, more, sessions

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("communities/", communities.CommunityList.as_view(), name="community-list"),
    path(
        "communities/<slug:slug>/", communities.CommunityDetail.as_view(), name="community-detail"
    ),
    path(
        "communities/<slug:slug>/join/", communities.CommunityJoin.as_view(), name="community-join"
    ),
    path(
        "communities/<slug:slug>/leave/",
        communities.CommunityLeave.as_view(),
        name="community-leave",
    ),
    path(
        "communities/<slug:slug>/members/",
        communities.CommunityMembers.as_view(),
        name="community-members",
    ),
    path("sessions/", sessions.SessionList.as_view(), name="session-list"),
    path("sessions/<int:session_id>/", sessions.SessionDetail.as_view(), name="session-detail"),
    path(
        "sessions/<int:session_id>/cancel/", sessions.SessionCancel.as_view(), name="session-cancel"
    ),
    path("sessions/<int:session_id>/rsvp/", sessions.SessionRsvp.as_view(), name="session-rsvp"),
    path("series/", more.SeriesList.as_view(), name="series-list"),
    path("series/<int:series_id>/", more.SeriesDetail.as_view(), name="series-detail"),
    path("festivals/", more.FestivalList.as_view(), name="festival-list"),
    path("festivals/<slug:slug>/", more.FestivalDetail.as_view(), name="festival-detail"),
    path(
        "festivals/<slug:slug>/programme/",
        more.FestivalProgramme.as_view(),
        name="festival-programme",
    ),
    path("takeaways/", more.TakeawayList.as_view(), name="takeaway-list"),
    path("takeaways/<int:takeaway_id>/", more.TakeawayDetail.as_view(), name="takeaway-detail"),
    path("me/rsvps/", sessions.MyRsvps.as_view(), name="my-rsvps"),
    path("me/agenda/", sessions.MyAgenda.as_view(), name="my-agenda"),
    path("people/", more.PeopleList.as_view(), name="people-list"),
    path("insights/", more.InsightsView.as_view(), name="insights"),
    # Anything else under /api/v1/ (a slug no route accepts too): a 404 problem, not HTML.
    re_path(r"^(?P<rest>.*)$", not_found, name="not-found"),
]
