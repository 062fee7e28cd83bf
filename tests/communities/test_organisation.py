"""The organisation settings (one row, staff edit it in the app) and /me/ additions."""

import io

import pytest
from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from PIL import Image

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import Organisation
from communities.organisation import organisation_settings
from communities.services.accounts import approval_request_notify
from communities.services.organisation import organisation_update
from tests.factories import CommunityFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories import StaffFactory as MoreStaff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def beheer(db):
    return StaffFactory(email="beheer@kennis.example")


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**changes) -> dict:
    data = {
        "name": "Gemeente Kennisdam",
        "primary_colour": "#0b5394",
        "default_language": "nl",
        "default_timezone": "Europe/Amsterdam",
        "allowed_signup_domains": "kennisdam.nl\nkennisdam.example",
        "community_creation": "everyone",
        "intervision_retention_days": "365",
        "takeaway_review_months": "12",
        "outbox_retention_days": "90",
        "sso_name": "",
        "sso_issuer": "",
        "sso_client_id": "",
        "sso_client_secret": "",
        "sso_allowed_tenants": "",
    }
    data.update(changes)
    return data


def png_bytes(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 83, 148)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_organisation_settings_default_to_the_django_settings_without_a_row():
    settings = organisation_settings()
    assert (settings.name, settings.community_creation, settings.sso_only) == (
        "Kennisplein",
        "everyone",
        False,
    )
    assert Organisation.objects.count() == 0  # reading never writes


def test_staff_save_the_organisation_settings(client, beheer):
    client.force_login(beheer)

    response = client.post("/organisation/", form_data())

    assert (response.status_code, response["Location"]) == (302, "/organisation/")
    row = Organisation.objects.get()
    assert (row.pk, row.name, row.primary_colour) == (1, "Gemeente Kennisdam", "#0b5394")
    assert row.allowed_signup_domains == ["kennisdam.example", "kennisdam.nl"]
    page = client.get("/sessions/").content.decode()
    assert '<a class="brand" href="/">' in page
    assert "Gemeente Kennisdam</a>" in page
    assert f'href="/organisation/theme.css?v={organisation_settings().version}"' in page


def test_the_organisation_name_is_used_in_mail(beheer):
    organisation_update(actor=beheer, changes={"name": "Gemeente Kennisdam"})
    member = UserFactory(email="mia@kennisdam.nl")

    message = outbox_enqueue(dedupe_key="w", kind="welcome", template="welcome", recipient=member)

    assert message.subject == "Welkom bij Gemeente Kennisdam"
    assert "Gemeente Kennisdam" in message.body_text


def test_a_colour_too_light_for_white_text_is_refused_and_nothing_changes(client, english, beheer):
    organisation_update(actor=beheer, changes={"name": "Eerst"})
    client.force_login(beheer)

    response = client.post("/organisation/", form_data(name="Later", primary_colour="#ffdd00"))

    assert response.status_code == 400
    assert response.context["form"].errors["primary_colour"] == [
        "This colour is too light: white text on it has a contrast of 1.3:1, at least 4.5:1 "
        "is needed. Choose a darker colour."
    ]
    assert Organisation.objects.get().name == "Eerst"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("primary_colour", "blue"),
        ("allowed_signup_domains", "not a domain"),
        ("intervision_retention_days", "0"),
        ("default_timezone", "Mars/Olympus"),
        ("community_creation", "nobody"),
        ("sso_issuer", "javascript:alert(1)"),
    ],
)
def test_bad_organisation_settings_are_refused_field_by_field(client, beheer, field, value):
    client.force_login(beheer)

    response = client.post("/organisation/", form_data(**{field: value}))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Organisation.objects.count() == 0


def test_sso_only_without_a_provider_is_refused(client, english, beheer):
    client.force_login(beheer)

    response = client.post("/organisation/", form_data(sso_only="on"))

    assert response.status_code == 400
    assert response.context["form"].errors["sso_only"] == [
        "Single sign-on only needs a single sign-on provider: fill in its issuer and client id "
        "first."
    ]
    with pytest.raises(DomainError) as raised:
        organisation_update(actor=beheer, changes={"sso_only": True})
    assert raised.value.code == "sso_only_without_sso"
    assert Organisation.objects.filter(sso_only=True).count() == 0


def test_client_secret_is_kept_when_left_empty(client, beheer):
    client.force_login(beheer)
    sso = {
        "sso_issuer": "https://login.example.org/tenant/v2.0",
        "sso_client_id": "kennisplein",
    }
    client.post("/organisation/", form_data(**sso, sso_client_secret="geheim-1"))

    client.post("/organisation/", form_data(**sso, sso_client_secret=""))

    assert Organisation.objects.get().sso_client_secret == "geheim-1"
    assert "geheim-1" not in client.get("/organisation/").content.decode()


def test_logo_upload_is_served_and_shown(client, beheer):
    client.force_login(beheer)
    upload = io.BytesIO(png_bytes())
    upload.name = "logo.png"

    response = client.post("/organisation/", {**form_data(), "logo_upload": upload})

    assert response.status_code == 302
    logo = client.get("/organisation/logo")
    assert (logo.status_code, logo["Content-Type"]) == (200, "image/png")
    assert logo.content == png_bytes()
    assert 'class="brand-logo"' in client.get("/sessions/").content.decode()
    client.post("/organisation/", {**form_data(), "remove_logo": "on"})
    assert client.get("/organisation/logo").status_code == 404


def test_a_logo_that_is_not_an_image_is_refused(client, beheer):
    client.force_login(beheer)
    upload = io.BytesIO(b"<svg onload='alert(1)'></svg>")
    upload.name = "logo.png"

    response = client.post("/organisation/", {**form_data(), "logo_upload": upload})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["logo_upload"]
    assert Organisation.objects.count() == 0


