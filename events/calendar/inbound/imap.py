"""Poll a mailbox over IMAP for calendar replies.

``INBOUND_IMAP_URL`` names the server, the account and the folder to read:
``imaps://user:password@imap.example.org:993/INBOX`` (password login) or
``imaps://user@outlook.office365.com/INBOX?auth=xoauth2`` (an access token from the OAuth 2.0
client-credentials flow configured by INBOUND_OAUTH_*; Microsoft 365 and Google refuse plain
passwords). Every message read is handled by ``inbound_mail_process`` and then moved to
``INBOUND_IMAP_DONE_FOLDER`` (MOVE, or COPY + delete where MOVE is missing), so a crash
between the two at worst re-reads a mail, which the reply log then skips as already processed.
"""

from __future__ import annotations

import imaplib
import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from events.calendar.services.replies import inbound_mail_process

logger = logging.getLogger(__name__)
MAX_PER_POLL = 200


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    folder: str
    xoauth2: bool


def imap_settings(url: str) -> ImapSettings:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise ValueError("INBOUND_IMAP_URL must start with imap:// or imaps://")
    query = urllib.parse.parse_qs(parts.query)
    ssl = parts.scheme == "imaps"
    return ImapSettings(
        host=parts.hostname or "",
        port=parts.port or (993 if ssl else 143),
        ssl=ssl,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        folder=urllib.parse.unquote(parts.path.lstrip("/")) or "INBOX",
        xoauth2=query.get("auth", [""])[0].lower() == "xoauth2",
    )


def oauth_access_token() -> str:
    """An access token from the client-credentials flow (RFC 6749 §4.4)."""
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.INBOUND_OAUTH_CLIENT_ID,
            "client_secret": settings.INBOUND_OAUTH_CLIENT_SECRET,
            "scope": settings.INBOUND_OAUTH_SCOPE,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the configured token endpoint
        settings.INBOUND_OAUTH_TOKEN_URL,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        token = json.loads(response.read().decode())["access_token"]
    if not isinstance(token, str) or not token:
        raise ValueError("the token endpoint returned no access_token")
    return token


def xoauth2_string(user: str, token: str) -> bytes:
    """SASL XOAUTH2 initial response (Google and Microsoft document the same format)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def _connect(config: ImapSettings) -> imaplib.IMAP4:
    client = (
        imaplib.IMAP4_SSL(config.host, config.port, timeout=30)
        if config.ssl
        else imaplib.IMAP4(config.host, config.port, timeout=30)
    )
    if config.xoauth2:
        token = oauth_access_token()
        client.authenticate("XOAUTH2", lambda _challenge: xoauth2_string(config.user, token))
    else:
        client.login(config.user, config.password)
    return client


def _move(client: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    if "MOVE" in client.capabilities:  # RFC 6851
        status, _ = client.uid("MOVE", uid, folder)
        if status == "OK":
            return
    client.uid("COPY", uid, folder)
    client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
    client.expunge()


def imap_poll(*, url: str | None = None, process=None) -> int:
    """Read the folder once: handle each message, move it away. Returns how many were handled.
    Not configured (no INBOUND_IMAP_URL) → 0."""

    url = url if url is not None else settings.INBOUND_IMAP_URL
    if not url:
        return 0
    process = process or inbound_mail_process
    config = imap_settings(url)
    done_folder = settings.INBOUND_IMAP_DONE_FOLDER
    client = _connect(config)
    handled = 0
    try:
        client.create(done_folder)  # NO when it exists: fine
        status, _ = client.select(config.folder)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot select {config.folder}")
        status, data = client.uid("SEARCH", None, "ALL")
        uids = (data[0] or b"").split()[:MAX_PER_POLL] if status == "OK" else []
        for uid in uids:
            status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next(
                (item[1] for item in fetched or [] if isinstance(item, tuple) and len(item) > 1),
                None,
            )
            if status != "OK" or raw is None:
                logger.warning("imap: could not fetch message uid %s", uid.decode())
                continue
            results = process(raw)
            logger.info("imap: message uid %s: %s", uid.decode(), [r.outcome for r in results])
            _move(client, uid, done_folder)
            handled += 1
    finally:
        try:
            client.logout()
        except Exception:
            logger.debug("imap: logout failed", exc_info=True)
    return handled
