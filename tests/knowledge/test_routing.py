"""Routing a question: who is told (opted-in people with a matching topic and the community's
coordinators, never the asker, never someone who may not see it), by mail only when chosen,
and never more than a few questions per person in any seven days."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.mail.models import OutboxMessage
from events.takeaways.services import tags_from_names
from knowledge.models import ExpertiseProfile, Notification, Question
from knowledge.rules import ROUTING_WEEKLY_CAP
from knowledge.services.questions import question_ask, question_post_anonymous
from knowledge.services.routing import question_route
from tests.factories import MembershipFactory, UserFactory
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


def routed_to(question) -> list[str]:
    return sorted(
        Notification.objects.filter(question=question, kind="question_routed").values_list(
            "user__email", flat=True
        )
    )


def test_question_goes_to_matching_experts_and_the_coordinators(
    member, community, coordinator, time_machine
):
    time_machine.move_to(NOW, tick=False)
    expert = UserFactory(email="expert@example.org")
    opt_in(expert, "Omgevingswet, Vergunningen")
    unrelated = UserFactory(email="unrelated@example.org")
    opt_in(unrelated, "pytest")
    not_listed = UserFactory(email="shy@example.org")
    opt_in(not_listed, "Omgevingswet")
    not_listed.expertise_profile.listed = False
    not_listed.expertise_profile.save()
    no_routing = UserFactory(email="busy@example.org")
    opt_in(no_routing, "Omgevingswet", route=False)
    MembershipFactory(user=member, community=community)

    question = question_ask(
        author=member, title="Hoe zit het met de Omgevingswet?", tags="omgevingswet",
        community=community,
    )  # fmt: skip

    assert routed_to(question) == ["coordinator@example.org", "expert@example.org"]
    # Nobody chose mail: nothing in the outbox.
    assert OutboxMessage.objects.filter(kind="question_routed").count() == 0


def test_the_asker_is_never_routed_their_own_question(member, time_machine):
    time_machine.move_to(NOW, tick=False)
    opt_in(member, "pytest")
    question = question_ask(author=member, title="Fixtures?", tags="pytest")
    assert routed_to(question) == []


def test_mail_only_for_those_who_chose_it(member, time_machine):
    time_machine.move_to(NOW, tick=False)
    by_mail = UserFactory(email="mail@example.org", language="en")
    opt_in(by_mail, "pytest", mail=True)
    in_app = UserFactory(email="app@example.org")
    opt_in(in_app, "pytest")

    question = question_ask(author=member, title="How do fixtures compose?", tags="pytest")

    assert routed_to(question) == ["app@example.org", "mail@example.org"]
    [mail] = OutboxMessage.objects.filter(kind="question_routed")
    assert (mail.to_email, mail.dedupe_key) == (
        "mail@example.org",
        f"question_routed:{question.pk}:{by_mail.pk}",
    )
    assert mail.subject == "A colleague asks: How do fixtures compose?"
    assert f"/questions/{question.pk}/" in mail.body_text


def test_routing_twice_notifies_and_mails_nobody_twice(member, time_machine):
    time_machine.move_to(NOW, tick=False)
    expert = UserFactory(email="expert@example.org")
    opt_in(expert, "pytest", mail=True)
    question = question_ask(author=member, title="Fixtures?", tags="pytest")

    assert question_route(question=question) == []

    assert Notification.objects.filter(question=question).count() == 1
    assert OutboxMessage.objects.filter(kind="question_routed").count() == 1


def test_weekly_cap_holds_back_the_fourth_question_and_frees_up_after_seven_days(
    member, time_machine
):
    time_machine.move_to(NOW, tick=False)
    expert = UserFactory(email="expert@example.org")
    opt_in(expert, "pytest", mail=True)
    asked = []
    for day in range(ROUTING_WEEKLY_CAP + 1):
        time_machine.move_to(NOW + timedelta(days=day), tick=False)
        asked.append(question_ask(author=member, title=f"Vraag {day}", tags="pytest"))

    assert [routed_to(q) for q in asked] == [["expert@example.org"]] * 3 + [[]]
    assert OutboxMessage.objects.filter(kind="question_routed").count() == 3

    # Seven days after the first one, there is room for one more.
    time_machine.move_to(NOW + timedelta(days=7), tick=False)
    later = question_ask(author=member, title="Vraag later", tags="pytest")
    assert routed_to(later) == ["expert@example.org"]


def test_the_cap_counts_coordinators_too(member, community, coordinator, time_machine):
    time_machine.move_to(NOW, tick=False)
    MembershipFactory(user=member, community=community)
    for number in range(ROUTING_WEEKLY_CAP + 2):
        question_ask(author=member, title=f"Vraag {number}", community=community)
    assert (
        Notification.objects.filter(user=coordinator, kind="question_routed").count()
        == ROUTING_WEEKLY_CAP
    )


def test_a_private_communitys_question_reaches_no_expert_outside_it(
    member, private_community, coordinator, time_machine
):
    time_machine.move_to(NOW, tick=False)
    MembershipFactory(user=member, community=private_community)
    outsider = UserFactory(email="outsider@example.org")
    opt_in(outsider, "security", mail=True)
    insider = UserFactory(email="insider@example.org")
    opt_in(insider, "security", mail=True)
    MembershipFactory(user=insider, community=private_community)

    question = question_ask(
        author=member, title="Pentest scope?", tags="security", community=private_community
    )

    assert routed_to(question) == ["coordinator@example.org", "insider@example.org"]
    assert list(
        OutboxMessage.objects.filter(kind="question_routed").values_list("to_email", flat=True)
    ) == ["insider@example.org"]


def test_anonymous_question_waits_for_a_coordinator_and_is_routed_when_posted(
    member, community, coordinator, time_machine
):
    time_machine.move_to(NOW, tick=False)
    MembershipFactory(user=member, community=community)
    expert = UserFactory(email="expert@example.org")
    opt_in(expert, "burn-out")

    question = question_ask(
        author=member, title="Hoe zeg ik nee?", tags="burn-out", community=community,
        anonymous=True,
    )  # fmt: skip

    assert question.state == Question.State.PENDING
    assert routed_to(question) == []
    assert list(
        Notification.objects.filter(question=question).values_list("user__email", "kind")
    ) == [("coordinator@example.org", "question_to_post")]

    question_post_anonymous(question_id=question.pk, actor=coordinator)

    question.refresh_from_db()
    assert (question.state, question.posted_by_id) == ("open", coordinator.pk)
    assert routed_to(question) == ["coordinator@example.org", "expert@example.org"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(gaps=st.lists(st.integers(min_value=0, max_value=60 * 60 * 72), min_size=1, max_size=10))
def test_no_person_gets_more_than_the_cap_in_any_seven_days(member, gaps):
    """For every sequence of questions, every 7-day window holds at most the cap."""
    Question.objects.all().delete()
    ExpertiseProfile.objects.all().delete()
    expert = UserFactory()
    opt_in(expert, "pytest")
    moment = NOW
    for number, gap in enumerate(gaps):
        moment += timedelta(seconds=gap)
        question = Question.objects.create(
            author=member, title=f"Q{number}", created_at=moment, published_at=moment,
            tags_text="pytest",
        )  # fmt: skip
        question.tags.set(tags_from_names(["pytest"]))
        question_route(question=question, now=moment)
    times = sorted(
        Notification.objects.filter(user=expert, kind="question_routed").values_list(
            "created_at", flat=True
        )
    )
    for start in times:
        in_window = [t for t in times if start <= t < start + timedelta(days=7)]
        assert len(in_window) <= ROUTING_WEEKLY_CAP
    # And the cap is not an excuse to route nothing: the first question always arrives.
    assert times and times[0] == NOW + timedelta(seconds=gaps[0])
