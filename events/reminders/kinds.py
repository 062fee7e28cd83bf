"""The kinds of reminder and notification mail, as the outbox and preferences name them."""

from __future__ import annotations

# Outbox kinds made here.
KIND_BEFORE = "reminder_before"
KIND_RSVP_NUDGE = "rsvp_nudge"
KIND_NEW_SESSION = "new_session"
KIND_TAKEAWAY = "takeaway_prompt"
KIND_DIGEST = "digest"
KIND_ANNOUNCEMENT = "announcement"
REMINDER_KINDS = (
    KIND_BEFORE,
    KIND_RSVP_NUDGE,
    KIND_NEW_SESSION,
    KIND_TAKEAWAY,
    KIND_DIGEST,
    KIND_ANNOUNCEMENT,
)
# Session-bound rows that describe the session's time: deleted when it moves.
TIMED_KINDS = (KIND_BEFORE, KIND_RSVP_NUDGE, KIND_TAKEAWAY)
UNSUBSCRIBE_SALT = "kennisplein.unsubscribe"
# What a List-Unsubscribe link switches off.
UNSUBSCRIBABLE = ("digest", "new_sessions", "announcements")
