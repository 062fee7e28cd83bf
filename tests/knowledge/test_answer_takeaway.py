"""Keeping a good answer as a takeaway with one click: no session, the question's community
and tags, authored and owned by the answerer, reviewed when due like any takeaway, linked back
to the question, and a private community's kept answer never read outside it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.errors import DomainError
from communities.personal_data import personal_data_export
from events.models import Takeaway
from events.takeaways.selectors.reading import takeaways_visible_to
from events.takeaways.selectors.search import TakeawayFilters, takeaway_search
from knowledge.services.questions import answer_keep_as_takeaway, answer_post, question_ask
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(member, other_user, private_community):
    MembershipFactory(user=member, community=private_community)
    MembershipFactory(user=other_user, community=private_community)
    question = question_ask(
        author=member,
        title="Hoe rouleer je de sleutels van de kluis?",
        tags="Security, Kluis",
        community=private_community,
    )
    answer = answer_post(
        question_id=question.pk, author=other_user, body="Elk kwartaal, met twee sleutelhouders."
    )
    return question, answer


def test_keeping_an_answer_makes_a_takeaway_of_the_answerer(answered, member, other_user):
    question, answer = answered

    takeaway = answer_keep_as_takeaway(answer_id=answer.pk, actor=member)
    again = answer_keep_as_takeaway(answer_id=answer.pk, actor=other_user)

    assert again.pk == takeaway.pk
    assert Takeaway.objects.count() == 1
    assert (
        takeaway.origin,
        takeaway.session_id,
        takeaway.community_id,
        takeaway.author_id,
        takeaway.owner_id,
        takeaway.title,
        takeaway.body,
        takeaway.kind,
        takeaway.visibility,
        sorted(takeaway.tags.values_list("name", flat=True)),
    ) == (
        "answer",
        None,
        question.community_id,
        other_user.pk,
        other_user.pk,
        "Hoe rouleer je de sleutels van de kluis?",
        "Elk kwartaal, met twee sleutelhouders.",
        "tip",
        "community",  # a private community's takeaway stays inside it
        ["Kluis", "Security"],
    )
    # Reviewed like any tip: six months on.
    assert takeaway.review_due > timezone.localdate() + timedelta(days=170)
    answer.refresh_from_db()
    assert answer.takeaway_id == takeaway.pk


def test_only_the_answerer_or_the_asker_keeps_it(answered, private_community):
    _question, answer = answered
    bystander = UserFactory()
    MembershipFactory(user=bystander, community=private_community)
    with pytest.raises(DomainError) as refused:
        answer_keep_as_takeaway(answer_id=answer.pk, actor=bystander)
    assert refused.value.code == "forbidden"
    assert Takeaway.objects.count() == 0


def test_a_private_communitys_kept_answer_stays_inside_it(answered, member):
    _question, answer = answered
    takeaway = answer_keep_as_takeaway(answer_id=answer.pk, actor=member)
    outsider = UserFactory()

    assert list(takeaways_visible_to(member).values_list("pk", flat=True)) == [takeaway.pk]
    assert takeaways_visible_to(outsider).count() == 0
    assert list(takeaway_search(user=outsider, filters=TakeawayFilters(q="sleutelhouders"))) == []
    found = takeaway_search(user=member, filters=TakeawayFilters(q="sleutelhouders"))
    assert [t.pk for t in found] == [takeaway.pk]


def test_the_takeaway_page_links_back_to_the_question(client, answered, member):
    question, answer = answered
    takeaway = answer_keep_as_takeaway(answer_id=answer.pk, actor=member)
    client.force_login(member)

    page = client.get(f"/takeaways/{takeaway.pk}/").content.decode()

    assert f'href="/questions/{question.pk}/"' in page
    assert "Hoe rouleer je de sleutels van de kluis?" in page
    client.force_login(UserFactory())
    assert client.get(f"/takeaways/{takeaway.pk}/").status_code == 404


def test_the_one_click_button_keeps_it_and_opens_the_takeaway(client, answered, other_user):
    question, answer = answered
    client.force_login(other_user)
    assert (
        f"/questions/answers/{answer.pk}/takeaway/"
        in client.get(f"/questions/{question.pk}/").content.decode()
    )

    response = client.post(f"/questions/answers/{answer.pk}/takeaway/")

    takeaway = Takeaway.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/takeaways/{takeaway.pk}/"
    # The owner edits it like any takeaway (no session needed).
    edit = client.get(f"/takeaways/{takeaway.pk}/edit/")
    assert edit.status_code == 200


def test_a_takeaway_hangs_on_a_session_or_an_answer(member):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Takeaway.objects.create(author=member, owner=member, title="Nergens aan", origin="session")


def test_export_of_the_answerer_names_the_origin(answered, member, other_user):
    _question, answer = answered
    answer_keep_as_takeaway(answer_id=answer.pk, actor=member)

    rows = personal_data_export(user=other_user)["takeaways"]

    assert [(row["session"], row["origin"], row["title"]) for row in rows] == [
        (None, "answer", "Hoe rouleer je de sleutels van de kluis?")
    ]
