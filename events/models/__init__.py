"""Events models, split by topic: sessions + RSVP, and the outbox of everything the app sends."""

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
from .sessions import Rsvp, Series, SeriesRsvp, Session, Takeaway

__all__ = [
    "CalendarDelivery",
    "CalendarReply",
    "Festival",
    "OutboxMessage",
    "ProgrammeVersion",
    "Proposal",
    "ProposalCoSpeaker",
    "ProposalReview",
    "Room",
    "Rsvp",
    "Series",
    "SeriesRsvp",
    "Session",
    "SessionFeedback",
    "Slot",
    "SpeakerProfile",
    "Takeaway",
    "Track",
    "WorkerPing",
]
