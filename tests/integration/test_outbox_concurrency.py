"""Two sweeps at once never claim the same row (PostgreSQL row locks + SKIP LOCKED).

The second test switches the row lock off and shows the first test would catch the bug.
"""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.integration


def claim_while_another_sweep_holds_the_rows() -> tuple[set[int], set[int]]:
    """Sweep A locks every due row and is paused; sweep B runs. Returns (A's rows, B's rows)."""
    held: set[int] = set()
    locked = threading.Event()
    release = threading.Event()

    def sweep_a():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    table = OutboxMessage._meta.db_table
                    cursor.execute(f"SELECT id FROM {table} WHERE state = 'pending' FOR UPDATE")
                    held.update(row[0] for row in cursor.fetchall())
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=sweep_a)
    holder.start()
    assert locked.wait(timeout=10)
    # Without SKIP LOCKED, B would block on A's locks: let A finish after a moment.
    threading.Timer(1.0, release.set).start()
    tokens = outbox_claim_due(now=timezone.now())
    holder.join(timeout=15)
    claimed = set(OutboxMessage.objects.filter(lease_token__in=tokens).values_list("id", flat=True))
    return held, claimed


def test_outbox_concurrent_sweeps_never_claim_the_same_row(transactional_db, postgres):
    OutboxMessageFactory.create_batch(5, due_at=timezone.now())
    held, claimed = claim_while_another_sweep_holds_the_rows()
    assert len(held) == 5
    assert claimed == set()


def test_outbox_claim_without_row_lock_would_double_claim(transactional_db, postgres, monkeypatch):
    """Proof that the test above can fail: with the lock disabled, B takes A's rows."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    OutboxMessageFactory.create_batch(5, due_at=timezone.now())
    held, claimed = claim_while_another_sweep_holds_the_rows()
    assert len(held) == 5
    assert claimed == held
