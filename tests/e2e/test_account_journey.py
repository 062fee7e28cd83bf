"""Browser journey: sign up with an allowed domain, verify from the mail the real SMTP
server received, switch to Dutch, enrol an authenticator app, log out and in again with a code.

The outbox sends for real: the account mail's send task runs after commit (eager in tests) and
talks SMTP to the aiosmtpd sink. Every page is checked by axe-core (tests/e2e/conftest.py).
"""

import re
import time
from urllib.parse import urlsplit

import pytest

from communities.models import User
from communities.services.organisation import organisation_update
from tests.e2e.browser import navigation, visit
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    totp_code,
)

pytestmark = pytest.mark.browser
PASSWORD = "Een-lang-wachtwoord-42"
CONFIRM_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^/\s]+/")


@pytest.fixture
def mail_to_sink(settings, smtp_server):
    """The outbox's SMTP backend points at the real SMTP sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


def text_of(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def fresh_code(secret: str) -> str:
    """A code that stays valid for a few seconds more (no window change mid-request)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.2)
    return totp_code(secret)


def submit(page, form_selector: str) -> None:
    with navigation(page):
        page.locator(form_selector).first.locator("button[type=submit]").first.click()


def test_account_journey_signup_verify_dutch_totp_and_login_again(new_page, mail_to_sink):
    organisation_update(
        actor=StaffFactory(email="beheer@kennis.example"),
        changes={"name": "Gemeente Kennisdam", "allowed_signup_domains": ["kennis.example"]},
    )
    page = new_page(locale="en-GB")

    # Sign up with an address of the organisation.
    visit(page, "/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.fill("input[name=email]", "nieuw@kennis.example")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page, "main form[action='/accounts/signup/']")
    assert page.url.endswith("/accounts/confirm-email/")
    assert User.objects.get(email="nieuw@kennis.example").language == "en"

    # The verification mail, as the real SMTP server received it.
    (verification,) = mail_to_sink.wait_for(1)
    assert verification["To"] == "nieuw@kennis.example"
    assert verification["Subject"].startswith("[Gemeente Kennisdam] ")
    link = CONFIRM_LINK.search(text_of(verification)).group(0)
    visit(page, link)
    submit(page, "main form")
    assert "_auth_user_id" not in page.url
    assert page.locator("form[action='/accounts/logout/']").count() == 1  # signed in

    # Dutch, from the profile page.
    visit(page, "/me/")
    page.select_option("main select[name=language]", "nl")
    submit(page, "main form[action='/me/']")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert User.objects.get(email="nieuw@kennis.example").language == "nl"

    # An authenticator app: allauth first asks for the password again.
    visit(page, "/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in page.url
    page.fill("input[name=password]", PASSWORD)
    submit(page, "main form")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", fresh_code(secret))
    submit(page, "main form[action='/accounts/2fa/totp/activate/']")
    assert page.url.endswith("/accounts/2fa/recovery-codes/")

    # Log out (in the account menu), and in again: password, then the code.
    page.get_by_role("banner").get_by_role("button", name="Accountmenu").click()
    submit(page, "form[action='/accounts/logout/']")
    assert page.locator("form[action='/accounts/logout/']").count() == 0
    visit(page, "/accounts/login/")
    page.fill("input[name=login]", "nieuw@kennis.example")
    page.fill("input[name=password]", PASSWORD)
    submit(page, "main form[action='/accounts/login/']")
    assert page.url.endswith("/accounts/2fa/authenticate/")
    page.fill("input[name=code]", fresh_code(secret))
    submit(page, "main form[action='/accounts/2fa/authenticate/']")

    assert urlsplit(page.url).path == "/"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("banner").get_by_role("button", name="Accountmenu").click()
    assert page.get_by_role("button", name="Uitloggen").count() == 1
    subjects = [message["Subject"] for message in mail_to_sink.messages]
    assert "Welcome to Gemeente Kennisdam" in subjects


def test_staff_pages_for_the_organisation_and_a_leaver(page, sign_in):
    """Staff set the organisation's colour, find a person and deactivate them (a leaver)."""

    staff = StaffFactory(email="beheer@kennis.example", display_name="Beheer")
    leaver = UserFactory(email="wim@kennis.example", display_name="Wim Weg")
    MembershipFactory(
        user=leaver, community=CommunityFactory(name="Alleen-gilde"), role="coordinator"
    )
    sign_in(page, staff)

    visit(page, "/organisation/")
    page.fill("input[name=name]", "Gemeente Kennisdam")
    page.fill("input[name=primary_colour]", "#5b2c6f")
    submit(page, "main form[action='/organisation/']")
    assert page.locator(".brand").inner_text().strip() == "Gemeente Kennisdam"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(91, 44, 111)"
    )

    visit(page, "/organisation/people/?q=wim")
    with navigation(page):
        page.get_by_role("link", name="wim@kennis.example").click()
    submit(page, f"main form[action='/organisation/people/{leaver.pk}/deactivate/']")

    assert page.locator("#handover-heading").count() == 1
    assert "Alleen-gilde" in page.locator("main").inner_text()
    leaver.refresh_from_db()
    assert leaver.is_active is False
