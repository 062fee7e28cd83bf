"""Two review-nudge runs at once never nudge the same takeaways (PostgreSQL row locks + SKIP
LOCKED): a run skips an owner whose due takeaways another run is handling.

The second test switches the row lock off and shows the first test would catch the bug.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from communities.mail.models import OutboxMessage
from events.models import Takeaway
from events.takeaways.services import takeaway_review_nudge
from tests.factories import SessionFactory, TakeawayFactory, UserFactory

pytestmark = pytest.mark.integration


def nudge_while_another_run_holds_the_rows() -> tuple[set[int], int]:
    """Run A locks every due takeaway and is paused; run B nudges. Returns (A's rows, B's
    messages)."""
    held: set[int] = set()
    locked = threading.Event()
    release = threading.Event()

    def run_a():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM events_takeaway WHERE review_due <= CURRENT_DATE FOR UPDATE"
                    )
                    held.update(row[0] for row in cursor.fetchall())
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=run_a)
    holder.start()
    assert locked.wait(timeout=10)
    threading.Timer(1.0, release.set).start()  # without SKIP LOCKED, B would wait for A
    made = takeaway_review_nudge()
    holder.join(timeout=15)
    return held, made


@pytest.fixture
def due(transactional_db):
    owner = UserFactory()
    session = SessionFactory()
    return [
        TakeawayFactory(
            session=session,
            author=owner,
            owner=owner,
            title=f"Tip {n}",
            visibility="organisation",
            review_due=timezone.localdate() - timedelta(days=1),
        )
        for n in range(3)
    ]


def test_concurrent_nudge_runs_never_nudge_the_same_takeaways(due, postgres):
    held, made = nudge_while_another_run_holds_the_rows()

    assert len(held) == 3
    assert made == 0
    assert OutboxMessage.objects.count() == 0
    assert Takeaway.objects.filter(review_nudged_for__isnull=False).count() == 0


def test_nudge_without_row_lock_would_take_the_other_runs_rows(due, postgres, monkeypatch):
    """Proof that the test above can fail: with the lock disabled, B nudges A's takeaways."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)

    held, made = nudge_while_another_run_holds_the_rows()

    assert len(held) == 3
    assert made == 1
