"""URLs of the calendar: feeds (personal, per community), a session's .ics, the calendar page and
the one-button answer pages that invitation mail links to."""

from django.urls import path

from events.calendar import views

urlpatterns = [
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path(
        "calendar/<str:token>/communities/<slug:slug>.ics",
        views.member_community_feed,
        name="member_community_feed",
    ),
    path(
        "communities/<slug:slug>/calendar.ics",
        views.public_community_feed,
        name="public_community_feed",
    ),
    path("sessions/<int:session_id>/calendar.ics", views.session_ics, name="session_ics"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("rsvp/<str:token>/", views.rsvp_link, name="rsvp_link"),
]
