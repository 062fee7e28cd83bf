"""Every model of the communities app: people, communities and memberships, the organisation,
and the base layer's outbox and worker heartbeat.

Importing them here registers them under the ``communities`` label; callers import from
``communities.models``.
"""

from communities.health.models import WorkerPing
from communities.mail.models import MailCircuit, OutboxMessage
from communities.models.communities import (
    Community,
    Invitation,
    Membership,
    MembershipEvent,
    Topic,
)
from communities.models.organisation import (
    Organisation,
    contrast_with_white,
    normalise_domain,
    relative_luminance,
    validate_domain_list,
    validate_primary_colour,
    validate_tenant_list,
)
from communities.models.people import ProfilePhoto, User, UserManager, validate_timezone

__all__ = [
    "Community",
    "Invitation",
    "MailCircuit",
    "Membership",
    "MembershipEvent",
    "Organisation",
    "OutboxMessage",
    "ProfilePhoto",
    "Topic",
    "User",
    "UserManager",
    "WorkerPing",
    "contrast_with_white",
    "normalise_domain",
    "relative_luminance",
    "validate_domain_list",
    "validate_primary_colour",
    "validate_tenant_list",
    "validate_timezone",
]
