"""Replies from calendar clients: reading mail, parsing iTIP REPLY, signed reply tags."""
