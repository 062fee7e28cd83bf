"""URLs of takeaways: capture, search, one takeaway, a community's and a tag's, recognition."""

from django.urls import path

from events.takeaways import views

urlpatterns = [
    path(
        "sessions/<int:session_id>/takeaways/",
        views.takeaway_create_view,
        {"on_session_page": True},
        name="takeaway_create",
    ),
    path(
        "sessions/<int:session_id>/takeaways/new/",
        views.takeaway_create_view,
        name="takeaway_capture",
    ),
    path("takeaways/", views.takeaway_search_view, name="takeaway_search"),
    path("takeaways/<int:takeaway_id>/", views.takeaway_detail, name="takeaway_detail"),
    path("takeaways/<int:takeaway_id>/edit/", views.takeaway_edit, name="takeaway_edit"),
    path("takeaways/<int:takeaway_id>/review/", views.takeaway_review, name="takeaway_review"),
    path("takeaways/<int:takeaway_id>/helpful/", views.takeaway_helpful, name="takeaway_helpful"),
    path("takeaways/<int:takeaway_id>/hide/", views.takeaway_hide_view, name="takeaway_hide"),
    path("takeaways/tags/<slug:slug>/", views.takeaway_tag, name="takeaway_tag"),
    path(
        "communities/<slug:slug>/takeaways/",
        views.community_takeaways_view,
        name="community_takeaways",
    ),
    path("people/<int:user_id>/", views.person_contributions, name="person_contributions"),
    path("me/contributions/", views.contributions_setting, name="contributions_setting"),
]
