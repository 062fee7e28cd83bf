"""URLs of knowledge festivals (issue 10), under /festivals/."""

from django.urls import path

from events import festival_views as views

urlpatterns = [
    path("", views.festival_list, name="festival_list"),
    path("<slug:slug>/", views.festival_detail, name="festival_detail"),
    path("<slug:slug>/calendar.ics", views.festival_feed, name="festival_feed"),
    path("<slug:slug>/propose/", views.proposal_create, name="festival_propose"),
    path("<slug:slug>/review/", views.review_list, name="festival_review"),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/",
        views.proposal_detail,
        name="festival_proposal",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/withdraw/",
        views.proposal_withdraw_view,
        name="festival_proposal_withdraw",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/confirm/",
        views.proposal_confirm_view,
        name="festival_proposal_confirm",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/co-speaker/",
        views.co_speaker_confirm_view,
        name="festival_co_speaker_confirm",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/review/",
        views.proposal_review_view,
        name="festival_proposal_review",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/decide/",
        views.proposal_decide_view,
        name="festival_proposal_decide",
    ),
    path("<slug:slug>/programme/", views.programme_builder, name="festival_builder"),
    path("<slug:slug>/programme/place/", views.programme_place, name="festival_place"),
    path("<slug:slug>/programme/slots/", views.programme_slot_create, name="festival_slot_create"),
    path("<slug:slug>/programme/publish/", views.programme_publish_view, name="festival_publish"),
    path(
        "<slug:slug>/sessions/<int:session_id>/pick/",
        views.festival_pick_view,
        name="festival_pick",
    ),
    path(
        "<slug:slug>/rooms/<int:room_id>/check-in/",
        views.room_check_in,
        name="festival_check_in",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/feedback/",
        views.session_feedback,
        name="festival_feedback",
    ),
]
