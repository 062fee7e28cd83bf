"""What a change to a session or an answer does to its pending reminders."""

from __future__ import annotations

from django.utils import timezone

from communities.mail.models import OutboxMessage
from events.reminders.kinds import TIMED_KINDS


def _pending_for_session(session_id: int, user_id: int | None = None):
    prefix = f"reminder:{session_id}:" + (f"{user_id}:" if user_id is not None else "")
    return OutboxMessage.objects.filter(
        dedupe_key__startswith=prefix, state=OutboxMessage.State.PENDING
    )


def reminders_session_moved(*, session_id: int) -> int:
    """A session's time changed: delete its pending timed reminders so the planner makes them
    again for the new time (their text names the old one). Transaction: joins the caller's.
    Idempotent."""
    deleted, _detail = _pending_for_session(session_id).filter(kind__in=TIMED_KINDS).delete()
    return deleted


def reminders_skip(*, session_id: int, user_id: int | None = None) -> int:
    """A session was cancelled (or a person stopped going): its pending reminders are skipped.
    Transaction: joins the caller's. Idempotent."""
    return _pending_for_session(session_id, user_id).update(
        state=OutboxMessage.State.SKIPPED, updated_at=timezone.now()
    )
