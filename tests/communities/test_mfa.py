"""Two-factor authentication (allauth.mfa): optional for members, required for staff and /admin/.

Codes are computed here from the secret, as an authenticator app would.
"""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory

from config.admin import AdminSite
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory, totp_code

pytestmark = pytest.mark.django_db
# 10 s into a 30 s TOTP window: every step of a test stays in the same window.
MOMENT = datetime(2030, 1, 7, 9, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return time_machine


def password_login(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def reauthenticate(client):
    """allauth asks for the password again before security changes (ASVS 7.5.1)."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


def enrol_totp(client) -> str:
    """Set up an authenticator app on /accounts/2fa/totp/activate/; returns its secret."""
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/recovery-codes/")
    return secret


def test_totp_enrolment_then_login_asks_for_the_code(client, frozen):
    member = UserFactory(email="mia@example.org")
    assert password_login(client, member)["Location"] == "/"

    secret = enrol_totp(client)

    assert sorted(Authenticator.objects.filter(user=member).values_list("type", flat=True)) == [
        "recovery_codes",
        "totp",
    ]
    client.post("/accounts/logout/")
    frozen.shift(timedelta(seconds=30))  # the next window: a fresh code

    first = password_login(client, member)
    assert (first.status_code, first["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert signed_in(client) is None
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert signed_in(client) is None

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in(client) == member.pk


def test_totp_code_used_once_is_refused_the_second_time(client, frozen):
    member = UserFactory(email="mia@example.org")
    password_login(client, member)
    secret = enrol_totp(client)
    client.post("/accounts/logout/")
    frozen.shift(timedelta(seconds=30))
    code = totp_code(secret)
    password_login(client, member)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    password_login(client, member)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Ongeldige code."]
    assert signed_in(client) is None


def test_recovery_code_logs_in_once(client, frozen):
    member = UserFactory(email="mia@example.org")
    password_login(client, member)
    enrol_totp(client)
    client.post("/accounts/logout/")
    recovery = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]

    password_login(client, member)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert signed_in(client) == member.pk
    client.post("/accounts/logout/")
    password_login(client, member)
    again = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert again.status_code == 200
    assert signed_in(client) is None


def test_mfa_is_optional_for_members(client):
    member = UserFactory(email="mia@example.org")
    assert password_login(client, member)["Location"] == "/"
    assert client.get("/sessions/").status_code == 200
    assert client.get("/me/").status_code == 200


def test_member_may_switch_totp_off_again(client, frozen):
    member = UserFactory(email="mia@example.org")
    password_login(client, member)
    enrol_totp(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type="totp").count() == 0


# --- staff and the admin ------------------------------------------------------------------------


def test_staff_login_asks_for_the_second_factor(client, frozen):
    staff = StaffFactory(email="beheer@example.org")

    response = password_login(client, staff)

    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert signed_in(client) is None
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert signed_in(client) == staff.pk
    assert client.get("/admin/").status_code == 200


def test_admin_refuses_a_staff_member_without_mfa(client):
    staff = StaffFactory(email="beheer@example.org", mfa=False)
    assert password_login(client, staff)["Location"] == "/"

    admin_index = client.get("/admin/")
    admin_login = client.get("/admin/login/?next=/admin/")
    users = client.get("/admin/communities/user/")

    assert (admin_index.status_code, admin_index["Location"]) == (302, "/accounts/2fa/")
    assert (admin_login.status_code, admin_login["Location"]) == (302, "/accounts/2fa/")
    assert (users.status_code, users["Location"]) == (302, "/accounts/2fa/")


def _request_as(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_admin_site_itself_refuses_staff_without_mfa_whatever_the_middleware():
    without = StaffFactory(email="zonder@example.org", mfa=False)
    with_mfa = StaffFactory(email="met@example.org")
    assert isinstance(admin.site, AdminSite)

    assert admin.site.has_permission(_request_as(without)) is False
    assert admin.site.has_permission(_request_as(with_mfa)) is True
    response = AdminSite.login(admin.site, _request_as(without, "/admin/login/"))
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/")


def test_staff_without_mfa_are_sent_to_set_it_up_from_every_page(client):
    staff = StaffFactory(email="beheer@example.org", mfa=False)
    client.force_login(staff)

    for path in ("/", "/sessions/", "/me/", "/organisation/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/"), path
    assert client.get("/accounts/2fa/").status_code == 200


def test_staff_without_mfa_get_the_admin_once_they_enrol(client, frozen):
    staff = StaffFactory(email="beheer@example.org", mfa=False)
    password_login(client, staff)

    enrol_totp(client)

    assert client.get("/admin/").status_code == 200
    assert client.get("/organisation/").status_code == 200


def test_staff_cannot_remove_their_last_second_factor(client, frozen, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    staff = StaffFactory(email="beheer@example.org")
    password_login(client, staff)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    reauthenticate(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=staff, type="totp").count() == 1
    assert (
        "Staff need two-factor authentication: add another method before removing this one."
        in response.content.decode()
    )


def test_security_keys_can_be_added_without_any_network(client):
    """Passkeys / security keys (WebAuthn, python-fido2): the page to add one works offline."""
    member = UserFactory(email="mia@example.org")
    password_login(client, member)
    reauthenticate(client)

    index = client.get("/accounts/2fa/")
    add = client.get("/accounts/2fa/webauthn/add/")

    assert 'href="/accounts/2fa/webauthn/add/"' in index.content.decode()
    assert add.status_code == 200
    html = add.content.decode()
    assert "/static/mfa/js/webauthn.js" in html
    assert "<script>" not in html  # only external scripts and JSON data blocks (CSP)
