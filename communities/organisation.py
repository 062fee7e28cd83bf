"""The organisation's settings as the rest of the code reads them.

Until staff can edit them in the app (accounts issue), they come from Django settings with
defaults; callers only use ``organisation_settings()`` so the source can change underneath.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class OrganisationSettings:
    name: str
    community_creation: str  # "everyone" | "staff"


def organisation_settings() -> OrganisationSettings:
    return OrganisationSettings(
        name=settings.SITE_NAME,
        community_creation=getattr(settings, "COMMUNITY_CREATION", "everyone"),
    )
