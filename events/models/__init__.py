"""Events models, split by topic: sessions + RSVP, and the outbox of everything the app sends."""

from .calendar import CalendarDelivery, CalendarReply
from .health import WorkerPing
from .outbox import OutboxMessage
from .reminders import Announcement, ReminderPreference
from .sessions import Rsvp, Series, SeriesRsvp, Session, Takeaway

__all__ = [
    "Announcement",
    "CalendarDelivery",
    "CalendarReply",
    "OutboxMessage",
    "ReminderPreference",
    "Rsvp",
    "Series",
    "SeriesRsvp",
    "Session",
    "Takeaway",
    "WorkerPing",
]
