"""The processing register, assembled from the activities, the personal-data registry (models
and fields) and the organisation's retention settings."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from communities.organisation import organisation_settings
from communities.personal_data import REGISTRY
from communities.register.activities import ACTIVITIES

# Fields that say nothing about a person.
TECHNICAL = {"id", "content_key"}


@dataclass(frozen=True)
class DataGroup:
    section: str
    name: str
    fields: list[str]
    erasure: str


@dataclass(frozen=True)
class RegisterEntry:
    title: str
    purpose: str
    subjects: str
    audience: str
    retention: str
    safeguards: str
    data: list[DataGroup]


def _erasure(entry) -> str:
    if entry.erasure == "cascade":
        return _("deleted with the account")
    if entry.erasure == "set_null":
        return _("kept for the others, no longer linked to the person")
    return _("erased with the account; what others need stays without the person")


def _group(section: str) -> DataGroup:
    entry = REGISTRY[section]
    opts = entry.model._meta
    fields = [
        str(field.verbose_name) for field in opts.concrete_fields if field.name not in TECHNICAL
    ]
    return DataGroup(
        section=section,
        name=str(opts.verbose_name_plural),
        fields=fields,
        erasure=_erasure(entry),
    )


def processing_register() -> list[RegisterEntry]:
    """One entry per processing activity, its data groups as the models hold them."""
    org = organisation_settings()
    return [
        RegisterEntry(
            title=str(activity.title),
            purpose=str(activity.purpose),
            subjects=str(activity.subjects),
            audience=str(activity.audience),
            retention=activity.retention(org),
            safeguards=str(activity.safeguards),
            data=[_group(section) for section in activity.sections if section in REGISTRY],
        )
        for activity in ACTIVITIES.values()
    ]


def sections_without_activity() -> list[str]:
    """Personal data no activity describes yet (a test keeps this empty)."""
    described = {section for activity in ACTIVITIES.values() for section in activity.sections}
    return sorted(set(REGISTRY) - described)
