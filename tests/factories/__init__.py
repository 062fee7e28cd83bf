"""factory-boy factories for the whole suite, one module per app; import them from here.

The rules every factory keeps (pretalx's "free of surprising behaviour"):

- the defaults make a minimal valid row: every check and unique constraint holds, unique fields
  come from a ``Sequence`` (tests/test_factories.py checks every factory);
- a required relation gets a ``SubFactory``, and so does an optional one a check constraint
  asks for (a session slot's room); other optional relations stay empty unless the test gives
  them, so a factory makes no rows the test did not ask for (the exception: a session belongs
  to a community, as most do);
- rows that belong together stay together: a case brought into a session takes the session's
  group, a slot's room is in the slot's festival;
- many-to-many relations are given as lists: ``SessionFactory(hosts=[mia])``;
- a factory writes its row and nothing else (a user also gets the verified address allauth
  requires, staff their authenticator): no services, no outbox messages, no counters kept
  elsewhere. Use the services when a test is about what they do.
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
