"""Factories for the events app: sessions and RSVPs, series, calendar deliveries and replies,
reminder preferences and announcements, takeaways, and festivals (rooms, slots, proposals and
what grows around them)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.utils import timezone

from events.models import (
    Announcement,
    CalendarDelivery,
    CalendarReply,
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalReview,
    ReminderPreference,
    Room,
    Rsvp,
    Series,
    SeriesRsvp,
    Session,
    SessionFeedback,
    Slot,
    SpeakerProfile,
    Takeaway,
    TakeawayHelpful,
    TakeawayReview,
    Track,
)
from tests.factories.communities import CommunityFactory, UserFactory


def adds_to(field: str) -> factory.PostGeneration:
    """A ``post_generation`` hook that adds what it is given to the many-to-many ``field``:
    ``SeriesFactory(hosts=[mia, otto])``. Given nothing, it adds nothing."""

    def add(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field).add(*extracted)

    return factory.PostGeneration(add)


class SessionFactory(factory.django.DjangoModelFactory):
    """A brown bag of a community a week from now. Takes ``hosts=``."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    format = Session.Format.BROWN_BAG
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))
    timezone = "Europe/Amsterdam"
    hosts = adds_to("hosts")


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Rsvp.Status.GOING


class SeriesFactory(factory.django.DjangoModelFactory):
    """A weekly series of four brown bags from a week from now, without occurrences: the
    series row only (``series_create`` materialises them). Takes ``hosts=``."""

    class Meta:
        model = Series
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    rrule = "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
    timezone = "Europe/Amsterdam"
    first_start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration = timedelta(hours=1)
    format = Session.Format.BROWN_BAG
    title = factory.Sequence(lambda n: f"Series {n}")
    hosts = adds_to("hosts")


class SeriesRsvpFactory(factory.django.DjangoModelFactory):
    """The standing answer only: the occurrences' RSVPs are ``series_rsvp_set``'s work."""

    class Meta:
        model = SeriesRsvp

    series = factory.SubFactory(SeriesFactory)
    user = factory.SubFactory(UserFactory)


class CalendarDeliveryFactory(factory.django.DjangoModelFactory):
    """What a person's calendar was last sent about a session (or, given ``series``, about a
    series): a first invitation, with the object's calendar UID."""

    class Meta:
        model = CalendarDelivery

    user = factory.SubFactory(UserFactory)
    # The row is about a session or a series (a check constraint): a session unless given one.
    session = factory.Maybe("series", None, factory.SubFactory(SessionFactory))
    uid = factory.LazyAttribute(lambda o: (o.session or o.series).uid)
    method = CalendarDelivery.Method.REQUEST
    sequence = 0
    object_sequence = 0


class CalendarReplyFactory(factory.django.DjangoModelFactory):
    """An answer from a calendar client that matched no one (no person, session or series
    unless given), so it was rejected."""

    class Meta:
        model = CalendarReply

    partstat = "ACCEPTED"
    outcome = CalendarReply.Outcome.REJECTED
    mail_fingerprint = factory.Sequence(lambda n: f"{n:032x}")


def _reminder_default(name: str) -> factory.LazyFunction:
    return factory.LazyFunction(lambda: settings.REMINDER_DEFAULTS[name])


class ReminderPreferenceFactory(factory.django.DjangoModelFactory):
    """A person's row with the organisation's defaults (``REMINDER_DEFAULTS``): give the
    fields the test changes."""

    class Meta:
        model = ReminderPreference

    user = factory.SubFactory(UserFactory)
    first_before = _reminder_default("first_before")
    second_before = _reminder_default("second_before")
    rsvp_nudge = _reminder_default("rsvp_nudge")
    new_sessions = _reminder_default("new_sessions")
    announcements = _reminder_default("announcements")
    takeaway_prompts = _reminder_default("takeaway_prompts")
    digest = _reminder_default("digest")


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """A message to a community's members or, given ``session``, to the people going to it
    (exactly one audience: a check constraint). The row only: ``announcement_send`` mails it."""

    class Meta:
        model = Announcement

    community = factory.Maybe("session", None, factory.SubFactory(CommunityFactory))
    subject = factory.Sequence(lambda n: f"Announcement {n}")
    body = "See you there."


