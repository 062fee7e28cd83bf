"""What the audit log holds about a person, for "download my data" and erasure (rule 9)."""

from auditlog.models import LogEntry

from communities.audit.services import audit_forget_person
from communities.models import User
from communities.personal_data import iso, register


def _export_audit(user: User) -> list[dict]:
    return [
        {
            "when": iso(e.timestamp),
            "what": (e.additional_data or {}).get("event", ""),
            "concerning": e.object_repr,
            "address": e.remote_addr,
        }
        for e in LogEntry.objects.filter(actor=user).order_by("id")
    ]


def _erase_audit(user: User) -> None:
    audit_forget_person(user=user)


def register_personal_data() -> None:
    register(
        section="audit_log",
        model=LogEntry,
        user_fields=("actor",),
        export=_export_audit,
        erasure=_erase_audit,
    )
