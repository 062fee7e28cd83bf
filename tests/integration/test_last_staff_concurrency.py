"""Two staff members deactivating each other at the same moment leave one of them.

The staff rows are locked (in id order) before the "last staff member?" question is asked, so
the second deactivation waits for the first and is then refused. The second test switches the
row locks off and shows that the first test would catch the bug (both deactivated, no staff).
"""

import threading
import time

import pytest
from django.db import connections
from django.db.models import QuerySet

from communities.errors import DomainError
from communities.models import User
from communities.services import accounts as services
from tests.factories import StaffFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def slow_decision(monkeypatch):
    """Widen the race: pause right after deciding "not the last one"."""
    decide = services._is_last_active_staff

    def slowly(user):
        answer = decide(user)
        time.sleep(0.5)
        return answer

    monkeypatch.setattr(services, "_is_last_active_staff", slowly)


def deactivate_each_other() -> dict[str, str]:
    anne = StaffFactory(email="anne@kennis.example")
    bram = StaffFactory(email="bram@kennis.example")
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def deactivate(actor, target):
        try:
            start.wait(timeout=10)
            services.user_deactivate(actor=actor, user=target)
            results[target.email] = "deactivated"
        except DomainError as error:
            results[target.email] = error.code
        except Exception as error:  # a deadlock or any other failure shows up in the result
            results[target.email] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=deactivate, args=(anne, bram)),
        threading.Thread(target=deactivate, args=(bram, anne)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_staff_deactivating_each_other_at_once_leave_one_staff_member(
    transactional_db, postgres, slow_decision
):
    results = deactivate_each_other()

    assert sorted(results.values()) == ["deactivated", "last_staff"]
    assert User.objects.filter(is_staff=True, is_active=True).count() == 1


def test_staff_deactivation_without_row_locks_would_leave_no_staff(
    transactional_db, postgres, slow_decision, monkeypatch
):
    """Proof that the test above can fail: without the locks both go through."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)

    results = deactivate_each_other()

    assert sorted(results.values()) == ["deactivated", "deactivated"]
    assert User.objects.filter(is_staff=True, is_active=True).count() == 0
