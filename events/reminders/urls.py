"""URLs of reminders: my reminder choices, unsubscribing, the coordinators' messages."""

from django.urls import path

from events.reminders import views

urlpatterns = [
    path("me/reminders/", views.reminder_preferences, name="reminder_preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("communities/<slug:slug>/message/", views.community_message, name="community_message"),
    path("sessions/<int:session_id>/message/", views.session_message, name="session_message"),
]
