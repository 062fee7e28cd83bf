"""Send checks of the reminder kinds: asked right before sending whether the mail is still wanted."""

from __future__ import annotations

from django.utils import timezone

from communities.mail.checks import SESSION_STARTED, register_send_check
from communities.mail.models import OutboxMessage
from communities.models import Membership
from events.models import ReminderPreference, Rsvp, Session, Takeaway
from events.reminders.kinds import (
    KIND_ANNOUNCEMENT,
    KIND_BEFORE,
    KIND_DIGEST,
    KIND_NEW_SESSION,
    KIND_RSVP_NUDGE,
    KIND_TAKEAWAY,
)
from events.reminders.selectors import preferences_of


def _parse(key: str) -> tuple[int, int, str] | None:
    parts = key.split(":")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2]), parts[3]


def _session_and_rsvp(message: OutboxMessage):
    parsed = _parse(message.dedupe_key)
    if parsed is None:
        return None, None, ""
    session_id, user_id, code = parsed
    session = Session.objects.filter(pk=session_id).first()
    rsvp = Rsvp.objects.filter(session_id=session_id, user_id=user_id).first()
    return session, rsvp, code


def _still_before(message: OutboxMessage) -> bool | str:
    session, rsvp, code = _session_and_rsvp(message)
    if session is None or session.is_cancelled:
        return False
    if session.start <= timezone.now():
        return SESSION_STARTED
    if rsvp is None or rsvp.status != Rsvp.Status.GOING:
        return False
    minutes = int(code.removeprefix("before_")) if code.startswith("before_") else None
    return minutes in preferences_of(message.recipient).befores


def _still_unanswered(message: OutboxMessage) -> bool:
    session, rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or rsvp is not None:
        return False
    if session.rsvp_deadline is None or session.rsvp_deadline <= timezone.now():
        return False
    member = Membership.objects.filter(
        user=message.recipient, community_id=session.community_id, state=Membership.State.ACTIVE
    ).exists()
    return member and preferences_of(message.recipient).rsvp_nudge


def _still_new(message: OutboxMessage) -> bool:
    session, _rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or session.start <= timezone.now():
        return False
    member = Membership.objects.filter(
        user=message.recipient, community_id=session.community_id, state=Membership.State.ACTIVE
    ).exists()
    wanted = preferences_of(message.recipient).new_sessions
    return member and wanted == ReminderPreference.NewSessions.IMMEDIATE


def _still_no_takeaway(message: OutboxMessage) -> bool:
    session, rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or rsvp is None:
        return False
    if rsvp.attended is False or (rsvp.attended is None and rsvp.status != Rsvp.Status.GOING):
        return False
    if Takeaway.objects.filter(session=session, author=message.recipient).exists():
        return False
    return preferences_of(message.recipient).takeaway_prompts


def _still_digest(message: OutboxMessage) -> bool:
    return message.recipient is not None and preferences_of(message.recipient).digest


def _still_announcement(message: OutboxMessage) -> bool:
    return message.recipient is not None and preferences_of(message.recipient).announcements


def register_send_checks() -> None:
    """Called once at start-up (EventsConfig.ready)."""
    register_send_check(KIND_BEFORE)(_still_before)
    register_send_check(KIND_RSVP_NUDGE)(_still_unanswered)
    register_send_check(KIND_NEW_SESSION)(_still_new)
    register_send_check(KIND_TAKEAWAY)(_still_no_takeaway)
    register_send_check(KIND_DIGEST)(_still_digest)
    register_send_check(KIND_ANNOUNCEMENT)(_still_announcement)
