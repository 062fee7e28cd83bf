"""Two facilitator devices race on "next phase": one wins, the other is told to refresh.

The session row is locked (select_for_update) before the version is compared. The negative
control takes no lock: both devices read the same version, both pass the check and both report
success, so the second "next" is applied on top of the first without the facilitator knowing.
Both variants hold each device a moment after it read the state, so the reads overlap.
"""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from intervision.models import IntervisionSession
from intervision.services import live
from intervision.services.live import StaleState, live_control, lock_isession
from tests.intervision.conftest import make_group

pytestmark = pytest.mark.integration

HOLD = 0.3  # seconds a device waits after reading the state, in both variants


@pytest.fixture
def started(postgres, transactional_db):
    group = make_group()
    isession = group.schedule(days=0.01)
    live_control(isession_id=isession.pk, actor=group.facilitator, action="start", version=0)
    return group, isession


def race(group, isession, monkeypatch, *, lock: bool):
    read = lock_isession
    both_read = threading.Barrier(2)

    def lock_then_hold(isession_id):
        if lock:
            row = read(isession_id)
        else:
            row = IntervisionSession.objects.select_related("group").get(pk=isession_id)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=HOLD)
        return row

    monkeypatch.setattr(live, "lock_isession", lock_then_hold)

    def press_next():
        try:
            live_control(isession_id=isession.pk, actor=group.facilitator, action="next", version=1)
            return "won"
        except StaleState:
            return "refresh"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(f.result(timeout=30) for f in [pool.submit(press_next) for _ in "ab"])
    return outcomes, IntervisionSession.objects.get(pk=isession.pk)


def test_without_the_lock_both_devices_win(started, monkeypatch):
    group, isession = started
    outcomes, _state = race(group, isession, monkeypatch, lock=False)
    assert outcomes == ["won", "won"]  # the bug the lock prevents


def test_with_the_lock_one_device_wins_and_the_other_refreshes(started, monkeypatch):
    group, isession = started
    outcomes, state = race(group, isession, monkeypatch, lock=True)
    assert outcomes == ["refresh", "won"]
    assert (state.current, state.version) == (1, 2)
    assert list(state.runs.filter(ended_at__isnull=False).values_list("order", flat=True)) == [0]
