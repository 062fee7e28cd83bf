"""The directory's bulk deprovisioning hold under real concurrency on PostgreSQL: however many
deactivations arrive at once, exactly the hourly allowance goes through and the rest wait for
staff.

The pattern of the RSVP concurrency tests: real concurrent transactions released together from
a bounded pool, a race window (``deprovisioned_since`` sleeps a moment after counting, so
without the lock many transactions count the same few deactivations) and a negative control
that runs the same scenario with the organisation-row lock switched off and shows the
assertions would catch the bug.
"""

import sys
import time

import pytest

from communities.models import User
from directory.models import DeprovisionHold, DirectoryAccount
from directory.services import people as people_service
from directory.services.people import PersonData, deprovision_limit, scim_person_update
from tests.factories import StaffFactory, UserFactory
from tests.integration.test_rsvp_concurrency import run_concurrently

pytestmark = pytest.mark.integration

RACE_WINDOW = 0.005  # seconds ``deprovisioned_since`` sleeps after counting, in every variant
PEOPLE = 40  # active people the directory knows
LEAVERS = 15  # deactivations the directory sends at once
ALLOWED = 5  # the set minimum: 10 % of 40 people is 4, fewer than the minimum


@pytest.fixture
def race_window(monkeypatch):
    counted = people_service.deprovisioned_since

    def slow_deprovisioned_since(since):
        number = counted(since)
        time.sleep(RACE_WINDOW)
        return number

    monkeypatch.setattr(people_service, "deprovisioned_since", slow_deprovisioned_since)


@pytest.fixture
def without_lock(monkeypatch):
    """The negative control: count the deactivations without locking the organisation row."""
    monkeypatch.setattr(people_service, "lock_deprovisioning", lambda: None)
    # A wider window keeps the control certain on a loaded machine.
    monkeypatch.setattr(sys.modules[__name__], "RACE_WINDOW", 0.05)


@pytest.fixture
def directory(transactional_db, postgres, settings):
    settings.DIRECTORY_DEPROVISION_SHARE = 0.1
    settings.DIRECTORY_DEPROVISION_MINIMUM = ALLOWED
    staff = StaffFactory(email="beheer@example.org")
    people = []
    for n in range(PEOPLE):
        person = UserFactory(email=f"p{n:03}@example.org")
        DirectoryAccount.objects.create(user=person, user_name=person.email)
        people.append(person)
    assert deprovision_limit(people=PEOPLE) == ALLOWED
    return staff, people


def fire_deactivations(staff, leavers) -> tuple[list, list[BaseException]]:
    """What Entra sends for each leaver: a PATCH replacing ``active`` with false."""

    def deactivate(person):
        data = PersonData(user_name=person.email, email=person.email, active=False)
        return lambda: scim_person_update(actor=staff, user=person, data=data)

    return run_concurrently([deactivate(person) for person in leavers])


def test_concurrent_deactivations_let_exactly_the_allowance_through(directory, race_window):
    staff, people = directory
    leavers = people[:LEAVERS]

    outcomes, errors = fire_deactivations(staff, leavers)

    assert errors == []
    assert sorted(outcome.held for outcome in outcomes) == [False] * ALLOWED + [True] * (
        LEAVERS - ALLOWED
    )
    gone = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
    through = {outcome.user.pk for outcome in outcomes if not outcome.held}
    held = set(
        DeprovisionHold.objects.filter(state=DeprovisionHold.State.PENDING).values_list(
            "user_id", flat=True
        )
    )
    assert len(gone) == ALLOWED
    assert gone == through
    assert held == {person.pk for person in leavers} - gone
    assert DirectoryAccount.objects.filter(deprovisioned_at__isnull=False).count() == ALLOWED
    assert User.objects.filter(is_active=True, is_staff=False).count() == PEOPLE - ALLOWED


def test_concurrent_deactivations_without_the_lock_pass_the_allowance(
    directory, race_window, without_lock
):
    """Negative control: without the organisation-row lock, the first wave of transactions
    counts the deactivations before the others have written theirs, so more than the allowance
    get through and fewer are held."""
    staff, people = directory

    _outcomes, errors = fire_deactivations(staff, people[:LEAVERS])

    assert errors == []
    assert User.objects.filter(is_active=False).count() > ALLOWED
    assert DeprovisionHold.objects.filter(state=DeprovisionHold.State.PENDING).count() < (
        LEAVERS - ALLOWED
    )
