"""URLs of the outbox screens (staff) and the development mail viewer (DEBUG only)."""

from django.urls import path

from communities.mail import views

urlpatterns = [
    path("organisation/outbox/", views.outbox_overview, name="outbox_overview"),
    path(
        "organisation/outbox/<int:message_id>/resend/",
        views.outbox_resend,
        name="outbox_resend",
    ),
    path("dev/mail/", views.dev_mail_list, name="dev_mail_list"),
    path("dev/mail/<int:message_id>/", views.dev_mail_detail, name="dev_mail_detail"),
]
