"""Writes of the calendar topic: invitations, replies, feed subscriptions."""
