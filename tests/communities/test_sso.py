"""Single sign-on against a real OpenID Connect provider in a second process.

The provider is django-oauth-toolkit with OIDC on (tests/oidc_provider/, RS256 key made here),
serving on 127.0.0.1. Our side runs in the Django test client; the person's browser on the
provider's side is ``requests``. Discovery, token exchange and userinfo are real HTTP calls from
allauth to the provider.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import RequestFactory

from communities.adapters import SocialAccountAdapter
from communities.mail.models import OutboxMessage
from communities.models import Organisation, User
from communities.services.accounts import user_deactivate
from communities.services.organisation import organisation_update
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.oidc_provider.process import CALLBACK, OidcProvider

TENANT = "7c0b7f0e-4d2a-4d8e-9b1c-kennisplein"
OTHER_TENANT = "0f9e8d7c-other-organisation"
PEOPLE = [
    {
        "username": "alice",
        "password": "alice-at-the-idp-1",
        "claims": {
            "email": "alice@kennis.example",
            "email_verified": True,
            "name": "Alice Aalbers",
            "tid": TENANT,
        },
    },
    {
        "username": "bob",
        "password": "bob-at-the-idp-1",
        "claims": {
            "email": "bob@kennis.example",
            "email_verified": True,
            "name": "Bob Buiten",
            "tid": OTHER_TENANT,
        },
    },
    {
        "username": "carol",
        "password": "carol-at-the-idp-1",
        "claims": {"email": "carol@kennis.example", "email_verified": True, "tid": TENANT},
    },
    {
        "username": "dave",
        "password": "dave-at-the-idp-1",
        "claims": {"email": "dave@elders.example", "email_verified": True, "tid": TENANT},
    },
    {
        "username": "erin",
        "password": "erin-at-the-idp-1",
        "claims": {"email": "erin@kennis.example", "email_verified": False, "tid": TENANT},
    },
    {
        "username": "gina",
        "password": "gina-at-the-idp-1",
        # Google Workspace says which domain (hosted domain) the account belongs to.
        "claims": {"email": "gina@kennis.example", "email_verified": True, "hd": "kennis.example"},
    },
]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    provider = OidcProvider(
        workdir=tmp_path_factory.mktemp("oidc-provider"), people=PEOPLE, redirect_uris=[CALLBACK]
    ).start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sso(db, oidc_provider):
    """Staff configured the provider in the organisation settings (the in-app way)."""
    organisation_update(
        actor=StaffFactory(email="beheer@kennis.example"),
        changes={
            "sso_name": "Kennis-ID",
            "sso_issuer": oidc_provider.issuer,
            "sso_client_id": oidc_provider.client_id,
            "sso_client_secret": oidc_provider.client_secret,
            "sso_allowed_tenants": [TENANT, "kennis.example"],
            "allowed_signup_domains": ["kennis.example"],
        },
    )
    return oidc_provider


@pytest.fixture
def english(client, settings):
    """Pages in English (the language cookie, as the switcher sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def start_login(client, **data):
    response = client.post("/accounts/oidc/sso/login/", {"process": "login", **data})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sso_login(client, provider, username: str):
    """The whole authorization-code flow; returns our answer to the provider's redirect."""
    callback = provider.sign_in(start_login(client), username)
    assert callback.startswith("http://testserver/accounts/oidc/sso/login/callback/"), callback
    return client.get(callback.removeprefix("http://testserver"))


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def counts() -> tuple[int, int, int]:
    return User.objects.count(), SocialAccount.objects.count(), EmailAddress.objects.count()


# --- discovery --------------------------------------------------------------------------------


def test_sso_discovery_sends_the_browser_to_the_providers_authorize_endpoint(client, sso):
    discovery = __import__("requests").get(sso.discovery_url, timeout=5).json()
    assert discovery["issuer"] == sso.issuer
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]

    location = start_login(client)

    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == discovery["authorization_endpoint"]
    query = parse_qs(parts.query)
    assert query["client_id"] == [sso.client_id]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 12


def test_sso_login_page_shows_the_providers_button(client, sso, english):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/accounts/oidc/sso/login/?process=login"' in html
    assert "Log in with Kennis-ID" in html
    assert 'name="password"' in html  # not SSO-only: the password form stays


