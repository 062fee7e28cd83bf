"""Calendar interoperability: iCalendar bytes, invitations (iMIP), feeds and replies."""
