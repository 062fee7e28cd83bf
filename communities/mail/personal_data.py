"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.mail.models import OutboxMessage
from communities.models import User
from communities.personal_data import iso, register


def _export_messages(user: User) -> list[dict]:
    return [
        {
            "kind": m.kind,
            "to": m.to_email,
            "subject": m.subject,
            "state": m.state,
            "sent_at": iso(m.sent_at),
        }
        for m in OutboxMessage.objects.filter(recipient=user).order_by("id")
    ]


def register_personal_data() -> None:
    register(
        section="messages",
        model=OutboxMessage,
        user_fields=("recipient",),
        export=_export_messages,
        erasure="cascade",
    )
