"""Every model of the events app, gathered from its topic packages.

The models live with their topic (``events/<topic>/models.py``); this module imports them all so
that Django registers them under the ``events`` label and ``from events.models import Session``
keeps working for the admin, the shell and migrations.
"""

from events.calendar.models import CalendarDelivery, CalendarReply
from events.festivals.models import (
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalCoSpeaker,
    ProposalReview,
    Room,
    SessionFeedback,
    Slot,
    SpeakerProfile,
    Stand,
    StandMaterial,
    Track,
)
from events.reminders.models import Announcement, DigestWeek, ReminderPreference
from events.series.models import Series, SeriesRsvp
from events.sessions.models import Rsvp, Session
from events.takeaways.models import Takeaway, TakeawayHelpful, TakeawayReview, TakeawayTag

__all__ = [
    "Announcement",
    "CalendarDelivery",
    "CalendarReply",
    "DigestWeek",
    "Festival",
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
    "Stand",
    "StandMaterial",
    "Takeaway",
    "TakeawayHelpful",
    "TakeawayReview",
    "TakeawayTag",
    "Track",
]
