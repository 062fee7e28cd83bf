"""What the API app holds about a person, for "download my data" and erasure (rule 9): their
tokens (never the secret), their idempotency keys, and the webhook subscriptions they made."""

from api.models import ApiToken, IdempotencyKey, WebhookEndpoint
from communities.models import User
from communities.personal_data import iso, register


def _export_tokens(user: User) -> list[dict]:
    return [
        {
            "name": token.name,
            "kind": token.kind,
            "prefix": token.prefix,
            "scopes": token.scopes,
            "created_at": iso(token.created_at),
            "expires_at": iso(token.expires_at),
            "last_used_at": iso(token.last_used_at),
            "revoked_at": iso(token.revoked_at),
        }
        for token in ApiToken.objects.filter(user=user).order_by("id")
    ]


def _export_idempotency_keys(user: User) -> list[dict]:
    return [
        {"key": row.key, "status": row.status_code, "at": iso(row.created_at)}
        for row in IdempotencyKey.objects.filter(user=user).order_by("id")
    ]


def _export_webhooks(user: User) -> list[dict]:
    return [
        {
            "url": endpoint.url,
            "community": endpoint.community.name if endpoint.community_id else None,
            "events": endpoint.events,
            "active": endpoint.active,
            "created_at": iso(endpoint.created_at),
        }
        for endpoint in WebhookEndpoint.objects.filter(created_by=user)
        .select_related("community")
        .order_by("id")
    ]


def _erase_webhooks(user: User) -> None:
    """The person's subscriptions go with them (their URLs may name them or their systems)."""
    WebhookEndpoint.objects.filter(created_by=user).delete()


def register_personal_data() -> None:
    register(
        section="api_tokens",
        model=ApiToken,
        user_fields=("user",),
        export=_export_tokens,
        erasure="cascade",
    )
    register(
        section="api_idempotency_keys",
        model=IdempotencyKey,
        user_fields=("user",),
        export=_export_idempotency_keys,
        erasure="cascade",
    )
    register(
        section="webhook_subscriptions",
        model=WebhookEndpoint,
        user_fields=("created_by",),
        export=_export_webhooks,
        erasure=_erase_webhooks,
    )
