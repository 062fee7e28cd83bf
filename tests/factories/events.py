"""Factories for the events app: sessions and RSVPs, series, calendar deliveries and replies,
reminder preferences and announcements, takeaways."""

from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone

from events.models import (
    Announcement,
    CalendarDelivery,
    CalendarReply,
    ReminderPreference,
    Rsvp,
    Series,
    SeriesRsvp,
    Session,
    Takeaway,
    TakeawayHelpful,
    TakeawayReview,
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
    """A weekly series of four brown bags, without occurrences: ``series_create`` materialises
    them, this factory makes the series row only."""

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
    """A line of the review log only: the takeaway's review date stays as it is
    (``takeaway_review`` moves it on)."""

    class Meta:
        model = TakeawayReview

    takeaway = factory.SubFactory(TakeawayFactory)
    outcome = TakeawayReview.Outcome.RECONFIRMED
