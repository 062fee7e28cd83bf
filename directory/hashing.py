"""How a directory token is stored: its SHA-256 (pure)."""

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
