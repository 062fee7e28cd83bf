"""Per-kind checks made right before a message is sent.

A reminder written a week ago may no longer be wanted (session cancelled, person declined,
preference switched off). A kind registers a check here; the send step asks it and marks the
row ``skipped`` when it answers False. Mail to a deactivated person is skipped, but for the
CANCELs that take their calendar entries out when they leave (``WITHDRAWAL_KIND``).
"""

from collections.abc import Callable

from communities.mail.models import OutboxMessage

SendCheck = Callable[[OutboxMessage], bool]
_checks: dict[str, SendCheck] = {}
WITHDRAWAL_KIND = "calendar_cancel"


def register_send_check(kind: str) -> Callable[[SendCheck], SendCheck]:
    def decorator(check: SendCheck) -> SendCheck:
        _checks[kind] = check
        return check

    return decorator


def unregister_send_check(kind: str) -> None:
    _checks.pop(kind, None)


def still_wanted(message: OutboxMessage) -> bool:
    # A person who left the organisation (deactivated) gets nothing more, whatever the kind,
    # but the CANCELs that take our entries out of their calendar.
    if message.recipient_id is not None and not message.recipient.is_active:
        return message.kind == WITHDRAWAL_KIND and message.calendar_method == "CANCEL"
    check = _checks.get(message.kind)
    return True if check is None else check(message)
