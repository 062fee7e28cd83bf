"""The figures of "wie weet wat" are aggregates: questions asked and answered, the median time
to a first answer, wishes that became sessions; nothing when fewer than five people asked."""

from datetime import UTC, datetime, timedelta

import pytest

from knowledge.selectors.insights import knowledge_figures
from knowledge.services.questions import answer_post, question_ask
from knowledge.services.wishes import wish_create
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def test_figures_with_enough_people(community, coordinator, time_machine):
    time_machine.move_to(NOW, tick=False)
    askers = [UserFactory() for _ in range(5)]
    questions = []
    for person in askers:
        MembershipFactory(user=person, community=community)
        questions.append(question_ask(author=person, title="Vraag", community=community))
    for hours, question in zip((1, 3, 8), questions, strict=False):
        time_machine.move_to(NOW + timedelta(hours=hours), tick=False)
        answer_post(question_id=question.pk, author=coordinator, body="Antwoord")
    wish_create(author=askers[0], community=community, title="Wens")

    figures = knowledge_figures(community=community)

    assert (
        figures.enough_people,
        figures.asked,
        figures.answered,
        figures.median_hours_to_first_answer,
        figures.wishes,
        figures.wishes_planned,
    ) == (True, 5, 3, 3.0, 1, 0)


def test_fewer_than_five_askers_are_not_shown(community, member, time_machine):
    time_machine.move_to(NOW, tick=False)
    MembershipFactory(user=member, community=community)
    for _ in range(10):
        question_ask(author=member, title="Vraag", community=community)
    figures = knowledge_figures(community=community)
    assert (figures.enough_people, figures.asked) == (False, 0)


def test_only_the_communitys_coordinators_see_its_figures(
    client, member, coordinator, private_community
):
    MembershipFactory(user=member, community=private_community)
    path = "/questions/insights/?community=security-champions"
    client.force_login(member)
    assert client.get(path).status_code == 404
    client.force_login(coordinator)
    page = client.get(path)
    assert page.status_code == 200
    assert "Minder dan vijf collega's" in page.content.decode()
