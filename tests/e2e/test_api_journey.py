"""Browser journey: a member makes an API token (shown once), uses it, revokes it; a coordinator
adds a webhook for their community and sends a test event; the API docs load from vendored
files under the CSP. Every page is checked by axe-core; screenshots at desktop and phone size
in Dutch and English go to var/screenshots/api/."""

from pathlib import Path

import pytest
from django.test import Client

from api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from tests.e2e.browser import navigation, visit
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "api"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_token_made_with_the_keyboard_shown_once_and_revoked(new_page, sign_in, locale, size):
    person = UserFactory(email="tokens@example.org", language=locale[:2])
    page = new_page(locale=locale, viewport=SIZES[size])
    sign_in(page, person)
    visit(page, "/me/tokens/")
    page.locator("#id_name").focus()
    page.keyboard.type("Teams-bot")
    page.locator("input[name=scopes][value=rsvp]").check()
    with navigation(page):
        page.locator("#id_name").press("Enter")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("kp_")
    shoot(page, f"tokens-{locale}-{size}")
    token = ApiToken.objects.get(user=person)
    assert token.scopes == ["read", "rsvp"]
    assert (
        Client().get("/api/v1/me/agenda/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    )

    visit(page, "/me/tokens/")
    assert secret not in page.content()
    revoke = page.locator(f"form[action='/me/tokens/{token.pk}/revoke/'] button")
    revoke.focus()
    with navigation(page):
        page.keyboard.press("Enter")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_coordinator_adds_a_webhook_and_sends_a_test_event(new_page, sign_in, community, locale):
    lead = UserFactory(email="lead@example.org", language=locale[:2])
    MembershipFactory(user=lead, community=community, role="coordinator")
    for size, viewport in SIZES.items():
        page = new_page(locale=locale, viewport=viewport)
        sign_in(page, lead)
        visit(page, "/organisation/webhooks/")
        shoot(page, f"webhooks-{locale}-{size}")
    page.locator("#id_url").fill("http://127.0.0.1:9/hook")
    page.locator("input[name=events][value='session.created']").check()
    page.locator("#id_community").select_option("python-gilde")
    with navigation(page):
        page.locator("#id_url").press("Enter")
    endpoint = WebhookEndpoint.objects.get()
    with navigation(page):
        page.get_by_role(
            "button", name="Send test event" if locale == "en-GB" else "Testbericht sturen"
        ).click()
    assert WebhookDelivery.objects.filter(endpoint=endpoint, event_type="webhook.test").exists()
    shoot(page, f"webhook-detail-{locale}-phone")


def test_api_docs_load_from_vendored_files(page, sign_in, member):
    sign_in(page, member)
    visit(page, "/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Kennisplein API" in page.locator(".swagger-ui .info .title").inner_text()
    shoot(page, "docs-desktop")
