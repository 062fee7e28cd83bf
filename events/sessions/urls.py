"""URLs of sessions: what's on, a session and its answers, scheduling, the hosts' pages, my agenda."""

from django.urls import path

from events.sessions.views import hosts, scheduling, session, whats_on

urlpatterns = [
    path("sessions/", whats_on.session_list, name="session_list"),
    path("sessions/<int:session_id>/", session.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/rsvp/", session.session_rsvp, name="session_rsvp"),
    path("sessions/<int:session_id>/edit/", scheduling.session_edit, name="session_edit"),
    path(
        "sessions/<int:session_id>/cancel/", scheduling.session_cancel_view, name="session_cancel"
    ),
    path(
        "sessions/<int:session_id>/attendance/",
        hosts.session_attendance,
        name="session_attendance",
    ),
    path(
        "sessions/<int:session_id>/rsvps/<int:rsvp_id>/remove/",
        hosts.rsvp_remove_view,
        name="rsvp_remove",
    ),
    path(
        "communities/<slug:slug>/sessions/new/",
        scheduling.session_create_view,
        name="session_create",
    ),
    path("agenda/", whats_on.agenda, name="agenda"),
]
