"""API rows for tests/test_personal_data.py's ``people``: the member's token, idempotency key
and webhook subscription; the other person has a token too (so leaks would show)."""

from datetime import timedelta

from django.utils import timezone

from api.models import ApiToken, IdempotencyKey, WebhookEndpoint
from tests.api.conftest import make_token


def plant(member, other, community) -> dict:
    expires = timezone.now() + timedelta(days=200)
    make_token(member, ["read", "rsvp"], name="Teams bot", expires_at=expires)
    make_token(other, ["read"], name="Otto's script", expires_at=expires)
    key = IdempotencyKey.objects.create(
        user=member, key="rsvp-42", fingerprint="f", status_code=200
    )
    hook = WebhookEndpoint.objects.create(
        community=community,
        url="https://hooks.example.org/mia",
        events=["session.created"],
        secret="whsec_dGVzdA==",
        created_by=member,
    )
    return {"api_token": ApiToken.objects.get(user=member), "idempotency": key, "webhook": hook}


def expected_export(mine: dict) -> dict:
    token = mine["api_token"]
    return {
        "api_tokens": [
            {
                "name": "Teams bot",
                "kind": "personal",
                "prefix": token.prefix,
                "scopes": ["read", "rsvp"],
                "created_at": token.created_at.isoformat(),
                "expires_at": token.expires_at.isoformat(),
                "last_used_at": None,
                "revoked_at": None,
            }
        ],
        "api_idempotency_keys": [
            {"key": "rsvp-42", "status": 200, "at": mine["idempotency"].created_at.isoformat()}
        ],
        "webhook_subscriptions": [
            {
                "url": "https://hooks.example.org/mia",
                "community": "Python-gilde",
                "events": ["session.created"],
                "active": True,
                "created_at": mine["webhook"].created_at.isoformat(),
            }
        ],
    }


SECTIONS = {"api_tokens", "api_idempotency_keys", "webhook_subscriptions"}

RELATIONS = {
    ("api.ApiToken", "user"),
    ("api.IdempotencyKey", "user"),
    ("api.WebhookEndpoint", "created_by"),
}
