"""The list pages of "wie weet wat" make the same number of queries for 1 and for 20 items
(rule 3): questions, wishes, experts, search and notifications."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.takeaways.services import tags_from_names
from knowledge.models import Notification
from knowledge.services.questions import answer_post, question_ask
from knowledge.services.wishes import wish_create, wish_interest_set
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    TakeawayFactory,
    TakeawayHelpfulFactory,
    UserFactory,
)
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.django_db


def make(n: int, *, viewer, community, start: int = 0) -> None:
    past = timezone.now() - timedelta(days=2)
    for i in range(start, start + n):
        person = UserFactory(display_name=f"Kenner {i:02d}")
        opt_in(person, "pytest, Omgevingswet")
        led = CommunityFactory(name=f"Gilde {i:02d}", slug=f"gilde-{i:02d}")
        MembershipFactory(user=person, community=led, role="coordinator")
        session = SessionFactory(
            community=community, title=f"pytest {i}", start=past, end=past + timedelta(hours=1)
        )
        session.hosts.set([person])
        takeaway = TakeawayFactory(
            session=session, author=person, title=f"pytest tip {i}", visibility="organisation"
        )
        takeaway.tags.set(tags_from_names(["pytest"]))
        TakeawayHelpfulFactory(takeaway=takeaway, user=viewer)
        question = question_ask(
            author=person, title=f"Vraag over pytest {i}", tags="pytest", community=community
        )
        answer_post(question_id=question.pk, author=viewer, body="Zo werkt het")
        wish = wish_create(author=person, community=community, title=f"Wens pytest {i}")
        wish_interest_set(wish_id=wish.pk, user=viewer, kind="volunteer", on=True)
        Notification.objects.create(
            user=viewer, kind="question_routed", key=f"q:{question.pk}", question=question,
            created_at=timezone.now(),
        )  # fmt: skip


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/questions/",
        "/questions/?q=pytest",
        "/wishes/",
        "/experts/?q=pytest",
        "/search/?q=pytest",
        "/notifications/",
    ],
)
def test_list_pages_have_a_constant_number_of_queries(client, member, community, path):
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    make(1, viewer=member, community=community)
    one = queries(client, path)
    make(19, viewer=member, community=community, start=1)
    twenty = queries(client, path)
    assert one == twenty, (path, one, twenty)
