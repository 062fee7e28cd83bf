from django.urls import include, path

from events import feeds, festival_views, rsvp_links, views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/rsvp/", views.session_rsvp, name="session_rsvp"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel_view, name="session_cancel"),
    path(
        "sessions/<int:session_id>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path(
        "sessions/<int:session_id>/takeaways/",
        views.takeaway_create_view,
        name="takeaway_create",
    ),
    path(
        "sessions/<int:session_id>/rsvps/<int:rsvp_id>/remove/",
        views.rsvp_remove_view,
        name="rsvp_remove",
    ),
    path(
        "communities/<slug:slug>/sessions/new/",
        views.session_create_view,
        name="session_create",
    ),
    path("series/<int:series_id>/rsvp/", views.series_rsvp, name="series_rsvp"),
    path("agenda/", views.agenda, name="agenda"),
    # Calendar feeds and downloads (issue 6).
    path("calendar/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path(
        "calendar/<str:token>/communities/<slug:slug>.ics",
        feeds.member_community_feed,
        name="member_community_feed",
    ),
    path(
        "communities/<slug:slug>/calendar.ics",
        feeds.public_community_feed,
        name="public_community_feed",
    ),
    # Issue 10: knowledge festivals, and a festival's feed under the person's token.
    path("festivals/", include("events.festival_urls")),
    path("speakers/me/", festival_views.speaker_edit, name="speaker_edit"),
    path("speakers/<int:user_id>/", festival_views.speaker_detail, name="speaker_detail"),
    path(
        "speakers/<int:user_id>/photo/",
        festival_views.speaker_photo_view,
        name="speaker_photo",
    ),
    path(
        "calendar/<str:token>/festivals/<slug:slug>.ics",
        festival_views.member_festival_feed,
        name="member_festival_feed",
    ),
    path("sessions/<int:session_id>/calendar.ics", feeds.session_ics, name="session_ics"),
    path("me/calendar/", feeds.my_calendar, name="my_calendar"),
    # The answer links in invitation mail: a one-button page (issue 6).
    path("rsvp/<str:token>/", rsvp_links.rsvp_link, name="rsvp_link"),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:message_id>/", views.dev_mail_detail, name="dev_mail_detail"),
]
