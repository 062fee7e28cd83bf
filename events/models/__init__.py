"""Events models, split by topic: sessions + RSVP, takeaways, and the outbox of everything the
app sends."""

from .calendar import CalendarDelivery, CalendarReply
from .health import WorkerPing
from .outbox import OutboxMessage
from .reminders import Announcement, ReminderPreference
from .sessions import Rsvp, Series, SeriesRsvp, Session, Takeaway
from .takeaways import TakeawayHelpful, TakeawayReview, TakeawayTag

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
    "TakeawayHelpful",
    "TakeawayReview",
    "TakeawayTag",
    "WorkerPing",
]
