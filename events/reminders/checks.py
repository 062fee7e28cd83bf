"""Send checks of the reminder kinds: asked right before sending whether the mail is still wanted.

Each check answers for a whole claimed batch at once (``register_batch_send_check``): the
sessions, answers, memberships, takeaways and preferences the batch names are read in one
query each, not once per message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from communities.mail.checks import SESSION_STARTED, register_batch_send_check
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
from events.reminders.selectors import Preferences, preferences_for

Answers = dict[int, bool | str]


def _parse(key: str) -> tuple[int, int, str] | None:
    parts = key.split(":")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2]), parts[3]


@dataclass
class _Batch:
    """What a batch of session-bound rows refers to, read in one query per table."""

    messages: list[OutboxMessage]
    keys: dict[int, tuple[int, int, str]]
    sessions: dict[int, Session]
    rsvps: dict[tuple[int, int], Rsvp]
    prefs: dict[int, Preferences]

    def of(self, message: OutboxMessage) -> tuple[Session | None, Rsvp | None, str]:
        parsed = self.keys.get(message.id)
        if parsed is None:
            return None, None, ""
        session_id, user_id, code = parsed
        return self.sessions.get(session_id), self.rsvps.get((session_id, user_id)), code

    def memberships(self) -> set[tuple[int, int]]:
        """(user id, community id) of the active memberships the batch's rows may need."""
        pairs = {
            (message.recipient_id, session.community_id)
            for message in self.messages
            if (session := self.of(message)[0]) is not None and session.community_id
        }
        if not pairs:
            return set()
        return set(
            Membership.objects.filter(
                user_id__in={user for user, _c in pairs},
                community_id__in={community for _u, community in pairs},
                state=Membership.State.ACTIVE,
            ).values_list("user_id", "community_id")
        )


def _batch(messages: list[OutboxMessage]) -> _Batch:
    keys = {m.id: parsed for m in messages if (parsed := _parse(m.dedupe_key)) is not None}
    session_ids = {session_id for session_id, _u, _c in keys.values()}
    user_ids = {user_id for _s, user_id, _c in keys.values()}
    sessions = Session.objects.in_bulk(session_ids) if session_ids else {}
    rsvps = (
        {
            (r.session_id, r.user_id): r
            for r in Rsvp.objects.filter(session_id__in=session_ids, user_id__in=user_ids)
        }
        if session_ids
        else {}
    )
    recipients = {m.recipient_id for m in messages if m.recipient_id is not None}
    return _Batch(messages, keys, sessions, rsvps, preferences_for(recipients))


def _still_before(messages: list[OutboxMessage]) -> Answers:
    batch, now, answers = _batch(messages), timezone.now(), {}
    for message in messages:
        session, rsvp, code = batch.of(message)
        if session is None or session.is_cancelled:
            answers[message.id] = False
        elif session.start <= now:
            answers[message.id] = SESSION_STARTED
        elif rsvp is None or rsvp.status != Rsvp.Status.GOING or message.recipient_id is None:
            answers[message.id] = False
        else:
            minutes = int(code.removeprefix("before_")) if code.startswith("before_") else None
            answers[message.id] = minutes in batch.prefs[message.recipient_id].befores
    return answers


def _still_unanswered(messages: list[OutboxMessage]) -> Answers:
    batch, now, answers = _batch(messages), timezone.now(), {}
    members = batch.memberships()
    for message in messages:
        session, rsvp, _code = batch.of(message)
        closed = session is None or session.rsvp_deadline is None or session.rsvp_deadline <= now
        if closed or session.is_cancelled or rsvp is not None:
            answers[message.id] = False
        else:
            member = (message.recipient_id, session.community_id) in members
            answers[message.id] = member and batch.prefs[message.recipient_id].rsvp_nudge
    return answers


def _still_new(messages: list[OutboxMessage]) -> Answers:
    batch, now, answers = _batch(messages), timezone.now(), {}
    members = batch.memberships()
    for message in messages:
        session, _rsvp, _code = batch.of(message)
        if session is None or session.is_cancelled or session.start <= now:
            answers[message.id] = False
        else:
            member = (message.recipient_id, session.community_id) in members
            wanted = batch.prefs[message.recipient_id].new_sessions
            answers[message.id] = member and wanted == ReminderPreference.NewSessions.IMMEDIATE
    return answers


def _still_no_takeaway(messages: list[OutboxMessage]) -> Answers:
    batch, answers = _batch(messages), {}
    session_ids = {key[0] for key in batch.keys.values()}
    wrote = (
        set(
            Takeaway.objects.filter(
                session_id__in=session_ids,
                author_id__in={m.recipient_id for m in messages},
            ).values_list("session_id", "author_id")
        )
        if session_ids
        else set()
    )
    for message in messages:
        session, rsvp, _code = batch.of(message)
        gone = session is None or session.is_cancelled or rsvp is None
        absent = not gone and (
            rsvp.attended is False or (rsvp.attended is None and rsvp.status != Rsvp.Status.GOING)
        )
        if gone or absent or (session.pk, message.recipient_id) in wrote:
            answers[message.id] = False
        else:
            answers[message.id] = batch.prefs[message.recipient_id].takeaway_prompts
    return answers


def _by_preference(name: str) -> Callable[[list[OutboxMessage]], Answers]:
    def check(messages: list[OutboxMessage]) -> Answers:
        prefs = preferences_for({m.recipient_id for m in messages if m.recipient_id})
        return {
            m.id: m.recipient_id is not None and getattr(prefs[m.recipient_id], name)
            for m in messages
        }

    return check


def register_send_checks() -> None:
    """Called once at start-up (EventsConfig.ready)."""
    register_batch_send_check(KIND_BEFORE)(_still_before)
    register_batch_send_check(KIND_RSVP_NUDGE)(_still_unanswered)
    register_batch_send_check(KIND_NEW_SESSION)(_still_new)
    register_batch_send_check(KIND_TAKEAWAY)(_still_no_takeaway)
    register_batch_send_check(KIND_DIGEST)(_by_preference("digest"))
    register_batch_send_check(KIND_ANNOUNCEMENT)(_by_preference("announcements"))
