"""factory-boy factories for the whole suite, one module per app; import them from here.

The rules every factory keeps (pretalx's "free of surprising behaviour"):

- the defaults make a minimal valid row: every check and unique constraint holds, unique fields
  come from a ``Sequence``;
- a required relation gets a ``SubFactory``; an optional one (a nullable foreign key) stays empty
  unless the test gives it, so a factory makes no rows the test did not ask for (the one
  exception: a session belongs to a community, as most do);
- a factory writes the row and nothing else: no services, no outbox messages, no counters kept
  elsewhere (use the services when a test is about what they do).
"""

from tests.factories.communities import (
    PASSWORD,
    TOTP_SECRET,
    CommunityFactory,
    IntervisionGroupFactory,
    InvitationFactory,
    MembershipEventFactory,
    MembershipFactory,
    OutboxMessageFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    totp_code,
)
from tests.factories.events import (
    AnnouncementFactory,
    CalendarDeliveryFactory,
    CalendarReplyFactory,
    FestivalFactory,
    FestivalSessionFactory,
    ProgrammeVersionFactory,
    ProposalFactory,
    ProposalReviewFactory,
    ReminderPreferenceFactory,
    RoomFactory,
    RsvpFactory,
    SeriesFactory,
    SeriesRsvpFactory,
    SessionFactory,
    SessionFeedbackFactory,
    SlotFactory,
    SpeakerProfileFactory,
    TakeawayFactory,
    TakeawayHelpfulFactory,
    TakeawayReviewFactory,
    TrackFactory,
)
from tests.factories.intervision import (
    ActionCommitmentFactory,
    AgreementAcceptanceFactory,
    AttendanceFactory,
    CaseFactory,
    CaseVoteFactory,
    EvaluationFactory,
    IntervisionSessionFactory,
    LiveItemFactory,
    MethodFactory,
    PresenterCopyFactory,
    SwapRequestFactory,
)

__all__ = [
    "PASSWORD",
    "TOTP_SECRET",
    "ActionCommitmentFactory",
    "AgreementAcceptanceFactory",
    "AnnouncementFactory",
    "AttendanceFactory",
    "CalendarDeliveryFactory",
    "CalendarReplyFactory",
    "CaseFactory",
    "CaseVoteFactory",
    "CommunityFactory",
    "EvaluationFactory",
    "FestivalFactory",
    "FestivalSessionFactory",
    "IntervisionGroupFactory",
    "IntervisionSessionFactory",
    "InvitationFactory",
    "LiveItemFactory",
    "MembershipEventFactory",
    "MembershipFactory",
    "MethodFactory",
    "OutboxMessageFactory",
    "PresenterCopyFactory",
    "ProgrammeVersionFactory",
    "ProposalFactory",
    "ProposalReviewFactory",
    "ReminderPreferenceFactory",
    "RoomFactory",
    "RsvpFactory",
    "SeriesFactory",
    "SeriesRsvpFactory",
    "SessionFactory",
    "SessionFeedbackFactory",
    "SlotFactory",
    "SpeakerProfileFactory",
    "StaffFactory",
    "SwapRequestFactory",
    "TakeawayFactory",
    "TakeawayHelpfulFactory",
    "TakeawayReviewFactory",
    "TopicFactory",
    "TrackFactory",
    "UserFactory",
    "totp_code",
]
