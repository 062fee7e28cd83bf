"""Per-kind checks made right before a message is sent.

A reminder written a week ago may no longer be wanted (session cancelled, person declined,
preference switched off). A kind registers a check here; the send step asks it and marks the
row ``skipped`` when it answers anything but True. A check may answer with the reason (an
untranslated msgid, marked with ``gettext_noop``) instead of False; the row keeps it in
``skip_reason`` and the outbox screens show it. Mail to a deactivated person is skipped, but for the
CANCELs that take their calendar entries out when they leave (``WITHDRAWAL_KIND``).
"""

from collections.abc import Callable

from django.utils.translation import gettext_noop

from communities.mail.models import OutboxMessage

SendCheck = Callable[[OutboxMessage], bool | str]
_checks: dict[str, SendCheck] = {}
WITHDRAWAL_KIND = "calendar_cancel"

NOT_WANTED = gettext_noop("No longer wanted.")
RECIPIENT_INACTIVE = gettext_noop("The recipient no longer has an account.")
SESSION_STARTED = gettext_noop("The session had already started.")


def register_send_check(kind: str) -> Callable[[SendCheck], SendCheck]:
    def decorator(check: SendCheck) -> SendCheck:
        _checks[kind] = check
        return check

    return decorator


def unregister_send_check(kind: str) -> None:
    _checks.pop(kind, None)


def skip_reason(message: OutboxMessage) -> str:
    """Why the message should not be sent now, or "" when it is still wanted."""
    # A person who left the organisation (deactivated) gets nothing more, whatever the kind,
    # but the CANCELs that take our entries out of their calendar.
    if message.recipient_id is not None and not message.recipient.is_active:
        if message.kind == WITHDRAWAL_KIND and message.calendar_method == "CANCEL":
            return ""
        return RECIPIENT_INACTIVE
    check = _checks.get(message.kind)
    answer = True if check is None else check(message)
    if answer is True:
        return ""
    return answer if isinstance(answer, str) and answer else NOT_WANTED


def still_wanted(message: OutboxMessage) -> bool:
    return skip_reason(message) == ""
