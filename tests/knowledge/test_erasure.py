"""Erasing a person in "wie weet wat": their answers stay without an author where the asker
accepted them and go otherwise (the question's count, first-answer time and search text
follow); their own questions stay without an author when colleagues answered them."""

import pytest

from communities.services.accounts import account_erase
from knowledge.models import Answer, Question
from knowledge.services.questions import answer_accept, answer_post, question_ask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_accepted_answers_stay_without_author_and_the_others_go(member, other_user):
    leaving = UserFactory(email="leaving@example.org", display_name="Lena Leaving")
    accepted_q = question_ask(author=member, title="Hoe test ik Celery?")
    other_q = question_ask(author=member, title="Welke linter gebruiken jullie?")
    kept = answer_post(question_id=accepted_q.pk, author=leaving, body="Met een echte worker.")
    answer_accept(answer_id=kept.pk, actor=member)
    gone = answer_post(question_id=other_q.pk, author=leaving, body="Ruff, zonder twijfel.")
    stays = answer_post(question_id=other_q.pk, author=other_user, body="Wij ook ruff.")

    account_erase(user=leaving)

    kept.refresh_from_db()
    assert (kept.author_id, kept.body) == (None, "Met een echte worker.")
    assert not Answer.objects.filter(pk=gone.pk).exists()
    other_q.refresh_from_db()
    assert (other_q.answer_count, other_q.answers_text, other_q.first_answer_at) == (
        1,
        "Wij ook ruff.",
        stays.created_at,
    )
    accepted_q.refresh_from_db()
    assert (accepted_q.accepted_answer_id, accepted_q.answer_count) == (kept.pk, 1)


def test_own_questions_stay_when_answered_and_go_otherwise(member, other_user):
    leaving = UserFactory(email="leaving@example.org")
    answered = question_ask(author=leaving, title="Wie kent de Omgevingswet?")
    answer_post(question_id=answered.pk, author=other_user, body="Ik.")
    lonely = question_ask(author=leaving, title="Niemand antwoordde hierop")

    account_erase(user=leaving)

    answered.refresh_from_db()
    assert (answered.author_id, answered.title) == (None, "Wie kent de Omgevingswet?")
    assert not Question.objects.filter(pk=lonely.pk).exists()
