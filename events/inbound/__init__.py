"""Inbound mail (issue 7): calendar replies (iTIP REPLY) sent to the invitations' ORGANIZER."""
