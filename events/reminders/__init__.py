"""Reminders and notifications, all planned as outbox rows."""
