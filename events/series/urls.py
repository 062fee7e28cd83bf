"""URLs of series: a series' page and answering a whole series."""

from django.urls import path

from events.series import views

urlpatterns = [
    path("series/<int:series_id>/", views.series_detail, name="series_detail"),
    path("series/<int:series_id>/rsvp/", views.series_rsvp, name="series_rsvp"),
]
