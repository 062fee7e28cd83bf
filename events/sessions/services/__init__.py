"""Writes of sessions: scheduling and answers (RSVP, waitlist, attendance)."""
