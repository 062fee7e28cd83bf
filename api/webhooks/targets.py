"""Where a webhook may be sent: no loopback, private, link-local or metadata address (SSRF).

The host is resolved here and the request then goes to the address that was checked (the
``Host`` header and TLS name stay the host's), so a DNS answer that changes between the check
and the connection (rebinding) cannot reach an internal address. Redirects are not followed.
``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (tests and dev) lifts the address check. Pure: no database.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

# Cloud metadata services that are not in a private or link-local range everywhere.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("fd00:ec2::254"),
        ipaddress.ip_address("100.100.100.200"),
    }
)


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message is safe to show."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


def address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in METADATA_ADDRESSES
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a URL that may be used, else TargetRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused(_("This is not a valid URL.")) from error
    if parts.scheme not in ("https", "http"):
        raise TargetRefused(_("Use an https:// URL."))
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise TargetRefused(_("Use an https:// URL."))
    if not parts.hostname or parts.username or parts.password:
        raise TargetRefused(_("Give a host name without a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def resolve(url: str) -> Target:
    """Check the URL, resolve its host and check every address it resolves to."""
    scheme, host, port, path = check_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise TargetRefused(_("The host name does not resolve.")) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise TargetRefused(_("The host name does not resolve."))
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and any(map(address_refused, addresses)):
        raise TargetRefused(
            _("Webhooks cannot be sent to internal, private or loopback addresses.")
        )
    return Target(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)
