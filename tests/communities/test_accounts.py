"""Accounts (allauth): sign-up with mandatory verification through the outbox, login, limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from communities.mail.models import OutboxMessage
from communities.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email="nieuw@example.org", password="Een-lang-wachtwoord-42"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_signup_sends_verification_mail_through_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="Nieuw@Example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "nieuw@example.org"
    message = OutboxMessage.objects.get(kind="account")
    assert message.to_email == "nieuw@example.org"
    assert message.state == "sent"
    assert message.language == "nl"
    assert CONFIRM_LINK.search(message.body_text)
    assert CONFIRM_LINK.search(message.body_html)
    assert [m.to for m in mail.outbox] == [["nieuw@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_signup_unverified_person_cannot_log_in(client):
    sign_up(client)
    response = client.post(
        "/accounts/login/", {"login": "nieuw@example.org", "password": "Een-lang-wachtwoord-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_confirming_email_logs_in_and_sends_welcome_once(
    client, django_capture_on_commit_callbacks
):
    sign_up(client)
    link = CONFIRM_LINK.search(OutboxMessage.objects.get(kind="account").body_text).group(1)

    # The link from the mail only shows a page; confirming takes a POST (mail scanners, rule 10).
    assert client.get(link).status_code == 200
    assert EmailAddress.objects.get().verified is False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get().verified is True
    user = User.objects.get()
    assert client.session["_auth_user_id"] == str(user.pk)
    welcome = OutboxMessage.objects.get(kind="welcome")
    assert welcome.dedupe_key == f"welcome:{user.pk}"
    assert welcome.to_email == "nieuw@example.org"


def test_login_with_email_and_password(client):
    user = UserFactory(email="daan@example.org")
    response = client.post("/accounts/login/", {"login": "daan@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_failures_are_rate_limited_per_account(client):
    UserFactory(email="daan@example.org")
    for _attempt in range(5):
        response = client.post(
            "/accounts/login/", {"login": "daan@example.org", "password": "wrong"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    # Even the right password is refused once the account's limit is reached.
    response = client.post("/accounts/login/", {"login": "daan@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.content.decode()


def test_password_reset_mail_goes_through_outbox(client, django_capture_on_commit_callbacks):
    UserFactory(email="daan@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "daan@example.org"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="account")
    assert message.language == "en"
    assert "/accounts/password/reset/key/" in message.body_text
    assert message.state == "sent"


def test_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
