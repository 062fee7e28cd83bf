from django.urls import include, path

from events import feeds, festival_views, reminder_views, rsvp_links, takeaway_views, views

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
    # Issue 8: reminders and notifications.
    path("me/reminders/", reminder_views.reminder_preferences, name="reminder_preferences"),
    path("unsubscribe/<str:token>/", reminder_views.unsubscribe, name="unsubscribe"),
    path(
        "communities/<slug:slug>/message/",
        reminder_views.community_message,
        name="community_message",
    ),
    path(
        "sessions/<int:session_id>/message/", reminder_views.session_message, name="session_message"
    ),
    path("organisation/outbox/", reminder_views.outbox_overview, name="outbox_overview"),
    path(
        "organisation/outbox/<int:message_id>/resend/",
        reminder_views.outbox_resend,
        name="outbox_resend",
    ),
    # Takeaways and insights (issue 11).
    path(
        "sessions/<int:session_id>/takeaways/new/",
        takeaway_views.takeaway_capture,
        name="takeaway_capture",
    ),
    path("takeaways/", takeaway_views.takeaway_search_view, name="takeaway_search"),
    path("takeaways/<int:takeaway_id>/", takeaway_views.takeaway_detail, name="takeaway_detail"),
    path("takeaways/<int:takeaway_id>/edit/", takeaway_views.takeaway_edit, name="takeaway_edit"),
    path(
        "takeaways/<int:takeaway_id>/review/",
        takeaway_views.takeaway_review,
        name="takeaway_review",
    ),
    path(
        "takeaways/<int:takeaway_id>/helpful/",
        takeaway_views.takeaway_helpful,
        name="takeaway_helpful",
    ),
    path(
        "takeaways/<int:takeaway_id>/hide/",
        takeaway_views.takeaway_hide_view,
        name="takeaway_hide",
    ),
    path("takeaways/tags/<slug:slug>/", takeaway_views.takeaway_tag, name="takeaway_tag"),
    path(
        "communities/<slug:slug>/takeaways/",
        takeaway_views.community_takeaways_view,
        name="community_takeaways",
    ),
    path(
        "communities/<slug:slug>/insights/",
        takeaway_views.community_insights_view,
        name="community_insights",
    ),
    path("insights/", takeaway_views.organisation_insights_view, name="organisation_insights"),
    path(
        "people/<int:user_id>/",
        takeaway_views.person_contributions,
        name="person_contributions",
    ),
    path(
        "me/contributions/",
        takeaway_views.contributions_setting,
        name="contributions_setting",
    ),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:message_id>/", views.dev_mail_detail, name="dev_mail_detail"),
]
