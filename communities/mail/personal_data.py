"""What this topic holds about a person, for "download my data" and erasure (rule 9).

The export holds every message addressed to the person, with its text while the organisation
keeps sent mail (``outbox_retention_days``). Erasure keeps the rows (the outbox's counts per
kind and day stay true) but nothing of the person in them: rows addressed to them or naming
them (their name or address in the subject, text, HTML, calendar or headers) lose subject,
bodies, calendar, headers, error text and dedupe key; rows addressed to them lose the address;
what was still waiting is skipped.
"""

import re
from datetime import timedelta

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_noop

from communities.mail.models import OutboxMessage
from communities.mail.services import ERASED_KEY_PREFIX
from communities.models import User
from communities.organisation import organisation_settings
from communities.personal_data import iso, register

ERASED_SUBJECT = "(erased)"
ERASED_REASON = gettext_noop("The person it was for or about deleted their account.")
# Names shorter than this are not searched for in other people's mail (too many false hits).
MIN_NAME_LENGTH = 3
# The headers (JSON) are searched as text: ``headers_text`` is annotated by the caller.
TEXT_COLUMNS = ("subject", "body_text", "body_html", "calendar", "headers_text", "last_error")
State = OutboxMessage.State


def _addressed_to(user: User) -> Q:
    return Q(recipient=user) | Q(to_email__iexact=user.email)


def _export_messages(user: User) -> list[dict]:
    kept_since = timezone.now() - timedelta(days=organisation_settings().outbox_retention_days)
    return [
        {
            "kind": m.kind,
            "to": m.to_email,
            "subject": m.subject,
            "state": m.state,
            "sent_at": iso(m.sent_at),
            # The text as the person received it (or will), while the organisation keeps mail.
            "body": m.body_text if m.created_at >= kept_since else None,
        }
        for m in OutboxMessage.objects.filter(_addressed_to(user)).order_by("id")
    ]


def names_of(user: User) -> list[str]:
    """What mail about a person calls them (``User.name``): the display name, or the part of
    the address before the @ when there is none."""
    name = user.name.strip()
    return [name] if len(name) >= MIN_NAME_LENGTH else []


def _naming(user: User) -> Q:
    """Rows whose text holds the person's address, or their name as a whole word ("Jan" is
    not found in "January")."""
    boundary = r"\y" if connection.vendor == "postgresql" else r"\b"
    naming = Q()
    for column in TEXT_COLUMNS:
        naming |= Q(**{f"{column}__icontains": user.email})
        for name in names_of(user):
            pattern = f"{boundary}{re.escape(name)}{boundary}"
            naming |= Q(**{f"{column}__iregex": pattern})
    return naming


def outbox_erase_person(user: User) -> int:
    """Redact every outbox row addressed to or naming ``user``; return how many.

    Transaction: joins the erasure's. Idempotent: a second run finds nothing more to redact.
    """
    now = timezone.now()
    rows = OutboxMessage.objects.annotate(headers_text=Cast("headers", TextField())).filter(
        _addressed_to(user) | _naming(user)
    )
    # Not yet sent: never send it (its text is gone).
    rows.filter(state__in=[State.PENDING, State.SENDING]).update(
        state=State.SKIPPED,
        skip_reason=ERASED_REASON,
        lease_token=None,
        lease_expires_at=None,
        updated_at=now,
    )
    redacted = 0
    for message in list(rows.only("id", "recipient_id", "to_email")):
        addressed = (
            message.recipient_id == user.pk or message.to_email.lower() == user.email.lower()
        )
        changes = {
            "subject": ERASED_SUBJECT,
            "body_text": "",
            "body_html": "",
            "calendar": "",
            "headers": {},
            "last_error": "",
            "dedupe_key": f"{ERASED_KEY_PREFIX}{message.pk}",
            "updated_at": now,
        }
        if addressed:
            changes.update(recipient=None, to_email="")
        redacted += OutboxMessage.objects.filter(pk=message.pk).update(**changes)
    return redacted


def register_personal_data() -> None:
    register(
        section="messages",
        model=OutboxMessage,
        user_fields=("recipient",),
        export=_export_messages,
        erasure=outbox_erase_person,
    )
