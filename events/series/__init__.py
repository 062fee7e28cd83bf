"""Recurring sessions: RRULEs, materialised occurrences, answers for a whole series."""
