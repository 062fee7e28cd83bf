from django.urls import path

from events import views

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
    path("agenda/", views.agenda, name="agenda"),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:message_id>/", views.dev_mail_detail, name="dev_mail_detail"),
]
