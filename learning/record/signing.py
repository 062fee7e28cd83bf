"""The signed token of a learning statement (its QR code and verification URL) and the digest
of what the statement says: a changed token, or a changed statement, no longer verifies."""

import hashlib
import json

from django.core import signing

SALT = "kennisplein.learning-statement"


def statement_digest(
    *, person_name: str, period: tuple[str, str], lines: list[dict], total: str
) -> str:
    canonical = json.dumps(
        {"name": person_name, "period": list(period), "lines": lines, "total": total},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def statement_token(*, public_id: str, digest: str) -> str:
    return signing.dumps({"s": public_id, "d": digest}, salt=SALT, compress=True)


def read_token(token: str) -> dict | None:
    """The token's contents, or None when it was not made by us or was changed."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not {"s", "d"} <= set(payload):
        return None
    return payload


def statement_is_intact(statement) -> bool:
    """True when a stored statement still says what it said when it was issued."""
    period = (statement.period_start.isoformat(), statement.period_end.isoformat())
    digest = statement_digest(
        person_name=statement.person_name,
        period=period,
        lines=statement.lines,
        total=str(statement.total_hours),
    )
    return digest == statement.digest
