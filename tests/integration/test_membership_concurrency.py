"""Membership changes at the same moment, on PostgreSQL with one connection per thread.

Each race runs two threads that start together (a Barrier). After a thread has passed the row
lock it waits at a second barrier: with the lock, the other thread is blocked in the database
and never arrives, so the first goes on alone after ``wait`` seconds; without the lock both
arrive at once, and both act on what they read before either committed. The ``*_without_row_locks_*`` tests
switch ``select_for_update`` off and show that the race is then lost every time, so the tests
above them would catch a missing lock.
"""

import contextlib
import threading

import pytest
from django.db import connections
from django.db.models import QuerySet
from django.utils import translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.models import Community, Membership, MembershipEvent
from communities.services import memberships as services
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.integration

Role = Membership.Role
State = Membership.State


def run_together(calls: list, *, pause_after: str, monkeypatch, wait: float) -> list:
    """Run each call in its own thread (own DB connection); return results or DomainErrors.

    ``pause_after`` names the services function after which each thread waits for the others
    (up to ``wait`` seconds), so that without a lock both have read before either writes.
    """
    start = threading.Barrier(len(calls), timeout=10)
    after_read = threading.Barrier(len(calls), timeout=wait)
    original = getattr(services, pause_after)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        # Broken (timed out): the other thread is blocked on our lock, so go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            after_read.wait()
        return result

    monkeypatch.setattr(services, pause_after, paused)
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            with translation.override("en"):
                start.wait()
                try:
                    results[index] = call()
                except DomainError as error:
                    results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def outcome(results) -> list[str]:
    """'ok' or the error message per thread, sorted (which thread wins is not fixed)."""
    return sorted(result.message if isinstance(result, DomainError) else "ok" for result in results)


# --- two coordinators approve the same request -----------------------------------------------


@pytest.fixture
def pending_request(transactional_db, postgres):
    guild = CommunityFactory(
        name="Architectuurgilde", slug="architectuurgilde", join_policy="approval"
    )
    leads = [
        MembershipFactory(community=guild, role=Role.COORDINATOR).user,
        MembershipFactory(community=guild, role=Role.COORDINATOR).user,
    ]
    requester = UserFactory(email="requester@example.org")
    request = services.membership_request(user=requester, community=guild, motivation="Graag")
    return {"guild": guild, "leads": leads, "request": request}


# With the locks the waiting thread goes on alone after this pause; without them, the threads
# meet at once and this is only an upper bound (generous, so a slow machine does not matter).
PAUSE_WITH_LOCKS = 0.5
PAUSE_WITHOUT_LOCKS = 10


def approve_at_once(pending_request, monkeypatch, *, wait: float) -> list:
    guild, request = pending_request["guild"], pending_request["request"]
    return run_together(
        [
            lambda lead=lead: services.membership_approve(
                community=Community.objects.get(pk=guild.pk),
                actor=lead,
                membership_id=request.pk,
            )
            for lead in pending_request["leads"]
        ],
        pause_after="_lock_request",
        monkeypatch=monkeypatch,
        wait=wait,
    )


def test_membership_approve_by_two_coordinators_at_once_approves_once(pending_request, monkeypatch):
    results = approve_at_once(pending_request, monkeypatch, wait=PAUSE_WITH_LOCKS)

    assert outcome(results) == ["This request has already been answered.", "ok"]
    request = pending_request["request"]
    assert (
        MembershipEvent.objects.filter(
            membership=request, kind=MembershipEvent.Kind.APPROVED
        ).count()
        == 1
    )
    assert list(
        Membership.objects.filter(user__email="requester@example.org").values_list("state")
    ) == [(State.ACTIVE,)]
    assert list(OutboxMessage.objects.filter(kind="join_decision").values_list("to_email")) == [
        ("requester@example.org",)
    ]


def test_membership_approve_without_row_locks_would_approve_twice(pending_request, monkeypatch):
    """Proof that the test above can fail: without the lock both coordinators succeed."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)

    results = approve_at_once(pending_request, monkeypatch, wait=PAUSE_WITHOUT_LOCKS)

    assert outcome(results) == ["ok", "ok"]
    assert (
        MembershipEvent.objects.filter(
            membership=pending_request["request"], kind=MembershipEvent.Kind.APPROVED
        ).count()
        == 2
    )
    # The outbox's unique dedupe key still keeps the requester from getting two mails.
    assert OutboxMessage.objects.filter(kind="join_decision").count() == 1


# --- the last two coordinators leave at once -------------------------------------------------


@pytest.fixture
def two_leads(transactional_db, postgres):
    community = CommunityFactory(name="Python-gilde", slug="python-gilde")
    leads = [
        MembershipFactory(community=community, role=Role.COORDINATOR).user,
        MembershipFactory(community=community, role=Role.COORDINATOR).user,
    ]
    MembershipFactory(community=community, role=Role.MEMBER)
    return {"community": community, "leads": leads}


def leave_at_once(two_leads, monkeypatch, *, wait: float) -> list:
    community = two_leads["community"]
    return run_together(
        [
            lambda lead=lead: services.membership_leave(
                user=lead, community=Community.objects.get(pk=community.pk)
            )
            for lead in two_leads["leads"]
        ],
        pause_after="_refuse_if_last_lead",
        monkeypatch=monkeypatch,
        wait=wait,
    )


def active_leads(community) -> int:
    return Membership.objects.filter(
        community=community, state=State.ACTIVE, role__in=[Role.COORDINATOR, Role.FACILITATOR]
    ).count()


def test_membership_leave_by_the_last_two_coordinators_at_once_keeps_one(two_leads, monkeypatch):
    results = leave_at_once(two_leads, monkeypatch, wait=PAUSE_WITH_LOCKS)

    assert outcome(results) == [
        "You are the last coordinator: make someone else coordinator before you leave.",
        "ok",
    ]
    assert active_leads(two_leads["community"]) == 1


def test_membership_leave_without_row_locks_would_leave_no_coordinator(two_leads, monkeypatch):
    """Proof that the test above can fail: without the locks both leave."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)

    results = leave_at_once(two_leads, monkeypatch, wait=PAUSE_WITHOUT_LOCKS)

    assert outcome(results) == ["ok", "ok"]
    assert active_leads(two_leads["community"]) == 0
