"""Every URL of the events app, gathered from its topic packages."""

from django.urls import include, path

from events.calendar import urls as calendar
from events.festivals import urls as festivals
from events.insights import urls as insights
from events.reminders import urls as reminders
from events.series import urls as series
from events.sessions import urls as sessions
from events.takeaways import urls as takeaways

urlpatterns = [
    *sessions.urlpatterns,
    *series.urlpatterns,
    *calendar.urlpatterns,
    path("festivals/", include(festivals.festival_patterns)),
    *festivals.urlpatterns,
    *reminders.urlpatterns,
    *takeaways.urlpatterns,
    *insights.urlpatterns,
]
