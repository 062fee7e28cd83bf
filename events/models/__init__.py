"""Events models, split by topic: sessions + RSVP, takeaways, and the outbox of everything the
app sends."""

from .health import WorkerPing
from .outbox import OutboxMessage
from .sessions import Rsvp, Series, SeriesRsvp, Session, Takeaway
from .takeaways import TakeawayHelpful, TakeawayReview, TakeawayTag

__all__ = [
    "OutboxMessage",
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
