"""Property-based test: any sequence of answers, guests, capacity changes and removals by hosts
keeps the RSVP invariants.

A hypothesis RuleBasedStateMachine drives the real services on the test database. Each example
gets a fresh session inside a savepoint that is rolled back in ``teardown``, so examples never
see each other's rows. After every step:

* seats taken in the room (people + guests going) never exceed the capacity;
* waitlist positions are unique, present exactly for waitlisted rows, and the line (by position)
  is the order in which people joined it (FIFO);
* strict FIFO: promotions always take people from the front of the line, in line order, each
  with exactly one outbox mail; nobody who was not first in line ends up going by answering
  while others wait;
* no free seat while someone waits whose need fits: only the head of the line can block;
* each person has at most one row, and the repair sweep finds nothing to repair.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.models import Rsvp
from events.sessions.selectors import seats_taken
from events.sessions.services.rsvp import (
    rsvp_remove,
    rsvp_set,
    session_set_capacity,
    waitlist_repair,
)
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

PEOPLE = 6
MAX_GUESTS = 2

# About 30 s on SQLite and PostgreSQL; no example database (nothing written under the project).
SETTINGS = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

person_index = st.integers(min_value=0, max_value=PEOPLE - 1)


def rsvp_machine(people, coordinator, community):
    class RsvpMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.session = SessionFactory(
                community=community, capacity=3, max_guests=MAX_GUESTS, location="Zaal 2"
            )
            self.line: list[int] = []  # user ids in the order they joined the waitlist
            self.promotions = 0

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        # --- reading the database ----------------------------------------------------------

        def rows(self) -> dict[int, tuple[str, int, int | None]]:
            return {
                user_id: (status, guests, position)
                for user_id, status, guests, position in Rsvp.objects.filter(
                    session=self.session
                ).values_list("user_id", "status", "guests", "position")
            }

        @staticmethod
        def line_of(rows) -> list[int]:
            waiting = sorted(
                (pos, user) for user, (status, _g, pos) in rows.items() if status == "waitlisted"
            )
            return [user for _pos, user in waiting]

        def capacity(self) -> int | None:
            self.session.refresh_from_db(fields=["capacity"])
            return self.session.capacity

        def promotion_mails(self) -> list[int]:
            return list(
                OutboxMessage.objects.filter(kind="waitlist_promoted")
                .order_by("id")
                .values_list("recipient_id", flat=True)
            )

        # --- one change, checked against the state before it --------------------------------

        def change(self, call, *, actor: int | None, asked_going: bool = False):
            before, mails_before = self.rows(), self.promotion_mails()
            line_before = self.line_of(before)
            try:
                call()
            except DomainError as error:
                assert error.code in {"no_seats_for_guests", "capacity_below_going"}, error.code
                assert self.rows() == before, "a refused change changed something"
                assert self.promotion_mails() == mails_before
                return error.code
            after = self.rows()
            others_in_line = [user for user in line_before if user != actor]
            promoted = [user for user in others_in_line if after[user][0] == "going"]
            # Promotions come from the front of the line, in line order.
            assert promoted == others_in_line[: len(promoted)], (promoted, others_in_line)
            new_mails = self.promotion_mails()[len(mails_before) :]
            assert new_mails == promoted, (new_mails, promoted)
            # Nobody else changed.
            for user, row in before.items():
                if user != actor and user not in promoted:
                    assert after[user] == row
            if actor is not None and asked_going and actor in after:
                in_line = actor in line_before
                ahead = line_before[: line_before.index(actor)] if in_line else line_before
                was_going = before.get(actor, ("",))[0] == "going"
                if ahead and not was_going:
                    assert after[actor][0] == "waitlisted", "jumped the queue"
            # Keep the model line: leavers and promoted out, newcomers at the end.
            for user in promoted:
                self.line.remove(user)
            if actor is not None:
                now_waiting = after.get(actor, ("",))[0] == "waitlisted"
                if actor in self.line and not now_waiting:
                    self.line.remove(actor)
                elif now_waiting and actor not in self.line:
                    self.line.append(actor)
            self.promotions += len(promoted)
            return None

        # --- rules ----------------------------------------------------------------------------

        def answer(self, who, status, guests=0):
            person = people[who]
            self.change(
                lambda: rsvp_set(
                    session_id=self.session.pk, user=person, status=status, guests=guests
                ),
                actor=person.pk,
                asked_going=status == "going",
            )

        @rule(who=person_index)
        def answer_going(self, who):
            self.answer(who, "going")

        @rule(who=person_index, guests=st.sampled_from([2, 1]))
        def answer_going_with_guests(self, who, guests):
            self.answer(who, "going", guests)

        @rule(who=person_index, status=st.sampled_from(["declined", "maybe"]))
        def answer_not_going(self, who, status):
            self.answer(who, status)

        @precondition(lambda self: self.line)
        @rule(status=st.sampled_from(["declined", "maybe", "removed"]))
        def head_of_the_line_leaves(self, status):
            """Targeted: the head of the line is the one person who may block it."""
            who = next(n for n, person in enumerate(people) if person.pk == self.line[0])
            if status == "removed":
                self.host_removes(who)
            else:
                self.answer(who, status)

        @rule(capacity=st.sampled_from([3, 2, 4, 1, 3, 2, 4, 1, None]))  # no limit: now and then
        def set_capacity(self, capacity):
            old, taken = self.capacity(), seats_taken(self.session)
            refused = self.change(
                lambda: session_set_capacity(
                    session_id=self.session.pk, actor=coordinator, capacity=capacity
                ),
                actor=None,
            )
            if capacity is not None and capacity < taken:
                assert refused == "capacity_below_going"
                assert self.capacity() == old
            else:
                assert refused is None
                assert self.capacity() == capacity

        @rule(who=person_index)
        def host_removes(self, who):
            person = people[who]
            rsvp = Rsvp.objects.filter(session=self.session, user=person).first()
            if rsvp is None:
                return
            self.change(
                lambda: rsvp_remove(session_id=self.session.pk, actor=coordinator, rsvp_id=rsvp.pk),
                actor=person.pk,
            )
            assert Rsvp.objects.get(pk=rsvp.pk).status == "declined"

        # --- invariants (one read of the rows per step keeps the machine fast) ---------------

        @invariant()
        def rsvp_invariants_hold(self):
            capacity = self.capacity()
            rows = list(
                Rsvp.objects.filter(session=self.session).values_list(
                    "user_id", "status", "guests", "position"
                )
            )
            # Each person has at most one row.
            users = [user for user, *_rest in rows]
            assert len(users) == len(set(users))
            # Seats going (people + guests, all in the room here) never exceed the capacity.
            taken = sum(1 + guests for _u, status, guests, _p in rows if status == "going")
            if capacity is not None:
                assert taken <= capacity, (taken, capacity)
            # Positions: unique, exactly for waitlisted rows; the line is in joining order.
            waiting = [
                (pos, user, guests) for user, status, guests, pos in rows if status == "waitlisted"
            ]
            assert all(pos is not None for pos, _u, _g in waiting)
            assert all(pos is None for _u, status, _g, pos in rows if status != "waitlisted")
            assert len({pos for pos, _u, _g in waiting}) == len(waiting)
            line = [user for _pos, user, _g in sorted(waiting)]
            assert line == self.line, (line, self.line)
            # No free seat while the head of the line fits (only the head can block).
            if line:
                assert capacity is not None, "people wait for a session without a seat limit"
                head_needs = 1 + min(waiting)[2]
                assert head_needs > capacity - taken, (head_needs, capacity, taken)
            assert seats_taken(self.session) == taken
            assert waitlist_repair() == 0
            # One mail per promotion, nobody promoted without one.
            mails = OutboxMessage.objects.filter(kind="waitlist_promoted").count()
            assert mails == self.promotions

    return RsvpMachine


@pytest.mark.django_db
def test_rsvp_state_machine_keeps_the_invariants():
    community = CommunityFactory()
    coordinator = UserFactory(verified=False)
    MembershipFactory(user=coordinator, community=community, role="coordinator")
    people = [UserFactory(verified=False, language="en") for _ in range(PEOPLE)]

    run_state_machine_as_test(rsvp_machine(people, coordinator, community), settings=SETTINGS)
