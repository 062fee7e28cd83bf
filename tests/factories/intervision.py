"""Factories for the intervision app: methods, sessions and what happens in them (cases and
votes, attendance, swaps, live items, evaluations, commitments, the presenter's copy) and the
group agreement.

The rows only: no group settings, phases or phase runs, no reminders. Schedule and run a session
through the services (``intervision_schedule``, ``live_control``) when a test is about those.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Session
from intervision.models import (
    ActionCommitment,
    AgreementAcceptance,
    Attendance,
    Case,
    CaseVote,
    ContentKey,
    Evaluation,
    IntervisionSession,
    LiveItem,
    Method,
    PresenterCopy,
    SwapRequest,
)
from intervision.services.keys import isession_content_key
from tests.factories.communities import IntervisionGroupFactory, UserFactory
from tests.factories.events import SessionFactory


class MethodFactory(factory.django.DjangoModelFactory):
    """A group's own method without phases. Catalogue methods (no group) come from the data
    migration: ``Method.objects.get(code="incidentmethode", group=None)``."""

    class Meta:
        model = Method

    group = factory.SubFactory(IntervisionGroupFactory)
    code = factory.Sequence(lambda n: f"method-{n}")
    family = "incident"
    name_nl = factory.Sequence(lambda n: f"Methode {n}")
    name_en = factory.Sequence(lambda n: f"Method {n}")


class IntervisionSessionFactory(factory.django.DjangoModelFactory):
    """A scheduled intervision session of a group, on an intervision session of that group,
    with a method of the group; no one in a role unless given."""

    class Meta:
        model = IntervisionSession

    group = factory.SubFactory(IntervisionGroupFactory)
    session = factory.SubFactory(
        SessionFactory,
        community=factory.SelfAttribute("..group"),
        format=Session.Format.INTERVISION,
        title="Intervisie",
    )
    method = factory.SubFactory(MethodFactory, group=factory.SelfAttribute("..group"))


class ContentKeyFactory(factory.django.DjangoModelFactory):
    """A fresh data key (random, wrapped by the master key)."""

    class Meta:
        model = ContentKey

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_key()


class CaseFactory(factory.django.DjangoModelFactory):
    """A submitted case. Brought into a session (``isession=``), it belongs to that session's
    group; else to a group of its own."""

    class Meta:
        model = Case

    group = factory.Maybe(
        "isession",
        factory.SelfAttribute("isession.group"),
        factory.SubFactory(IntervisionGroupFactory),
    )
    presenter = factory.SubFactory(UserFactory)
    content_key = factory.SubFactory(ContentKeyFactory)
    title = factory.Sequence(lambda n: f"Case {n}")
    question = "Hoe ga ik hiermee om?"
    pitch = "Kort."


class CaseVoteFactory(factory.django.DjangoModelFactory):
    """A vote for a case in the case's session."""

    class Meta:
        model = CaseVote

    case = factory.SubFactory(CaseFactory, isession=factory.SubFactory(IntervisionSessionFactory))
    voter = factory.SubFactory(UserFactory)
    isession = factory.SelfAttribute("case.isession")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    isession = factory.SubFactory(IntervisionSessionFactory)
    user = factory.SubFactory(UserFactory)


class SwapRequestFactory(factory.django.DjangoModelFactory):
    """A pending request (one per session at a time) from one person to another."""

    class Meta:
        model = SwapRequest

    isession = factory.SubFactory(IntervisionSessionFactory)
    requested_by = factory.SubFactory(UserFactory)
    asked = factory.SubFactory(UserFactory)


class LiveItemFactory(factory.django.DjangoModelFactory):
    """A question written during the session, not kept, in no phase run."""

    class Meta:
        model = LiveItem

    isession = factory.SubFactory(IntervisionSessionFactory)
    author = factory.SubFactory(UserFactory)
    kind = LiveItem.Kind.QUESTION
    text = factory.Sequence(lambda n: f"Vraag {n}?")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The text is sealed under the session's key, made with its first item.
        isession_content_key(isession=kwargs["isession"])
        return super()._create(model_class, *args, **kwargs)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    isession = factory.SubFactory(IntervisionSessionFactory)
    user = factory.SubFactory(UserFactory)
    score = 4


class ActionCommitmentFactory(factory.django.DjangoModelFactory):
    """An open commitment from a session, in the session's group, due in four weeks."""

    class Meta:
        model = ActionCommitment

    isession = factory.SubFactory(IntervisionSessionFactory)
    group = factory.SelfAttribute("isession.group")
    owner = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Actie {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=4))


class PresenterCopyFactory(factory.django.DjangoModelFactory):
    """The advice kept for a presenter from today's session, for 30 days (the groups' default
    ``private_copy_days``)."""

    class Meta:
        model = PresenterCopy

    owner = factory.SubFactory(UserFactory)
    group_name = "Intervisie"
    session_date = factory.LazyFunction(timezone.localdate)
    text = "Het advies."
    delete_after = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class AgreementAcceptanceFactory(factory.django.DjangoModelFactory):
    """An acceptance of the group agreement's first version (``GroupSettings`` starts there)."""

    class Meta:
        model = AgreementAcceptance

    group = factory.SubFactory(IntervisionGroupFactory)
    user = factory.SubFactory(UserFactory)
    version = 1
