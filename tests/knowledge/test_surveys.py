"""Knowledge-gap surveys: members rate topics and add free text; the coordinators see totals
only once at least five answered (the insights' minimum group), a topic only once five rated
it, free text without names in alphabetical order; a topic becomes a wish in one step."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.errors import DomainError
from communities.services.accounts import account_erase
from knowledge.models import Survey, SurveyRating, SurveyResponse, Wish, WishInterest
from knowledge.selectors.surveys import survey_results
from knowledge.services.surveys import (
    SurveyNotFound,
    survey_close,
    survey_create,
    survey_respond,
    survey_topic_to_wish,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(coordinator, community):
    return survey_create(
        actor=coordinator,
        community=community,
        title="Wat willen we hierna leren?",
        topics="Typing\n  pytest  \n\ntyping\nPackaging",
    )


def members(community, count: int, start: int = 0) -> list:
    people = []
    for number in range(start, start + count):
        person = UserFactory(display_name=f"Zara Zichtbaar {number}")
        MembershipFactory(user=person, community=community)
        people.append(person)
    return people


def topic_ids(survey) -> dict[str, int]:
    return {topic.name: topic.pk for topic in survey.topics.all()}


def answer(survey, person, comment="", **scores):
    ids = topic_ids(survey)
    return survey_respond(
        survey_id=survey.pk,
        user=person,
        scores={ids[name]: score for name, score in scores.items()},
        comment=comment,
    )


def test_topics_are_one_per_line_without_repeats(survey):
    assert [t.name for t in survey.topics.order_by("position")] == ["Typing", "pytest", "Packaging"]


def test_only_a_coordinator_starts_a_survey_with_two_to_twelve_topics(member, community):
    MembershipFactory(user=member, community=community)
    with pytest.raises(DomainError) as refused:
        survey_create(actor=member, community=community, title="Wat?", topics="A\nB")
    assert refused.value.code == "community"
    assert Survey.objects.count() == 0


def test_too_few_topics_are_refused(coordinator, community):
    with pytest.raises(DomainError) as refused:
        survey_create(actor=coordinator, community=community, title="Wat?", topics="Alleen dit")
    assert refused.value.code == "topics"


def test_fewer_than_five_answers_show_nothing(survey, community):
    for person in members(community, 4):
        answer(survey, person, comment="Meer Django", Typing=5)

    results = survey_results(survey)

    assert (results.respondents, results.enough_people, results.comments) == (4, False, [])
    assert [(r.topic.name, r.ratings, r.mean, r.wanted) for r in results.topics] == [
        ("Typing", 0, None, None),
        ("pytest", 0, None, None),
        ("Packaging", 0, None, None),
    ]


def test_five_answers_show_totals_and_a_topic_rated_by_fewer_stays_hidden(survey, community):
    people = members(community, 5)
    answer(survey, people[0], comment="zelf een workshop geven", Typing=5, pytest=2)
    answer(survey, people[1], comment="Async Python", Typing=4, pytest=3, Packaging=5)
    answer(survey, people[2], Typing=3, pytest=4)
    answer(survey, people[3], comment="  ", Typing=5, pytest=1)
    answer(survey, people[4], comment="Betere code reviews", Typing=2, pytest=5)

    results = survey_results(survey)

    assert (results.respondents, results.enough_people) == (5, True)
    # The most wanted first; Packaging was rated by one person only: no figures for it.
    assert [(r.topic.name, r.ratings, r.mean, r.wanted) for r in results.topics] == [
        ("Typing", 5, 3.8, 3),
        ("pytest", 5, 3.0, 2),
        ("Packaging", 1, None, None),
    ]
    # Free text in alphabetical order, never in the order it came in, blank ones left out.
    assert results.comments == ["Async Python", "Betere code reviews", "zelf een workshop geven"]


def test_answering_again_replaces_the_earlier_answer(survey, community):
    person = members(community, 1)[0]
    answer(survey, person, comment="eerst", Typing=1, pytest=1)
    answer(survey, person, comment="later", Typing=4)

    response = SurveyResponse.objects.get()
    assert response.comment == "later"
    assert list(SurveyRating.objects.values_list("topic__name", "score")) == [("Typing", 4)]


def test_outsiders_and_closed_surveys_are_refused(survey, community, other_user, coordinator):
    with pytest.raises(SurveyNotFound):
        answer(survey, other_user, Typing=5)
    survey_close(survey_id=survey.pk, actor=coordinator)
    survey_close(survey_id=survey.pk, actor=coordinator)  # idempotent
    person = members(community, 1)[0]
    with pytest.raises(DomainError) as refused:
        answer(survey, person, Typing=5)
    assert refused.value.code == "closed"
    assert SurveyResponse.objects.count() == 0


def test_a_score_outside_one_to_five_is_refused(survey, community):
    person = members(community, 1)[0]
    with pytest.raises(DomainError) as refused:
        answer(survey, person, Typing=6)
    assert refused.value.code == "score"


def test_a_topic_becomes_a_wish_once_with_the_totals_and_nobodys_name(
    survey, community, coordinator
):
    for number, person in enumerate(members(community, 5)):
        answer(survey, person, Typing=5 if number < 4 else 3)
    typing = topic_ids(survey)["Typing"]

    with translation.override("en"):
        wish = survey_topic_to_wish(survey_id=survey.pk, topic_id=typing, actor=coordinator)
    again = survey_topic_to_wish(survey_id=survey.pk, topic_id=typing, actor=coordinator)

    assert again.pk == wish.pk
    assert Wish.objects.count() == 1
    assert (wish.community_id, wish.title, wish.author_id, wish.state) == (
        community.pk,
        "Typing",
        coordinator.pk,
        "open",
    )
    assert wish.description == (
        "From the survey “Wat willen we hierna leren?”: 4 of 5 colleagues want to learn this "
        "(4.6 out of 5 on average)."
    )
    # Nobody is signed up for it on their behalf: they say "I'd come" on the wish themselves.
    assert WishInterest.objects.count() == 0


def test_a_member_cannot_turn_a_topic_into_a_wish(survey, community, member):
    MembershipFactory(user=member, community=community)
    with pytest.raises(SurveyNotFound):
        survey_topic_to_wish(
            survey_id=survey.pk, topic_id=topic_ids(survey)["Typing"], actor=member
        )


def test_results_page_shows_totals_and_no_names(client, survey, community, coordinator):
    people = members(community, 5)
    for person in people:
        answer(survey, person, comment=f"Idee van {person.display_name}", Typing=4, pytest=4)
    client.force_login(coordinator)

    page = client.get(f"/wishes/surveys/{survey.pk}/results/").content.decode()

    assert "Zara Zichtbaar" not in page.replace("Idee van Zara Zichtbaar", "")
    assert "4.0" in page or "4,0" in page
    assert page.count("Idee van Zara Zichtbaar") == 5  # the free text, as written
    assert "member@example.org" not in page


def test_answer_page_saves_the_scores(client, survey, community):
    person = members(community, 1)[0]
    client.force_login(person)
    ids = topic_ids(survey)

    response = client.post(
        f"/wishes/surveys/{survey.pk}/answer/",
        {f"topic_{ids['Typing']}": "5", f"topic_{ids['pytest']}": "", "comment": "Meer async"},
    )

    assert response.status_code == 302
    assert list(SurveyRating.objects.values_list("topic__name", "score")) == [("Typing", 5)]
    page = client.get(f"/wishes/surveys/{survey.pk}/").content.decode()
    assert "Meer async" in page
    checked = re.findall(r'<input type="radio" name="(topic_\d+)" value="(\d)"[^>]*checked', page)
    assert checked == [(f"topic_{ids['Typing']}", "5")]


def test_survey_list_has_a_constant_number_of_queries(client, community, coordinator):
    client.force_login(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/wishes/surveys/").status_code == 200
        return len(captured)

    survey_create(actor=coordinator, community=community, title="Eén", topics="A\nB")
    one = count()
    for number in range(19):
        survey_create(actor=coordinator, community=community, title=f"S{number}", topics="A\nB")
    assert count() == one


def test_erasure_removes_the_answer_and_keeps_the_survey(
    survey, community, private_community, coordinator
):
    person = members(community, 1)[0]
    successor = UserFactory()
    for led in (community, private_community):
        MembershipFactory(user=successor, community=led, role="coordinator")
    answer(survey, person, comment="Alleen van mij", Typing=5)

    account_erase(user=person)
    account_erase(user=coordinator)

    assert SurveyResponse.objects.count() == 0
    assert SurveyRating.objects.count() == 0
    survey.refresh_from_db()
    assert (survey.created_by_id, survey.topics.count()) == (None, 3)