def test_theme_stylesheet_carries_the_colour(client, beheer):
    assert client.get("/organisation/theme.css").content == b""
    organisation_update(actor=beheer, changes={"primary_colour": "#5B2C6F"})

    response = client.get("/organisation/theme.css")

    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content == b":root { --primary: #5b2c6f; }\n"


def test_who_may_create_communities_comes_from_the_organisation_settings(client, beheer):
    member = UserFactory()
    client.force_login(member)
    assert client.get("/communities/new/").status_code == 200

    organisation_update(actor=beheer, changes={"community_creation": "staff"})

    assert client.get("/communities/new/").status_code == 404


def test_only_staff_may_change_the_organisation_settings(db):
    member = UserFactory()

    with pytest.raises(DomainError):
        organisation_update(actor=member, changes={"name": "Overgenomen"})

    assert Organisation.objects.count() == 0


def test_unknown_settings_are_refused(beheer):
    with pytest.raises(DomainError) as raised:
        organisation_update(actor=beheer, changes={"logo_content_type": "text/html"})
    assert raised.value.code == "unknown_field"


def test_organisation_settings_are_read_once_per_request(client, beheer, django_assert_num_queries):

    client.force_login(beheer)
    with CaptureQueriesContext(connection) as captured:
        client.get("/organisation/people/")
    reads = [q for q in captured.captured_queries if 'FROM "communities_organisation"' in q["sql"]]
    assert len(reads) == 1


def test_admin_organisation_settings_save_through_the_service(client, beheer):
    client.force_login(beheer)
    assert client.get("/admin/communities/organisation/").status_code == 200

    response = client.post("/admin/communities/organisation/", form_data(name="Via de admin"))

    assert response.status_code == 302
    assert Organisation.objects.get().name == "Via de admin"


@override_settings(OIDC_ISSUER="https://login.example.org/v2.0", OIDC_CLIENT_ID="kp")
def test_sso_configured_in_the_environment_wins(client, english, beheer):
    organisation_update(
        actor=beheer,
        changes={"sso_issuer": "https://other.example.org", "sso_client_id": "other"},
    )
    assert organisation_settings().sso.issuer == "https://login.example.org/v2.0"
    assert organisation_settings().sso.source == "environment"
    client.force_login(beheer)
    assert "Single sign-on is configured in the server's environment" in (
        client.get("/organisation/").content.decode()
    )


def test_organisation_settings_link_to_directory_sync(client, english, beheer):
    """Staff find the directory page (SCIM tokens, group links, held deactivations) from the
    settings, both in the links at the top and beside single sign-on, which it complements."""
    client.force_login(beheer)
    page = client.get("/organisation/").content.decode()
    assert page.count('href="/organisation/directory/"') == 2
    assert "it does not create them in advance or remove leavers" in page


# --- /me/ ------------------------------------------------------------------------------------


def test_me_lists_my_memberships_and_my_second_factor(client, english):
    member = UserFactory()
    MembershipFactory(user=member, community=CommunityFactory(name="Python-gilde"))
    MembershipFactory(
        user=member,
        community=CommunityFactory(name="Oud-gilde"),
        state="left",
    )
    client.force_login(member)

    response = client.get("/me/")

    html = response.content.decode()
    assert [m.community.name for m in response.context["memberships"]] == ["Python-gilde"]
    assert "Python-gilde: member" in html
    assert "Oud-gilde" not in html
    assert "Two-factor authentication is off." in html
    assert 'href="/accounts/2fa/"' in html


def test_approval_mail_goes_to_active_staff_only(beheer):

    StaffFactory(email="oud@kennis.example", is_active=False)
    newcomer = UserFactory(awaiting_approval=True)

    assert approval_request_notify(user=newcomer) == 1
    assert approval_request_notify(user=newcomer) == 1  # idempotent: still one row
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == [
        "beheer@kennis.example"
    ]


def test_the_organisation_default_language_applies_when_nobody_chose_one(client, beheer):
    organisation_update(actor=beheer, changes={"default_language": "en"})

    undecided = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-FR")
    dutch_browser = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")

    assert '<html lang="en">' in undecided.content.decode()
    assert '<html lang="nl">' in dutch_browser.content.decode()


def test_people_list_queries_do_not_grow_with_people(client, beheer):

    client.force_login(beheer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/organisation/people/").status_code == 200
        return len(captured.captured_queries)

    UserFactory.create_batch(3)
    few = queries()
    UserFactory.create_batch(20)
    MoreStaff.create_batch(5)
    UserFactory.create_batch(5, is_active=False)

    assert queries() == few


def _organisation_reads(captured) -> int:
    return len(
        [q for q in captured.captured_queries if 'FROM "communities_organisation"' in q["sql"]]
    )


def test_a_task_that_mails_many_people_reads_the_settings_once():
    """Outside a request each mail read the settings row; inside a task (a batch) it is one
    read, however many mails are rendered, and a read after the task sees a change again."""
    people = UserFactory.create_batch(3)

    @shared_task(name="tests.mail_everyone")
    def mail_everyone():
        for person in people:
            outbox_enqueue(dedupe_key=f"w:{person.pk}", kind="welcome", template="welcome",
                           recipient=person)  # fmt: skip

    with CaptureQueriesContext(connection) as outside:
        for person in people:
            outbox_enqueue(dedupe_key=f"o:{person.pk}", kind="welcome", template="welcome",
                           recipient=person)  # fmt: skip
    with CaptureQueriesContext(connection) as in_task:
        mail_everyone.delay()
    assert (_organisation_reads(outside), _organisation_reads(in_task)) == (3, 1)
    Organisation.objects.update_or_create(pk=1, defaults={"name": "Na de taak"})
    assert organisation_settings().name == "Na de taak"
