"""Pure iCalendar: data in, bytes out (no ORM, no settings)."""
