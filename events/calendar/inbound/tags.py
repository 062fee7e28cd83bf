"""The signed +tag in each invitation's ORGANIZER / Reply-To address.

``kennisplein+r.<person in base 36>.<mac>@example.org``: the MAC binds the person to the calendar
object's UID, so a reply is matched to its person and session without trusting ``From:``, and a
tag copied onto another UID, or invented, does not verify. Lowercase hex and base 36 only: some
mail servers lower-case local parts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.utils.crypto import salted_hmac

TAG_PREFIX = "r."
MAC_CHARS = 20  # 80 bits
TAG_RE = re.compile(r"^r\.([0-9a-z]{1,13})\.([0-9a-f]{" + str(MAC_CHARS) + r"})$")


def inbound_address() -> str:
    return (
        parseaddr(settings.INBOUND_EMAIL)[1]
        or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        or "kennisplein@localhost"
    ).lower()


def _to_base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _mac(user_id: int, uid: str) -> str:
    return salted_hmac("kennisplein.reply-tag", f"{user_id}:{uid}", algorithm="sha256").hexdigest()[
        :MAC_CHARS
    ]


def reply_tag(*, user_id: int, uid: str) -> str:
    return f"{TAG_PREFIX}{_to_base36(user_id)}.{_mac(user_id, uid)}"


def reply_address(*, user_id: int, uid: str) -> str:
    """The ORGANIZER / Reply-To address of one person's invitation to one calendar object."""
    local, _, domain = inbound_address().partition("@")
    return f"{local}+{reply_tag(user_id=user_id, uid=uid)}@{domain}"


def tagged_user_ids(addresses: list[str]) -> list[tuple[int, str]]:
    """(person id, tag) for every address in ``addresses`` that is our inbound address with a
    well-formed tag (not yet verified: that needs the UID)."""
    local, _, domain = inbound_address().partition("@")
    found = []
    for _name, address in getaddresses(addresses):
        address = address.strip().lower()
        their_local, _, their_domain = address.partition("@")
        base, plus, tag = their_local.partition("+")
        if their_domain != domain or base != local or not plus:
            continue
        match = TAG_RE.match(tag)
        if match:
            found.append((int(match.group(1), 36), tag))
    return found


def tag_matches(*, tag: str, user_id: int, uid: str) -> bool:
    match = TAG_RE.match(tag)
    if not match or int(match.group(1), 36) != user_id:
        return False
    return hmac.compare_digest(match.group(2), _mac(user_id, uid))


def tag_fingerprint(tag: str) -> str:
    """For logs: which tag, without the tag itself."""
    return hashlib.sha256(tag.encode()).hexdigest()[:12]
