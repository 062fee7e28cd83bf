"""URLs of knowledge festivals: ``festival_patterns`` under /festivals/, and at the root the
speaker pages and a restricted festival's feed under the person's token."""

from django.urls import path

from events.festivals.views import day, programme, proposals, speakers, stands

festival_patterns = [
    path("", programme.festival_list, name="festival_list"),
    path("<slug:slug>/", programme.festival_detail, name="festival_detail"),
    path("<slug:slug>/calendar.ics", programme.festival_feed, name="festival_feed"),
    path("<slug:slug>/stands/new/", stands.stand_new, name="festival_stand_new"),
    path("<slug:slug>/stands/<int:stand_id>/", stands.stand_detail, name="festival_stand"),
    path(
        "<slug:slug>/stands/<int:stand_id>/times/",
        stands.stand_time_new,
        name="festival_stand_time_new",
    ),
    path("<slug:slug>/material/", stands.my_material, name="festival_my_material"),
    path("<slug:slug>/propose/", proposals.proposal_create, name="festival_propose"),
    path("<slug:slug>/review/", proposals.review_list, name="festival_review"),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/",
        proposals.proposal_detail,
        name="festival_proposal",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/withdraw/",
        proposals.proposal_withdraw_view,
        name="festival_proposal_withdraw",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/confirm/",
        proposals.proposal_confirm_view,
        name="festival_proposal_confirm",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/co-speaker/",
        proposals.co_speaker_confirm_view,
        name="festival_co_speaker_confirm",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/review/",
        proposals.proposal_review_view,
        name="festival_proposal_review",
    ),
    path(
        "<slug:slug>/proposals/<int:proposal_id>/decide/",
        proposals.proposal_decide_view,
        name="festival_proposal_decide",
    ),
    path("<slug:slug>/programme/", programme.programme_builder, name="festival_builder"),
    path("<slug:slug>/programme/place/", programme.programme_place, name="festival_place"),
    path(
        "<slug:slug>/programme/slots/",
        programme.programme_slot_create,
        name="festival_slot_create",
    ),
    path(
        "<slug:slug>/programme/publish/",
        programme.programme_publish_view,
        name="festival_publish",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/pick/",
        programme.festival_pick_view,
        name="festival_pick",
    ),
    path("<slug:slug>/rooms/<int:room_id>/check-in/", day.room_check_in, name="festival_check_in"),
    path(
        "<slug:slug>/sessions/<int:session_id>/feedback/",
        day.session_feedback,
        name="festival_feedback",
    ),
]

urlpatterns = [
    path("speakers/me/", speakers.speaker_edit, name="speaker_edit"),
    path("speakers/<int:user_id>/", speakers.speaker_detail, name="speaker_detail"),
    path("speakers/<int:user_id>/photo/", speakers.speaker_photo_view, name="speaker_photo"),
    path(
        "calendar/<str:token>/festivals/<slug:slug>.ics",
        programme.member_festival_feed,
        name="member_festival_feed",
    ),
]
