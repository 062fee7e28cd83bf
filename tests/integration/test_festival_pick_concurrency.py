"""A popular festival session under real concurrency on PostgreSQL.

300 attendees pick the same session (room capacity 40) from a pool of 50 concurrent connections:
exactly 40 go, 260 are waitlisted in FIFO order. Picking is ``festival_pick`` → ``rsvp_set``, so
the session row lock does the work; the negative control switches that lock off and shows the
same assertions catch overbooking.
"""

import time

import pytest
from django.db import IntegrityError

from events.festivals.services.day import festival_pick
from events.festivals.services.programme import programme_publish, proposal_place
from events.models import Proposal, Rsvp
from events.sessions.selectors import waitlist_position
from events.sessions.services import rsvp as rsvp_service
from tests.events.festivals.festival_helpers import (
    make_festival,
    make_proposal,
    make_room,
    make_slot,
)
from tests.factories import UserFactory
from tests.integration.test_rsvp_concurrency import (
    lock_session_without_lock,
    people,
    run_concurrently,
)

pytestmark = pytest.mark.integration

CAPACITY = 40
CROWD = 300
RACE_WINDOW = 0.005


@pytest.fixture
def popular(transactional_db, postgres):
    organiser = UserFactory(email="organiser@example.org", verified=False)
    festival = make_festival(organiser=organiser)
    slot = make_slot(festival, make_room(festival, "Zaal 1", CAPACITY), "10:00", "10:30")
    proposal = make_proposal(festival, UserFactory(verified=False), title="Populair")
    proposal_place(proposal_id=proposal.pk, slot_id=slot.pk, organiser=organiser)
    programme_publish(festival=festival, organiser=organiser)
    return Proposal.objects.get(pk=proposal.pk).session


@pytest.fixture
def race_window(monkeypatch):
    counted = rsvp_service.seats_taken
    window = {"seconds": RACE_WINDOW}

    def slow_seats_taken(session, **kwargs):
        seats = counted(session, **kwargs)
        time.sleep(window["seconds"])
        return seats

    monkeypatch.setattr(rsvp_service, "seats_taken", slow_seats_taken)
    return window


def fire(session) -> list[BaseException]:
    crowd = people(CROWD, "fest")
    _results, errors = run_concurrently(
        [
            lambda person=person: festival_pick(session_id=session.pk, user=person)
            for person in crowd
        ]
    )
    return errors


def test_300_attendees_picking_a_session_of_40_never_overbook(popular, race_window):
    errors = fire(popular)

    assert errors == []
    assert Rsvp.objects.filter(session=popular, status="going").count() == CAPACITY
    waitlisted = list(
        Rsvp.objects.filter(session=popular, status="waitlisted").order_by("position")
    )
    assert len(waitlisted) == CROWD - CAPACITY
    assert [r.position for r in waitlisted] == list(range(1, CROWD - CAPACITY + 1))
    assert [waitlist_position(r) for r in waitlisted] == list(range(1, CROWD - CAPACITY + 1))
    # FIFO: the line is in the order the picks were written under the lock.
    assert [r.pk for r in waitlisted] == [
        r.pk for r in sorted(waitlisted, key=lambda r: (r.created_at, r.pk))
    ]


def test_without_the_session_lock_the_same_crowd_overbooks(popular, race_window, monkeypatch):
    """Negative control: the assertions above catch the bug when the lock is off."""
    monkeypatch.setattr(rsvp_service, "lock_session", lock_session_without_lock)
    race_window["seconds"] = 0.05

    errors = fire(popular)

    assert Rsvp.objects.filter(session=popular, status="going").count() > CAPACITY
    assert all(isinstance(error, IntegrityError) for error in errors)
