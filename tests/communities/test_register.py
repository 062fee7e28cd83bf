"""The processing register: every kind of personal data the app holds is described (purpose,
whose, who sees it, how long), its fields come from the models and its retention periods from
the settings, as a page only staff open."""

import pytest
from django.test import override_settings

from communities.personal_data import REGISTRY
from communities.register.activities import ACTIVITIES
from communities.register.selectors import processing_register, sections_without_activity
from communities.services.organisation import organisation_update
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_kind_of_personal_data_is_described_by_an_activity():
    """Add your personal-data section to an activity (``register_activity``) when this fails."""
    assert sections_without_activity() == []
    described = [section for a in ACTIVITIES.values() for section in a.sections]
    assert len(described) == len(set(described))  # each section under one activity
    assert set(described) <= set(REGISTRY)


@override_settings(AUDIT_RETENTION_DAYS=400, LANGUAGE_CODE="en")
def test_the_register_takes_fields_from_the_models_and_periods_from_the_settings():
    organisation_update(
        actor=StaffFactory(),
        changes={"outbox_retention_days": 45, "intervision_retention_days": 200},
    )

    entries = {entry.title: entry for entry in processing_register()}

    assert entries["Outgoing mail"].retention == (
        "Sent and failed messages: 45 days after sending (organisation setting)."
    )
    assert entries["Intervision: records"].retention == (
        "200 days after the session (organisation setting)."
    )
    assert entries["Audit log"].retention.startswith("400 days (AUDIT_RETENTION_DAYS)")
    [cases] = [
        g
        for g in entries["Intervision: cases and the live session"].data
        if g.section == "intervision_cases"
    ]
    assert cases.fields[:1] == ["group"]
    assert {"title", "your question, in the first person", "urgency"} <= set(cases.fields)
    assert "content key" not in cases.fields
    assert cases.erasure == "erased with the account; what others need stays without the person"
    [profile] = entries["Accounts and signing in"].data[:1]
    assert "e-mail address" in profile.fields and profile.erasure == "deleted with the account"


def test_the_register_page_is_for_staff_in_both_languages(client):
    staff = StaffFactory(language="en")
    client.force_login(UserFactory())
    assert client.get("/organisation/register/").status_code == 404

    client.force_login(staff)
    english = client.get("/organisation/register/")
    assert english.status_code == 200
    assert "Processing register" in english.text
    assert "Intervision: cases and the live session" in english.text

    staff.language = "nl"
    staff.save(update_fields=["language"])
    dutch = client.get("/organisation/register/")
    assert "Verwerkingsregister" in dutch.text
    assert "Intervisie: casussen en de live sessie" in dutch.text