def test_sso_provider_comes_from_the_environment_when_set(client, db, oidc_provider, settings):
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_PROVIDER_NAME = "Omgeving-ID"
    settings.OIDC_ALLOWED_TENANTS = [TENANT]
    assert Organisation.objects.filter(sso_issuer__gt="").count() == 0

    response = sso_login(client, oidc_provider, "alice")

    assert (response.status_code, response["Location"]) == (302, "/")
    alice = User.objects.get(email="alice@kennis.example")
    assert signed_in(client) == alice.pk


# --- first login, linking, refusals -------------------------------------------------------------


def test_sso_first_login_creates_a_verified_account_and_signs_in(client, sso):
    before = counts()

    response = sso_login(client, sso, "alice")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    alice = User.objects.get(email="alice@kennis.example")
    assert signed_in(client) == alice.pk
    assert alice.display_name == "Alice Aalbers"
    assert alice.has_usable_password() is False
    assert alice.awaiting_approval is False
    address = EmailAddress.objects.get(user=alice)
    assert (address.email, address.verified, address.primary) == (
        "alice@kennis.example",
        True,
        True,
    )
    account = SocialAccount.objects.get(user=alice)
    assert account.provider == "sso"
    assert account.extra_data["userinfo"]["tid"] == TENANT
    assert account.extra_data["id_token"]["iss"] == sso.issuer
    # Verified by the identity provider: no verification mail.
    assert OutboxMessage.objects.filter(to_email="alice@kennis.example").count() == 0


def test_sso_second_login_reuses_the_account(client, sso):
    sso_login(client, sso, "alice")
    client.logout()

    response = sso_login(client, sso, "alice")

    assert response.status_code == 302
    assert User.objects.filter(email="alice@kennis.example").count() == 1
    assert SocialAccount.objects.count() == 1
    assert signed_in(client) == User.objects.get(email="alice@kennis.example").pk


def test_sso_login_links_the_existing_account_with_the_same_verified_email(client, sso):
    carol = UserFactory(email="carol@kennis.example", display_name="Carol Local")
    users_before = User.objects.count()

    response = sso_login(client, sso, "carol")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert User.objects.count() == users_before
    assert signed_in(client) == carol.pk
    assert list(SocialAccount.objects.values_list("user_id", "provider")) == [(carol.pk, "sso")]
    carol.refresh_from_db()
    assert carol.display_name == "Carol Local"
    # Her address was verified: her password keeps working.
    assert carol.check_password(PASSWORD)


def test_sso_refuses_a_person_from_another_tenant_and_stores_nothing(client, sso, english):
    before = counts()

    response = sso_login(client, sso, "bob")

    assert response.status_code == 403
    assert "Your account belongs to another organisation." in response.content.decode()
    assert counts() == before
    assert signed_in(client) is None


def test_sso_tenant_check_also_refuses_a_known_person_from_another_tenant(client, sso):
    UserFactory(email="bob@kennis.example")
    before = counts()

    response = sso_login(client, sso, "bob")

    assert response.status_code == 403
    assert counts() == before
    assert signed_in(client) is None


def test_sso_accepts_a_google_workspace_hosted_domain_as_tenant(client, sso):
    response = sso_login(client, sso, "gina")

    assert response.status_code == 302
    assert signed_in(client) == User.objects.get(email="gina@kennis.example").pk


def test_sso_refuses_a_new_person_from_a_domain_that_may_not_sign_up(client, sso, english):
    before = counts()

    response = sso_login(client, sso, "dave")

    assert response.status_code == 403
    assert "Sign-up is only open to addresses of this organisation (@kennis.example)." in (
        response.content.decode()
    )
    assert counts() == before
    assert signed_in(client) is None


def test_sso_with_an_unverified_address_asks_for_verification(client, sso):
    response = sso_login(client, sso, "erin")

    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    erin = User.objects.get(email="erin@kennis.example")
    assert EmailAddress.objects.get(user=erin).verified is False
    assert signed_in(client) is None
    assert OutboxMessage.objects.filter(to_email="erin@kennis.example", kind="account").count() == 1


def test_sso_does_not_link_an_account_whose_address_is_unverified_without_wiping_it(client, sso):
    """Someone who signed up with carol's address but never verified it cannot ride along:
    allauth links the verified SSO identity and wipes the squatter's password."""
    squatter = UserFactory(email="carol@kennis.example", verified=False)

    response = sso_login(client, sso, "carol")

    assert response.status_code == 302
    squatter.refresh_from_db()
    assert squatter.has_usable_password() is False


# --- tampered callbacks -----------------------------------------------------------------------


