"""The audit log: staff actions, admin changes, exports and deactivations are entries (who,
what, when); staff read and export them; they are pruned after the retention period and an
erased person is no longer named in them."""

import csv
import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.audit.services import audit_forget_person, audit_prune, audit_record
from communities.models import User
from communities.services.accounts import account_erase
from tests.factories import CommunityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(settings):
    """Pages in English: people without a language of their own get the default."""
    settings.LANGUAGE_CODE = "en"


def events() -> list[tuple[str, str | None, str]]:
    return [
        (e.additional_data["event"], e.actor_email or None, e.object_repr)
        for e in LogEntry.objects.order_by("pk")
    ]


def test_audit_record_stores_who_what_when_and_the_address(rf):
    staff = StaffFactory(email="beheer@example.org")
    person = UserFactory(display_name="Lea Leaver")
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    before = timezone.now()

    entry = audit_record(
        actor=staff, action="person.deactivate", target=person, detail="leaver", request=request
    )

    entry.refresh_from_db()
    assert entry.actor == staff
    assert entry.actor_email == "beheer@example.org"
    assert entry.object_pk == str(person.pk)
    assert entry.object_repr == "Lea Leaver"
    assert entry.content_type.model_class() is User
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.additional_data == {"event": "person.deactivate", "detail": "leaver"}
    assert entry.remote_addr == "192.0.2.7"
    assert before <= entry.timestamp <= timezone.now()


def test_audit_record_refuses_an_unknown_event():
    with pytest.raises(ValueError, match="unknown audit event"):
        audit_record(actor=None, action="person.teleport", target=UserFactory())
    assert LogEntry.objects.count() == 0


def test_staff_deactivating_and_reactivating_a_person_is_recorded(client):
    staff = StaffFactory(email="beheer@example.org")
    person = UserFactory(display_name="Lea Leaver")
    client.force_login(staff)

    client.post(f"/organisation/people/{person.pk}/deactivate/")
    client.post(f"/organisation/people/{person.pk}/reactivate/")

    assert events() == [
        ("person.deactivate", "beheer@example.org", "Lea Leaver"),
        ("person.reactivate", "beheer@example.org", "Lea Leaver"),
    ]
    assert LogEntry.objects.first().remote_addr == "127.0.0.1"


def test_a_change_in_the_admin_is_recorded_with_its_fields(client):
    staff = StaffFactory(email="beheer@example.org")
    community = CommunityFactory(name="Python-gilde", slug="python-gilde")
    client.force_login(staff)
    page = client.get(f"/admin/communities/community/{community.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "name": "Python-gilde Noord",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )

    response = client.post(f"/admin/communities/community/{community.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    [entry] = LogEntry.objects.all()
    assert entry.additional_data["event"] == "admin.change"
    assert "name" in entry.additional_data["detail"].lower()
    assert entry.actor == staff
    assert entry.object_repr == "Python-gilde Noord"


def test_downloading_my_data_is_recorded(client):
    person = UserFactory(email="mia@example.org", display_name="Mia")
    client.force_login(person)

    assert client.get("/me/data.json").status_code == 200

    assert events() == [("export.personal_data", "mia@example.org", "Mia")]


def test_the_audit_page_lists_entries_for_staff_only_and_filters(client, english):
    staff = StaffFactory(email="beheer@example.org", language="en")
    person = UserFactory(display_name="Lea Leaver")
    audit_record(actor=staff, action="person.deactivate", target=person)
    audit_record(actor=person, action="export.personal_data", target=person)

    client.force_login(person)
    assert client.get("/organisation/audit/").status_code == 404
    client.force_login(staff)
    page = client.get("/organisation/audit/")
    assert page.status_code == 200
    assert [row["what"] for row in page.context["rows"]] == [
        "downloaded their personal data",
        "deactivated a person",
    ]
    only = client.get("/organisation/audit/", {"event": "person.deactivate"})
    assert [row["who"] for row in only.context["rows"]] == ["beheer@example.org"]
    assert "Lea Leaver" in only.text
    nothing = client.get("/organisation/audit/", {"until": "2001-01-01"})
    assert nothing.context["rows"] == []
    bad = client.get("/organisation/audit/", {"since": "9999-12-31"})
    assert bad.status_code == 400


def test_the_export_is_a_csv_and_itself_an_entry(client, english):
    staff = StaffFactory(email="beheer@example.org", language="en")
    person = UserFactory(display_name="=HYPERLINK(1)")
    audit_record(actor=staff, action="person.deactivate", target=person)
    client.force_login(staff)

    response = client.get("/organisation/audit.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "When",
        "Who",
        "What",
        "Kind",
        "Concerning",
        "Detail",
        "Changes",
        "Address",
    ]
    assert [row[1:5] for row in rows[1:]] == [
        ["beheer@example.org", "exported the audit log", "organisation settings", "Kennisplein"],
        ["beheer@example.org", "deactivated a person", "person", "'=HYPERLINK(1)"],
    ]


def test_the_audit_page_makes_as_many_queries_for_one_entry_as_for_fifty(client):
    staff = StaffFactory()
    client.force_login(staff)
    audit_record(actor=staff, action="person.deactivate", target=UserFactory())
    client.get("/organisation/audit/")  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        client.get("/organisation/audit/")
    for _ in range(49):
        audit_record(actor=UserFactory(), action="person.deactivate", target=UserFactory())
    with CaptureQueriesContext(connection) as fifty:
        page = client.get("/organisation/audit/")
    assert len(page.context["rows"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


@override_settings(AUDIT_RETENTION_DAYS=30)
def test_entries_older_than_the_retention_are_pruned(time_machine):
    staff = StaffFactory()
    time_machine.move_to(timezone.now() - timedelta(days=31))
    old = audit_record(actor=staff, action="person.deactivate", target=staff)
    time_machine.move_to(timezone.now() + timedelta(days=2))
    kept = audit_record(actor=staff, action="person.reactivate", target=staff)
    time_machine.move_to(timezone.now() + timedelta(days=29, hours=23))

    assert audit_prune() == 1
    assert audit_prune() == 0
    assert list(LogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not LogEntry.objects.filter(pk=old.pk).exists()


def test_an_erased_person_is_no_longer_named_but_what_happened_stays(rf):
    staff = StaffFactory(email="beheer@example.org")
    person = UserFactory(email="lea@example.org", display_name="Lea Leaver")
    request = rf.get("/", REMOTE_ADDR="192.0.2.9")
    audit_record(actor=person, action="export.personal_data", target=person, request=request)
    audit_record(actor=staff, action="person.deactivate", target=person)

    account_erase(user=person)

    rows = list(
        LogEntry.objects.order_by("pk").values_list(
            "actor", "actor_email", "remote_addr", "object_repr", "additional_data__event"
        )
    )
    assert rows == [
        (None, "", None, "(erased)", "export.personal_data"),
        (staff.pk, "beheer@example.org", None, "(erased)", "person.deactivate"),
    ]
    assert audit_forget_person(user=UserFactory()) == 0


def test_a_new_feed_token_and_an_intervision_history_download_are_recorded(client):
    person = UserFactory(email="mia@example.org", display_name="Mia")
    client.force_login(person)

    assert client.post("/me/calendar/").status_code == 200
    assert client.get("/intervision/history.csv").status_code == 200

    assert [(e[0], e[1]) for e in events()] == [
        ("token.create", "mia@example.org"),
        ("export.intervision_history", "mia@example.org"),
    ]
    assert [e.additional_data["detail"] for e in LogEntry.objects.order_by("pk")] == [
        "calendar feed",
        "csv",
    ]
