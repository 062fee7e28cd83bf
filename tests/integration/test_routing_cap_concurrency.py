"""Questions routed at once to the same expert never pass the weekly cap: routing locks the
candidates' user rows, then counts what reached them in the last seven days, then notifies, in
one transaction.

The second test switches the row lock off and shows the first test would catch the bug. Both
widen the window between counting and notifying (a short pause after the count) so the race
happens on every run, not by luck.
"""

import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connections, transaction
from django.db.models import QuerySet

from events.takeaways.services import tags_from_names
from knowledge.models import Notification, Question
from knowledge.rules import ROUTING_WEEKLY_CAP
from knowledge.services import routing
from knowledge.services.routing import question_route
from tests.factories import UserFactory
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.integration
NOW = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
AT_ONCE = 6


@pytest.fixture
def questions(transactional_db):
    expert = UserFactory(email="expert@example.org")
    opt_in(expert, "pytest")
    asker = UserFactory(email="asker@example.org")
    made = []
    for number in range(AT_ONCE):
        question = Question.objects.create(
            author=asker, title=f"Vraag {number}", tags_text="pytest", created_at=NOW,
            published_at=NOW,
        )  # fmt: skip
        question.tags.set(tags_from_names(["pytest"]))
        made.append(question)
    return expert, made


@pytest.fixture
def slow_count(monkeypatch):
    """A pause right after the cap is read: without a lock, every routing reads the count
    before any of them has written its notification."""
    original = routing.under_cap

    def under_cap_then_pause(*args, **kwargs):
        answer = original(*args, **kwargs)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(routing, "under_cap", under_cap_then_pause)


def route_all_at_once(questions: list[Question]) -> list[BaseException]:
    start = threading.Barrier(len(questions))
    errors: list[BaseException] = []

    def route(question):
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                question_route(question=question, now=NOW)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=route, args=(q,)) for q in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_concurrent_routings_never_pass_the_weekly_cap(questions, slow_count, postgres):
    expert, made = questions

    assert route_all_at_once(made) == []

    routed = Notification.objects.filter(user=expert, kind="question_routed").count()
    assert routed == ROUTING_WEEKLY_CAP


def test_routing_without_the_row_lock_would_pass_the_cap(
    questions, slow_count, postgres, monkeypatch
):
    """Proof that the test above can fail: with the lock disabled, every routing passes."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    expert, made = questions

    assert route_all_at_once(made) == []

    routed = Notification.objects.filter(user=expert, kind="question_routed").count()
    assert routed == AT_ONCE