def _tampered(callback: str, **changes) -> str:
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


def test_sso_callback_with_a_tampered_state_is_refused_and_creates_nothing(client, sso, english):
    callback = sso.sign_in(start_login(client), "alice")
    before = counts()

    response = client.get(_tampered(callback, state="forged-state-value"))

    assert response.status_code == 401
    assert "Single sign-on did not work" in response.content.decode()
    assert counts() == before
    assert signed_in(client) is None


def test_sso_callback_with_a_tampered_code_is_refused_and_creates_nothing(client, sso):
    callback = sso.sign_in(start_login(client), "alice")
    before = counts()

    response = client.get(_tampered(callback, code="forged-code"))

    assert response.status_code == 401
    assert counts() == before
    assert signed_in(client) is None


def test_sso_callback_used_twice_is_refused_the_second_time(client, sso):
    callback = sso.sign_in(start_login(client), "alice")
    first = client.get(callback.removeprefix("http://testserver"))
    assert first.status_code == 302
    client.logout()
    before = counts()

    second = client.get(callback.removeprefix("http://testserver"))

    assert second.status_code == 401
    assert counts() == before
    assert signed_in(client) is None


def test_sso_callback_with_an_error_from_the_provider_creates_nothing(client, sso):
    location = start_login(client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    before = counts()

    response = client.get(
        "/accounts/oidc/sso/login/callback/?" + urlencode({"error": "server_error", "state": state})
    )

    assert response.status_code == 401
    assert counts() == before


# --- leavers, approval, SSO-only ---------------------------------------------------------------


def test_sso_login_of_a_deactivated_person_is_refused(client, sso):
    sso_login(client, sso, "alice")
    client.logout()
    alice = User.objects.get(email="alice@kennis.example")
    user_deactivate(actor=User.objects.get(email="beheer@kennis.example"), user=alice)

    response = sso_login(client, sso, "alice")

    assert (response.status_code, response["Location"]) == (302, "/accounts/inactive/")
    assert signed_in(client) is None


def test_sso_sign_up_waits_for_staff_approval(client, sso, django_capture_on_commit_callbacks):
    staff = User.objects.get(email="beheer@kennis.example")
    organisation_update(actor=staff, changes={"signup_requires_approval": True})

    response = sso_login(client, sso, "alice")

    assert (response.status_code, response["Location"]) == (302, "/signup/pending/")
    alice = User.objects.get(email="alice@kennis.example")
    assert alice.awaiting_approval is True
    assert signed_in(client) is None
    request = OutboxMessage.objects.get(kind="approval_request")
    assert (request.recipient_id, request.dedupe_key) == (
        staff.pk,
        f"approval-request:{alice.pk}:{staff.pk}",
    )


def test_sso_only_mode_keeps_the_provider_and_closes_passwords(client, sso, english):
    staff = User.objects.get(email="beheer@kennis.example")
    organisation_update(actor=staff, changes={"sso_only": True})
    member = UserFactory(email="mia@kennis.example")

    login_page = client.get("/accounts/login/").content.decode()
    signup = client.get("/accounts/signup/")
    refused_signup = client.post(
        "/accounts/signup/",
        {"email": "new@kennis.example", "password1": "Lang-wachtwoord-42", "password2": "x"},
    )
    password_login = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD}, follow=True
    )

    assert "Log in with Kennis-ID" in login_page
    assert '<details class="fallback-login"' in login_page
    assert "Sign up with single sign-on" in signup.content.decode()
    assert 'name="password1"' not in signup.content.decode()
    assert User.objects.filter(email="new@kennis.example").count() == 0
    assert refused_signup.status_code == 200
    assert signed_in(client) is None
    assert "This organisation signs in with single sign-on only." in [
        str(m) for m in password_login.context["messages"]
    ]
    # Single sign-on still works.
    assert sso_login(client, sso, "alice").status_code == 302
    assert signed_in(client) == User.objects.get(email="alice@kennis.example").pk


def test_sso_only_mode_keeps_a_password_fallback_for_staff(client, sso):
    staff = User.objects.get(email="beheer@kennis.example")
    organisation_update(actor=staff, changes={"sso_only": True})

    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})

    # On to the second factor (staff have MFA), not refused.
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")


def test_sso_adapter_offers_no_provider_without_configuration(db):

    assert SocialAccountAdapter(None).list_apps(RequestFactory().get("/")) == []
