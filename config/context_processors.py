"""Template context available on every page."""

from django.conf import settings
from django.http import HttpRequest

from communities.organisation import organisation_settings


def site(request: HttpRequest) -> dict:
    """The organisation's name (SITE_NAME), branding and the public URL."""
    organisation = organisation_settings()
    return {
        "SITE_NAME": organisation.name,
        "SITE_URL": settings.SITE_URL,
        "DEBUG": settings.DEBUG,
        "ORGANISATION": organisation,
    }
