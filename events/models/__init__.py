"""Events models, split by topic: sessions + RSVP, takeaways, and the outbox of everything the
app sends."""

from .calendar import CalendarDelivery, CalendarReply
from .festivals import (
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalCoSpeaker,
    ProposalReview,
    Room,
    SessionFeedback,
    Slot,
    SpeakerProfile,
    Track,
)
from .health import WorkerPing
from .outbox import OutboxMessage
from .reminders import Announcement, ReminderPreference
from .sessions import Rsvp, Series, SeriesRsvp, Session, Takeaway
from .takeaways import TakeawayHelpful, TakeawayReview, TakeawayTag

__all__ = [
    "Announcement",
    "CalendarDelivery",
    "CalendarReply",
    "Festival",
    "OutboxMessage",
    "ProgrammeVersion",
    "Proposal",
    "ProposalCoSpeaker",
    "ProposalReview",
    "ReminderPreference",
    "Room",
    "Rsvp",
    "Series",
    "SeriesRsvp",
    "Session",
    "SessionFeedback",
    "Slot",
    "SpeakerProfile",
    "Takeaway",
    "TakeawayHelpful",
    "TakeawayReview",
    "TakeawayTag",
    "Track",
    "WorkerPing",
]
