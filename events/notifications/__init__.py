"""Composing and delivering the mail that the outbox holds."""
