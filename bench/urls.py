"""The app's URLs plus one the RSVP scenario's baseline needs: a view that returns a constant
through the same middleware (session, authentication, CSRF, locale, CSP), so the ratio measures
the RSVP's own work and not a health check's database and broker round trips."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_required
def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/constant/", constant), *app_urlpatterns]
