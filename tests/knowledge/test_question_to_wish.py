"""An unanswered question older than two weeks becomes a topic wish of its community (the
asker or a coordinator), the asker says "I'd come", the question closes; younger or answered
questions stay questions. And the poll's winner: most yes, then most "if need be", then the
earliest date."""

from datetime import UTC, datetime, timedelta

import pytest

from communities.errors import DomainError
from knowledge.models import Question, Wish, WishInterest
from knowledge.rules import poll_winner
from knowledge.services.questions import answer_post, question_ask, question_to_wish
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
ASKED = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def old_question(member, community, time_machine):
    MembershipFactory(user=member, community=community)
    time_machine.move_to(ASKED, tick=False)
    question = question_ask(
        author=member, title="Wie kent de Omgevingswet?", body="Vooral het omgevingsplan.",
        community=community,
    )  # fmt: skip
    return question


def test_an_old_unanswered_question_becomes_a_wish_once(
    old_question, member, coordinator, time_machine
):
    time_machine.move_to(ASKED + timedelta(days=14), tick=False)

    wish = question_to_wish(question_id=old_question.pk, actor=coordinator)
    again = question_to_wish(question_id=old_question.pk, actor=member)

    assert again.pk == wish.pk
    assert Wish.objects.count() == 1
    assert (wish.title, wish.description, wish.community_id, wish.author_id, wish.state) == (
        "Wie kent de Omgevingswet?",
        "Vooral het omgevingsplan.",
        old_question.community_id,
        coordinator.pk,
        "open",
    )
    assert list(WishInterest.objects.values_list("user_id", "kind")) == [(member.pk, "attend")]
    old_question.refresh_from_db()
    assert old_question.state == Question.State.CLOSED


def test_a_question_younger_than_two_weeks_stays(old_question, member, time_machine):
    time_machine.move_to(ASKED + timedelta(days=13, hours=23), tick=False)
    with pytest.raises(DomainError) as refused:
        question_to_wish(question_id=old_question.pk, actor=member)
    assert refused.value.code == "early"
    assert Wish.objects.count() == 0


def test_an_answered_question_stays(old_question, member, coordinator, time_machine):
    answer_post(question_id=old_question.pk, author=coordinator, body="Ik.")
    time_machine.move_to(ASKED + timedelta(days=30), tick=False)
    with pytest.raises(DomainError) as refused:
        question_to_wish(question_id=old_question.pk, actor=member)
    assert refused.value.code == "early"


def test_only_the_asker_or_a_coordinator(old_question, community, time_machine):
    time_machine.move_to(ASKED + timedelta(days=20), tick=False)
    colleague = UserFactory()
    MembershipFactory(user=colleague, community=community)
    with pytest.raises(DomainError) as refused:
        question_to_wish(question_id=old_question.pk, actor=colleague)
    assert refused.value.code == "forbidden"


@pytest.mark.parametrize(
    ("tallies", "winner"),
    [
        ([], None),
        ([(1, 0, 2), (2, 0, 0)], 1),  # most yes
        ([(2, 0, 1), (2, 1, 0)], 1),  # then most "if need be"
        ([(2, 1, 0), (2, 1, 3)], 0),  # then the earliest
    ],
)
def test_poll_winner(tallies, winner):
    assert poll_winner(tallies) == winner
