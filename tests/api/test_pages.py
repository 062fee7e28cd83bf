"""The token page (/me/tokens/) and the webhook pages (/organisation/webhooks/)."""

import pytest

from api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from api.tokens.selectors import token_by_secret

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_then_only_its_prefix(client, member):
    client.force_login(member)
    response = client.post(
        "/me/tokens/", {"name": "Teams-bot", "scopes": ["read", "rsvp"], "lifetime": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["new_secret"]
    assert secret in response.content.decode()
    token = token_by_secret(secret)
    assert (token.name, token.scopes, token.kind) == ("Teams-bot", ["read", "rsvp"], "personal")
    again = client.get("/me/tokens/").content.decode()
    assert secret not in again and token.prefix in again


def test_only_staff_make_service_tokens(client, member, staff):
    client.force_login(member)
    client.post("/me/tokens/", {"name": "x", "scopes": ["read"], "lifetime": "30", "service": "on"})
    assert ApiToken.objects.get().kind == "personal"
    client.force_login(staff)
    client.post(
        "/me/tokens/", {"name": "HR", "scopes": ["read"], "lifetime": "365", "service": "on"}
    )
    assert ApiToken.objects.get(name="HR").kind == "service"
    assert "HR" in client.get("/me/tokens/").content.decode()


def test_revoke_from_the_page(client, member):
    client.force_login(member)
    client.post("/me/tokens/", {"name": "weg", "scopes": ["read"], "lifetime": "30"})
    token = ApiToken.objects.get()
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_coordinator_adds_a_community_webhook_and_sends_a_test(client, coordinator, community):
    client.force_login(coordinator)
    response = client.post(
        "/organisation/webhooks/",
        {
            "url": "http://127.0.0.1:9/hook",
            "events": ["session.created"],
            "community": "python-gilde",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response["Location"] == f"/organisation/webhooks/{endpoint.pk}/"
    assert (endpoint.community, endpoint.events) == (community, ["session.created"])
    client.post(f"/organisation/webhooks/{endpoint.pk}/test/")
    delivery = WebhookDelivery.objects.get(event_type="webhook.test")
    page = client.get(f"/organisation/webhooks/{endpoint.pk}/").content.decode()
    assert "webhook.test" in page and endpoint.secret in page
    assert delivery.state in ("pending", "delivering")


def test_coordinator_cannot_add_an_organisation_webhook(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/organisation/webhooks/", {"url": "http://127.0.0.1:9/hook", "events": ["session.created"]}
    )
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_ssrf_target_is_refused_with_a_message(client, staff, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    client.force_login(staff)
    response = client.post(
        "/organisation/webhooks/",
        {"url": "http://169.254.169.254/latest/", "events": ["session.created"], "community": ""},
    )
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()