class TakeawayFactory(factory.django.DjangoModelFactory):
    """A takeaway with the model's defaults: a learning, visible to the community, no author,
    owner or review date unless given (``takeaway_create`` sets owner and review date)."""

    class Meta:
        model = Takeaway

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Takeaway {n}")


class TakeawayHelpfulFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TakeawayHelpful

    takeaway = factory.SubFactory(TakeawayFactory)
    user = factory.SubFactory(UserFactory)


class TakeawayReviewFactory(factory.django.DjangoModelFactory):
    """A line of the review log only: the takeaway's review date stays as it is (a review
    through ``takeaway_reconfirm`` or ``takeaway_update`` moves it on)."""

    class Meta:
        model = TakeawayReview

    takeaway = factory.SubFactory(TakeawayFactory)
    outcome = TakeawayReview.Outcome.RECONFIRMED


class FestivalFactory(factory.django.DjangoModelFactory):
    """A two-day festival a month from now, open to the whole organisation, whose call for
    proposals opened yesterday and closes in ten days. Takes ``organisers=``, ``reviewers=``
    and ``communities=``."""

    class Meta:
        model = Festival
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Festival {n}")
    slug = factory.Sequence(lambda n: f"festival-{n}")
    timezone = "Europe/Amsterdam"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=1))
    cfp_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    cfp_closes_at = factory.LazyAttribute(lambda o: o.cfp_opens_at + timedelta(days=11))
    organisers = adds_to("organisers")
    reviewers = adds_to("reviewers")
    communities = adds_to("communities")


def _first_morning(festival: Festival) -> datetime:
    """10:00 on the festival's first day, in its time zone."""
    return datetime.combine(festival.starts_on, time(10, 0), tzinfo=ZoneInfo(festival.timezone))


class FestivalSessionFactory(SessionFactory):
    """A festival's session (no community) on its first morning. Not on the grid: placing a
    proposal (``proposal_place``) makes the sessions the programme shows."""

    community = None
    festival = factory.SubFactory(FestivalFactory)
    format = Session.Format.FESTIVAL_TALK
    start = factory.LazyAttribute(lambda o: _first_morning(o.festival))


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    festival = factory.SubFactory(FestivalFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    festival = factory.SubFactory(FestivalFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40


class SlotFactory(factory.django.DjangoModelFactory):
    """Half an hour on the festival's first morning. A session slot gets a room of the same
    festival; a break or plenary (``kind=``) spans every room, so it gets none."""

    class Meta:
        model = Slot

    festival = factory.SubFactory(FestivalFactory)
    kind = Slot.Kind.SESSION
    room = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == Slot.Kind.SESSION),
        factory.SubFactory(RoomFactory, festival=factory.SelfAttribute("..festival")),
        None,
    )
    start = factory.LazyAttribute(lambda o: _first_morning(o.festival))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=30))


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted 25-minute talk for beginners, in Dutch; not placed (placing needs an
    accepted proposal: ``state=``)."""

    class Meta:
        model = Proposal

    festival = factory.SubFactory(FestivalFactory)
    speaker = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    abstract = "About it."
    session_type = Proposal.Type.TALK
    duration = 25
    level = Proposal.Level.BEGINNER
    language = Proposal.Language.NL


class ProposalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalReview

    proposal = factory.SubFactory(ProposalFactory)
    reviewer = factory.SubFactory(UserFactory)
    score = 3


class ProgrammeVersionFactory(factory.django.DjangoModelFactory):
    """A published version's row only, with nothing in it: an empty snapshot and no changes,
    and the festival's ``published_version`` stays as it is. ``programme_publish`` makes real
    versions (it refuses an empty programme)."""

    class Meta:
        model = ProgrammeVersion

    festival = factory.SubFactory(FestivalFactory)
    number = factory.Sequence(lambda n: n + 1)
    published_at = factory.LazyFunction(timezone.now)


class SessionFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFeedback

    session = factory.SubFactory(FestivalSessionFactory)
    user = factory.SubFactory(UserFactory)
    score = 4


class SpeakerProfileFactory(factory.django.DjangoModelFactory):
    """A speaker's page without a bio or photo."""

    class Meta:
        model = SpeakerProfile

    user = factory.SubFactory(UserFactory)
