"""Factories for the events app: sessions and RSVPs, takeaways."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Rsvp, Session, Takeaway, TakeawayHelpful, TakeawayReview
from tests.factories.communities import CommunityFactory, UserFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    community = factory.SubFactory(CommunityFactory)
    format = Session.Format.BROWN_BAG
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))
    timezone = "Europe/Amsterdam"


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Rsvp.Status.GOING


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
