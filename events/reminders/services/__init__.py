"""Writes of reminders: preferences, the planner, what changes do to pending reminders, the
coordinators' messages."""
