"""Per-kind checks made right before a message is sent.

A reminder written a week ago may no longer be wanted (session cancelled, person declined,
preference switched off). A kind registers a check here; the send step asks it and marks the
row ``skipped`` when it answers anything but True. A check may answer with the reason (an
untranslated msgid, marked with ``gettext_noop``) instead of False; the row keeps it in
``skip_reason`` and the outbox screens show it. A kind that sends many rows at once (reminders)
registers a batch check instead (``register_batch_send_check``): it answers for a whole claimed
batch in a few queries, so the send step does not read the database once per message. Mail to a deactivated person is skipped, but for the
CANCELs that take their calendar entries out when they leave (``WITHDRAWAL_KIND``).
"""

from collections.abc import Callable

from django.utils.translation import gettext_noop

from communities.mail.models import OutboxMessage

SendCheck = Callable[[OutboxMessage], bool | str]
BatchSendCheck = Callable[[list[OutboxMessage]], dict[int, bool | str]]
_checks: dict[str, SendCheck] = {}
_batch_checks: dict[str, BatchSendCheck] = {}
WITHDRAWAL_KIND = "calendar_cancel"

NOT_WANTED = gettext_noop("No longer wanted.")
RECIPIENT_INACTIVE = gettext_noop("The recipient no longer has an account.")
SESSION_STARTED = gettext_noop("The session had already started.")


def register_send_check(kind: str) -> Callable[[SendCheck], SendCheck]:
    def decorator(check: SendCheck) -> SendCheck:
        _checks[kind] = check
        return check

    return decorator


def register_batch_send_check(kind: str) -> Callable[[BatchSendCheck], BatchSendCheck]:
    """A check that answers for many rows of one kind at once: ``{row id: answer}``, where a
    missing id counts as still wanted."""

    def decorator(check: BatchSendCheck) -> BatchSendCheck:
        _batch_checks[kind] = check
        return check

    return decorator


def unregister_send_check(kind: str) -> None:
    _checks.pop(kind, None)
    _batch_checks.pop(kind, None)


def _inactive_reason(message: OutboxMessage) -> str | None:
    """A person who left the organisation (deactivated) gets nothing more, whatever the kind,
    but the CANCELs that take our entries out of their calendar. None: the kind decides."""
    if message.recipient_id is not None and not message.recipient.is_active:
        if message.kind == WITHDRAWAL_KIND and message.calendar_method == "CANCEL":
            return ""
        return RECIPIENT_INACTIVE
    return None


def _reason(answer: bool | str) -> str:
    if answer is True:
        return ""
    return answer if isinstance(answer, str) and answer else NOT_WANTED


def skip_reasons(messages: list[OutboxMessage]) -> dict[int, str]:
    """Why each message should not be sent now ("" when it is still wanted), by row id.

    Rows of a kind with a batch check are answered together (a few queries per kind), the
    others one by one. ``recipient`` should be loaded with the rows (select_related)."""
    reasons: dict[int, str] = {}
    by_kind: dict[str, list[OutboxMessage]] = {}
    for message in messages:
        inactive = _inactive_reason(message)
        if inactive is not None:
            reasons[message.id] = inactive
        elif message.kind in _batch_checks:
            by_kind.setdefault(message.kind, []).append(message)
        else:
            check = _checks.get(message.kind)
            reasons[message.id] = "" if check is None else _reason(check(message))
    for kind, group in by_kind.items():
        answers = _batch_checks[kind](group)
        for message in group:
            reasons[message.id] = _reason(answers.get(message.id, True))
    return reasons


def skip_reason(message: OutboxMessage) -> str:
    """Why the message should not be sent now, or "" when it is still wanted."""
    return skip_reasons([message])[message.id]


def still_wanted(message: OutboxMessage) -> bool:
    return skip_reason(message) == ""
