"""Factories for the events app: sessions and RSVPs."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Rsvp, Session
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
