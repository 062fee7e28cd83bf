"""Webhook messages signed per the Standard Webhooks specification (the ``standardwebhooks``
package): ``webhook-id``, ``webhook-timestamp``, ``webhook-signature`` over the exact body."""

import base64
import json
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook


def new_secret() -> str:
    """A fresh signing secret (``whsec_`` + 32 random bytes in base64), shown to the receiver."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def body_of(payload: dict) -> bytes:
    """The bytes sent (and signed): compact JSON with sorted keys, the same on every retry."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(*, secret: str, message_id: str, at: datetime, body: bytes) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
