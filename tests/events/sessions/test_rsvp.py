"""RSVP rules, capacity and the FIFO waitlist, at the service level (events.services.rsvp).

Every rule is checked with exact values: who ends up going or waiting, at which position, which
outbox rows were written, and that a refused request changed nothing.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from events.calendar.services import invitation_mail
from events.models import Rsvp, Session
from events.sessions.selectors import seats_taken, waitlist_position
from events.sessions.services import rsvp as rsvp_service
from events.sessions.services.rsvp import (
    SessionNotFound,
    attendance_mark,
    rsvp_remove,
    rsvp_set,
    session_set_capacity,
    waitlist_repair,
)
from tests.factories import MembershipFactory, RsvpFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

GOING, MAYBE, DECLINED, WAITLISTED = "going", "maybe", "declined", "waitlisted"


def _session(community, **overrides) -> Session:
    fields = {"community": community, "location": "Zaal 3.14", "capacity": 2}
    fields.update(overrides)
    return SessionFactory(**fields)


def _people(count: int, prefix: str = "p") -> list:
    return [
        UserFactory(email=f"{prefix}{n}@example.org", language="en") for n in range(1, count + 1)
    ]


def _answer(session, person, status=GOING, **kwargs) -> Rsvp:
    return rsvp_set(session_id=session.pk, user=person, status=status, **kwargs)


def _state(session) -> list[tuple]:
    """Everyone's answer, sorted by e-mail: (email, status, guests, mode, position)."""
    return list(
        Rsvp.objects.filter(session=session)
        .order_by("user__email")
        .values_list("user__email", "status", "guests", "mode", "position")
    )


def _promotions() -> list[str]:
    return list(
        OutboxMessage.objects.filter(kind="waitlist_promoted")
        .order_by("id")
        .values_list("recipient__email", flat=True)
    )


def _refused(code: str, call, *args, **kwargs) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as raised:
        call(*args, **kwargs)
    assert raised.value.code == code
    return raised.value


# --- going, the waitlist and its positions --------------------------------------------------


def test_rsvp_set_going_with_free_seats_is_going(community):
    session = _session(community, capacity=2)
    (anna,) = _people(1)

    rsvp = _answer(session, anna)

    assert (rsvp.status, rsvp.position, rsvp.guests, rsvp.mode) == (GOING, None, 0, "in_room")
    assert seats_taken(session) == 1


def test_rsvp_set_going_when_full_puts_people_on_the_waitlist_in_arrival_order(community):
    session = _session(community, capacity=2)
    people = _people(5)

    answers = [_answer(session, person) for person in people]

    assert [(r.status, r.position) for r in answers] == [
        (GOING, None),
        (GOING, None),
        (WAITLISTED, 1),
        (WAITLISTED, 2),
        (WAITLISTED, 3),
    ]
    assert [waitlist_position(r) for r in answers] == [None, None, 1, 2, 3]
    assert _promotions() == []


def test_rsvp_set_without_capacity_is_always_going(community):
    session = _session(community, capacity=None)

    answers = [_answer(session, person) for person in _people(30)]

    assert {r.status for r in answers} == {GOING}
    assert seats_taken(session) == 30


def test_rsvp_set_same_answer_again_keeps_the_waitlist_position(community):
    session = _session(community, capacity=1)
    first, second, third = _people(3)
    _answer(session, first)
    waiting = _answer(session, second)
    _answer(session, third)
    stamp = waiting.updated_at

    again = _answer(session, second)

    assert (again.pk, again.status, again.position) == (waiting.pk, WAITLISTED, 1)
    again.refresh_from_db()
    assert again.updated_at == stamp
    assert Rsvp.objects.filter(session=session).count() == 3
    assert _state(session) == [
        ("p1@example.org", GOING, 0, "in_room", None),
        ("p2@example.org", WAITLISTED, 0, "in_room", 1),
        ("p3@example.org", WAITLISTED, 0, "in_room", 2),
    ]


def test_rsvp_set_going_again_while_going_changes_nothing(community):
    session = _session(community, capacity=1)
    (anna,) = _people(1)
    first = _answer(session, anna)

    second = _answer(session, anna)

    assert second.pk == first.pk
    assert _state(session) == [("p1@example.org", GOING, 0, "in_room", None)]


def test_rsvp_set_maybe_and_declined_take_no_seat(community):
    session = _session(community, capacity=1)
    anna, ben, cas = _people(3)

    _answer(session, anna, MAYBE)
    _answer(session, ben, DECLINED)
    going = _answer(session, cas)

    assert going.status == GOING
    assert seats_taken(session) == 1


def test_rsvp_set_unknown_status_is_refused(community):
    session = _session(community)
    (anna,) = _people(1)

    error = _refused("status", _answer, session, anna, WAITLISTED)

    assert error.message == "Answer going, maybe or not going."
    assert Rsvp.objects.count() == 0


def test_rsvp_set_unknown_session_is_not_found(community):
    (anna,) = _people(1)

    with pytest.raises(SessionNotFound) as raised:
        rsvp_set(session_id=987654, user=anna, status=GOING)

    assert raised.value.code == "not_found"


# --- who may answer, and when ------------------------------------------------------------


def test_rsvp_set_going_after_the_deadline_is_refused_and_changes_nothing(community):
    deadline = timezone.now() + timedelta(days=1)
    session = _session(community, capacity=5, rsvp_deadline=deadline)
    anna, ben = _people(2)
    _answer(session, anna, MAYBE)
    after = deadline + timedelta(seconds=1)

    error = _refused("deadline", _answer, session, anna, GOING, now=after)
    _refused("deadline", _answer, session, ben, MAYBE, now=after)
    _refused("deadline", _answer, session, ben, GOING, now=deadline)

    assert error.message == (
        "Sign-up for this session has closed; you can still say you are not coming."
    )
    assert _state(session) == [("p1@example.org", MAYBE, 0, "in_room", None)]


def test_rsvp_set_going_just_before_the_deadline_is_accepted(community):
    deadline = timezone.now() + timedelta(days=1)
    session = _session(community, capacity=5, rsvp_deadline=deadline)
    (anna,) = _people(1)

    rsvp = _answer(session, anna, now=deadline - timedelta(seconds=1))

    assert rsvp.status == GOING


def test_rsvp_set_declining_after_the_deadline_is_allowed_and_promotes(community):
    deadline = timezone.now() + timedelta(days=1)
    session = _session(community, capacity=1, rsvp_deadline=deadline)
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)

    declined = _answer(session, anna, DECLINED, now=deadline + timedelta(hours=1))

    assert declined.status == DECLINED
    assert _state(session) == [
        ("p1@example.org", DECLINED, 0, "in_room", None),
        ("p2@example.org", GOING, 0, "in_room", None),
    ]
    assert _promotions() == ["p2@example.org"]


def test_rsvp_set_to_a_cancelled_session_is_refused(community):
    session = _session(community, state=Session.State.CANCELLED)
    (anna,) = _people(1)

    error = _refused("cancelled", _answer, session, anna)
    _refused("cancelled", _answer, session, anna, DECLINED)

    assert error.message == "This session has been cancelled."
    assert Rsvp.objects.count() == 0


def test_rsvp_set_to_a_past_session_is_refused(community):
    start = timezone.now() - timedelta(hours=2)
    session = _session(community, start=start, end=start + timedelta(hours=1))
    (anna,) = _people(1)

    error = _refused("past", _answer, session, anna)
    _refused("past", _answer, session, anna, DECLINED)

    assert error.message == "This session is over."
    assert Rsvp.objects.count() == 0


def test_rsvp_set_to_a_session_that_has_started_but_not_ended_is_accepted(community):
    start = timezone.now() - timedelta(minutes=10)
    session = _session(community, start=start, end=start + timedelta(hours=1))
    (anna,) = _people(1)

    assert _answer(session, anna).status == GOING


def test_rsvp_set_to_a_private_community_session_is_not_found_for_non_members(
    private_community,
):
    session = _session(private_community)
    outsider, member = _people(2)
    MembershipFactory(user=member, community=private_community)
    MembershipFactory(
        user=outsider, community=private_community, state="left", left_at=timezone.now()
    )

    with pytest.raises(SessionNotFound) as raised:
        _answer(session, outsider)

    assert raised.value.code == "not_found"
    assert _answer(session, member).status == GOING
    assert list(Rsvp.objects.values_list("user__email", flat=True)) == ["p2@example.org"]


def test_rsvp_set_to_an_archived_community_session_is_not_found(community):
    community.archived = True
    community.save()
    session = _session(community)
    (anna,) = _people(1)

    with pytest.raises(SessionNotFound):
        _answer(session, anna)


def test_rsvp_set_members_only_session_refuses_non_members(community):
    session = _session(community, members_only=True)
    outsider, member = _people(2)
    MembershipFactory(user=member, community=community)

    error = _refused("members_only", _answer, session, outsider)

    assert error.message == "This session is only for members of the community."
    assert _answer(session, member).status == GOING
    assert Rsvp.objects.filter(user=outsider).count() == 0


def test_rsvp_set_organisation_wide_session_is_open_to_everyone(db):
    session = _session(None)
    (anna,) = _people(1)

    assert _answer(session, anna).status == GOING


# --- guests -----------------------------------------------------------------------------------


def test_rsvp_set_guests_over_the_maximum_are_refused(community):
    session = _session(community, capacity=10, max_guests=2)
    closed = _session(community, capacity=10, max_guests=0)
    (anna,) = _people(1)

    over = _refused("guests", _answer, session, anna, guests=3)
    negative = _refused("guests", _answer, session, anna, guests=-1)
    none_allowed = _refused("guests", _answer, closed, anna, guests=1)

    assert over.message == negative.message == "You may bring at most 2 guests."
    assert none_allowed.message == "This session does not allow guests."
    assert Rsvp.objects.count() == 0


def test_rsvp_set_guests_take_seats(community):
    session = _session(community, capacity=4, max_guests=2)
    anna, ben, cas = _people(3)

    _answer(session, anna, guests=2)
    ben_rsvp = _answer(session, ben)
    cas_rsvp = _answer(session, cas)

    assert seats_taken(session) == 4
    assert (ben_rsvp.status, cas_rsvp.status, cas_rsvp.position) == (GOING, WAITLISTED, 1)


def test_rsvp_set_guests_that_do_not_fit_put_the_person_on_the_waitlist(community):
    session = _session(community, capacity=3, max_guests=2)
    anna, ben = _people(2)
    _answer(session, anna)

    ben_rsvp = _answer(session, ben, guests=2)

    assert (ben_rsvp.status, ben_rsvp.position, ben_rsvp.guests) == (WAITLISTED, 1, 2)
    assert seats_taken(session) == 1


def test_rsvp_set_adding_guests_beyond_the_free_seats_is_refused_and_changes_nothing(community):
    session = _session(community, capacity=3, max_guests=2)
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)

    error = _refused("no_seats_for_guests", _answer, session, anna, guests=2)

    assert error.message == "There are not enough free seats for your guests."
    assert _state(session) == [
        ("p1@example.org", GOING, 0, "in_room", None),
        ("p2@example.org", GOING, 0, "in_room", None),
    ]


def test_rsvp_set_adding_a_guest_into_a_free_seat_is_accepted(community):
    session = _session(community, capacity=3, max_guests=2)
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)

    rsvp = _answer(session, anna, guests=1)

    assert (rsvp.status, rsvp.guests) == (GOING, 1)
    assert seats_taken(session) == 3


def test_rsvp_set_fewer_guests_frees_seats_for_the_waitlist(community):
    session = _session(community, capacity=3, max_guests=2)
    anna, ben = _people(2)
    _answer(session, anna, guests=2)
    _answer(session, ben)

    _answer(session, anna, guests=1)

    assert _state(session) == [
        ("p1@example.org", GOING, 1, "in_room", None),
        ("p2@example.org", GOING, 0, "in_room", None),
    ]
    assert _promotions() == ["p2@example.org"]


# --- hybrid sessions --------------------------------------------------------------------------


def test_rsvp_set_online_is_unlimited_when_the_room_is_full(community):
    session = _session(community, capacity=1, online_url="https://meet.example.org/x")
    anna, *online = _people(4)
    _answer(session, anna)

    answers = [_answer(session, person, mode="online") for person in online]

    assert {(r.status, r.position) for r in answers} == {(GOING, None)}
    assert seats_taken(session) == 1
    assert rsvp_service.online_taken(session) == 3


def test_rsvp_set_online_places_can_be_capped(community):
    session = _session(
        community, capacity=5, online_url="https://meet.example.org/x", online_capacity=2
    )
    anna, ben, cas = _people(3)
    _answer(session, anna, mode="online")
    _answer(session, ben, mode="online")

    error = _refused("online_full", _answer, session, cas, mode="online")

    assert error.message == "The online places are all taken."
    assert Rsvp.objects.filter(user=cas).count() == 0
    # The room still has seats.
    assert _answer(session, cas).status == GOING


def test_rsvp_set_online_again_within_a_full_online_cap_is_idempotent(community):
    session = _session(
        community, capacity=5, online_url="https://meet.example.org/x", online_capacity=1
    )
    (anna,) = _people(1)
    first = _answer(session, anna, mode="online")

    again = _answer(session, anna, mode="online")

    assert (again.pk, again.status) == (first.pk, GOING)


def test_rsvp_set_switching_from_the_room_to_online_frees_a_seat(community):
    session = _session(community, capacity=1, online_url="https://meet.example.org/x")
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)

    _answer(session, anna, mode="online")

    assert _state(session) == [
        ("p1@example.org", GOING, 0, "online", None),
        ("p2@example.org", GOING, 0, "in_room", None),
    ]
    assert _promotions() == ["p2@example.org"]


def test_rsvp_set_online_for_a_session_without_a_link_is_refused(community):
    session = _session(community)
    (anna,) = _people(1)

    error = _refused("mode", _answer, session, anna, mode="online")

    assert error.message == "This session cannot be followed online."


def test_rsvp_set_in_the_room_for_an_online_only_session_is_refused(community):
    session = _session(
        community, location="", capacity=None, online_url="https://meet.example.org/x"
    )
    (anna,) = _people(1)

    error = _refused("mode", _answer, session, anna, mode="in_room")

    assert error.message == "This session is online only."
    assert _answer(session, anna, mode="online").status == GOING


def test_rsvp_set_unknown_mode_is_refused(community):
    session = _session(community)
    (anna,) = _people(1)

    error = _refused("mode", _answer, session, anna, mode="telepathy")

    assert error.message == "Choose in the room or online."


# --- freeing a seat promotes the head of the line ---------------------------------------------


def test_rsvp_set_declining_promotes_the_head_of_the_waitlist_with_one_outbox_row(community):
    session = _session(community, capacity=1, title="Type hints")
    anna, ben, cas = _people(3)
    _answer(session, anna)
    ben_rsvp = _answer(session, ben)
    cas_rsvp = _answer(session, cas)

    _answer(session, anna, DECLINED)

    ben_rsvp.refresh_from_db()
    cas_rsvp.refresh_from_db()
    assert (ben_rsvp.status, ben_rsvp.position) == (GOING, None)
    assert ben_rsvp.promoted_at is not None
    assert (cas_rsvp.status, cas_rsvp.position, waitlist_position(cas_rsvp)) == (WAITLISTED, 2, 1)
    # The promotion is told by the calendar invitation itself: one mail, not two.
    (message,) = OutboxMessage.objects.filter(kind="waitlist_promoted")
    assert message.dedupe_key == f"invite:{session.uid}:0:REQUEST:{ben.pk}"
    assert (message.recipient_id, message.to_email, message.state) == (
        ben.pk,
        "p2@example.org",
        "pending",
    )
    assert message.calendar_method == "REQUEST"
    assert message.subject == "A seat opened up: Type hints"
    assert f"/sessions/{session.pk}/" in message.body_text
    # Anna's own invitation and its cancellation, and Ben's promotion.
    assert list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient_id")) == [
        ("calendar_request", anna.pk),
        ("waitlist_promoted", ben.pk),
        ("calendar_cancel", anna.pk),
    ]


@pytest.mark.parametrize("new_answer", [MAYBE, DECLINED])
def test_rsvp_set_leaving_going_promotes_exactly_one(community, new_answer):
    session = _session(community, capacity=2)
    people = _people(5)
    for person in people:
        _answer(session, person)

    _answer(session, people[0], new_answer)

    assert [status for _e, status, *_rest in _state(session)] == [
        new_answer,
        GOING,
        GOING,
        WAITLISTED,
        WAITLISTED,
    ]
    assert _promotions() == ["p3@example.org"]


def test_rsvp_set_promotion_is_in_the_same_transaction_as_the_decline(community, monkeypatch):
    """When writing the promotion mail fails, the decline itself is rolled back."""
    session = _session(community, capacity=1)
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)
    before = _state(session)
    mails_before = list(OutboxMessage.objects.values_list("dedupe_key", flat=True))

    def broken_enqueue(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(invitation_mail, "outbox_enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        _answer(session, anna, DECLINED)

    assert _state(session) == before
    assert mails_before == [f"invite:{session.uid}:0:REQUEST:{anna.pk}"]
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == mails_before


def test_rsvp_set_leaving_the_waitlist_keeps_the_order_of_the_others(community):
    session = _session(community, capacity=1)
    people = _people(4)
    answers = [_answer(session, person) for person in people]

    _answer(session, people[1], DECLINED)

    for rsvp in answers:
        rsvp.refresh_from_db()
    assert [(r.status, r.position, waitlist_position(r)) for r in answers] == [
        (GOING, None, None),
        (DECLINED, None, None),
        (WAITLISTED, 2, 1),
        (WAITLISTED, 3, 2),
    ]
    assert _promotions() == []


def test_rsvp_set_waitlisted_person_back_after_declining_goes_to_the_end(community):
    session = _session(community, capacity=1)
    anna, ben, cas = _people(3)
    _answer(session, anna)
    _answer(session, ben)
    _answer(session, cas)

    _answer(session, ben, DECLINED)
    back = _answer(session, ben)

    assert (back.status, back.position, waitlist_position(back)) == (WAITLISTED, 3, 2)


def _blocked_line(community):
    """Capacity 3, full; the head of the line (cas) needs three seats, dirk behind needs one;
    then anna declines: one seat is free and the head still does not fit."""
    session = _session(community, capacity=3, max_guests=2)
    people = _people(6)
    anna, ben, eva, cas, dirk, _fien = people
    for person in (anna, ben, eva):
        _answer(session, person)
    _answer(session, cas, guests=2)  # waitlisted 1, needs 3 seats
    _answer(session, dirk)  # waitlisted 2, needs 1 seat
    _answer(session, anna, DECLINED)
    return session, people


def test_rsvp_set_strict_fifo_a_blocked_head_is_not_overtaken(community):
    session, (_anna, _ben, _eva, _cas, dirk, fien) = _blocked_line(community)

    newcomer = _answer(session, fien)  # may not take the free seat past the line
    dirk_again = _answer(session, dirk)  # neither may the second in line

    assert (newcomer.status, newcomer.position) == (WAITLISTED, 3)
    assert (dirk_again.status, dirk_again.position) == (WAITLISTED, 2)
    assert seats_taken(session) == 2
    assert _promotions() == []


def test_rsvp_set_a_blocking_head_leaving_lets_the_next_in_line_in(community):
    session, (_anna, _ben, _eva, cas, _dirk, _fien) = _blocked_line(community)

    _answer(session, cas, DECLINED)

    assert _state(session) == [
        ("p1@example.org", DECLINED, 0, "in_room", None),
        ("p2@example.org", GOING, 0, "in_room", None),
        ("p3@example.org", GOING, 0, "in_room", None),
        ("p4@example.org", DECLINED, 0, "in_room", None),
        ("p5@example.org", GOING, 0, "in_room", None),
    ]
    assert _promotions() == ["p5@example.org"]


def test_rsvp_set_a_blocking_head_with_fewer_guests_goes_in(community):
    session, (_anna, _ben, _eva, cas, dirk, _fien) = _blocked_line(community)

    head = _answer(session, cas, guests=0)

    assert (head.status, head.position) == (GOING, None)
    assert seats_taken(session) == 3
    assert Rsvp.objects.get(user=dirk).position == 2


def test_rsvp_set_a_head_needing_fewer_seats_lets_the_next_one_in_too(community):
    session = _session(community, capacity=4, max_guests=2)
    anna, ben, cas, dirk = _people(4)
    for person in (anna, ben):
        _answer(session, person)
    _answer(session, cas, guests=2)  # waitlisted 1, needs 3 of the 2 free seats
    _answer(session, dirk)  # waitlisted 2

    _answer(session, cas, guests=0)

    assert Rsvp.objects.get(user=dirk).status == GOING
    assert seats_taken(session) == 4
    assert _promotions() == ["p4@example.org"]


def test_rsvp_set_more_guests_than_the_whole_room_is_refused(community):
    """Such a person could never be let in and would block the line for everyone behind."""
    session = _session(community, capacity=2, max_guests=2)
    (anna,) = _people(1)

    error = _refused("no_seats_for_guests", _answer, session, anna, guests=2)

    assert error.message == "There are not enough free seats for your guests."
    assert Rsvp.objects.count() == 0


def test_rsvp_set_going_person_cannot_take_a_free_seat_for_a_guest_past_the_line(community):
    session, (_anna, ben, *_rest) = _blocked_line(community)

    _refused("no_seats_for_guests", _answer, session, ben, guests=1)

    assert seats_taken(session) == 2
    assert Rsvp.objects.get(user=ben).guests == 0


# --- hosts remove people ----------------------------------------------------------------------


def test_rsvp_remove_by_a_coordinator_declines_and_promotes(community, coordinator):
    session = _session(community, capacity=1)
    anna, ben = _people(2)
    anna_rsvp = _answer(session, anna)
    _answer(session, ben)

    removed = rsvp_remove(session_id=session.pk, actor=coordinator, rsvp_id=anna_rsvp.pk)

    assert (removed.status, removed.position) == (DECLINED, None)
    assert _state(session) == [
        ("p1@example.org", DECLINED, 0, "in_room", None),
        ("p2@example.org", GOING, 0, "in_room", None),
    ]
    assert _promotions() == ["p2@example.org"]


def test_rsvp_remove_by_a_host_is_allowed(community):
    session = _session(community, capacity=1)
    host, anna = _people(2)
    session.hosts.add(host)
    anna_rsvp = _answer(session, anna)

    rsvp_remove(session_id=session.pk, actor=host, rsvp_id=anna_rsvp.pk)

    assert Rsvp.objects.get(pk=anna_rsvp.pk).status == DECLINED


def test_rsvp_remove_of_a_waitlisted_head_lets_the_next_one_in(community, coordinator):
    session, (_anna, _ben, _eva, cas, dirk, _fien) = _blocked_line(community)
    cas_rsvp = Rsvp.objects.get(user=cas)

    rsvp_remove(session_id=session.pk, actor=coordinator, rsvp_id=cas_rsvp.pk)

    assert Rsvp.objects.get(user=dirk).status == GOING
    assert _promotions() == ["p5@example.org"]


def test_rsvp_remove_by_someone_else_is_not_found_and_changes_nothing(community):
    session = _session(community, capacity=1)
    anna, ben = _people(2)
    anna_rsvp = _answer(session, anna)

    with pytest.raises(SessionNotFound):
        rsvp_remove(session_id=session.pk, actor=ben, rsvp_id=anna_rsvp.pk)

    assert Rsvp.objects.get(pk=anna_rsvp.pk).status == GOING


def test_rsvp_remove_of_an_rsvp_of_another_session_is_refused(community, coordinator):
    session = _session(community)
    other = _session(community)
    (anna,) = _people(1)
    elsewhere = _answer(other, anna)

    _refused(
        "not_found", rsvp_remove, session_id=session.pk, actor=coordinator, rsvp_id=elsewhere.pk
    )

    assert Rsvp.objects.get(pk=elsewhere.pk).status == GOING


# --- capacity changes -------------------------------------------------------------------------


def test_session_set_capacity_below_the_seats_taken_is_refused_and_changes_nothing(
    community, coordinator
):
    session = _session(community, capacity=4, max_guests=1)
    anna, ben, cas = _people(3)
    _answer(session, anna, guests=1)
    _answer(session, ben)
    _answer(session, cas, MAYBE)
    before = _state(session)

    error = _refused(
        "capacity_below_going",
        session_set_capacity,
        session_id=session.pk,
        actor=coordinator,
        capacity=2,
    )

    assert error.message == "3 seats are taken: lower the capacity only after people cancel."
    session.refresh_from_db()
    assert session.capacity == 4
    assert _state(session) == before


def test_session_set_capacity_to_exactly_the_seats_taken_is_accepted(community, coordinator):
    session = _session(community, capacity=4)
    for person in _people(3):
        _answer(session, person)

    changed = session_set_capacity(session_id=session.pk, actor=coordinator, capacity=3)

    assert changed.capacity == 3
    assert Session.objects.get(pk=session.pk).capacity == 3


def test_session_set_capacity_below_one_is_refused(community, coordinator):
    session = _session(community, capacity=4)

    error = _refused(
        "capacity", session_set_capacity, session_id=session.pk, actor=coordinator, capacity=0
    )

    assert error.message == "Capacity must be at least 1, or empty for no limit."
    assert Session.objects.get(pk=session.pk).capacity == 4


def test_session_set_capacity_raised_promotes_in_fifo_order(community, coordinator):
    session = _session(community, capacity=2)
    for person in _people(6):
        _answer(session, person)

    session_set_capacity(session_id=session.pk, actor=coordinator, capacity=4)

    assert [(email, status, position) for email, status, _g, _m, position in _state(session)] == [
        ("p1@example.org", GOING, None),
        ("p2@example.org", GOING, None),
        ("p3@example.org", GOING, None),
        ("p4@example.org", GOING, None),
        ("p5@example.org", WAITLISTED, 3),
        ("p6@example.org", WAITLISTED, 4),
    ]
    assert _promotions() == ["p3@example.org", "p4@example.org"]


def test_session_set_capacity_unlimited_promotes_everyone(community, coordinator):
    session = _session(community, capacity=1)
    for person in _people(4):
        _answer(session, person)

    session_set_capacity(session_id=session.pk, actor=coordinator, capacity=None)

    assert Rsvp.objects.filter(session=session, status=GOING).count() == 4
    assert _promotions() == ["p2@example.org", "p3@example.org", "p4@example.org"]


def test_session_set_capacity_by_a_member_is_not_found(community):
    session = _session(community, capacity=1)
    (member,) = _people(1)
    MembershipFactory(user=member, community=community)

    with pytest.raises(SessionNotFound):
        session_set_capacity(session_id=session.pk, actor=member, capacity=10)

    assert Session.objects.get(pk=session.pk).capacity == 1


# --- the repair sweep -------------------------------------------------------------------------


def test_waitlist_repair_promotes_where_seats_are_free_and_is_idempotent(community):
    session = _session(community, capacity=3)
    full = _session(community, capacity=1)
    people = _people(5)
    # A state the services never leave behind (e.g. after a crash in an old version).
    RsvpFactory(session=session, user=people[0], status=GOING)
    for position, person in enumerate(people[1:], start=1):
        RsvpFactory(session=session, user=person, status=WAITLISTED, position=position)
    RsvpFactory(session=full, user=people[0], status=GOING)
    RsvpFactory(session=full, user=people[1], status=WAITLISTED, position=1)

    first = waitlist_repair()
    second = waitlist_repair()

    assert (first, second) == (2, 0)
    assert [(email, status, position) for email, status, _g, _m, position in _state(session)] == [
        ("p1@example.org", GOING, None),
        ("p2@example.org", GOING, None),
        ("p3@example.org", GOING, None),
        ("p4@example.org", WAITLISTED, 3),
        ("p5@example.org", WAITLISTED, 4),
    ]
    assert Rsvp.objects.get(session=full, user=people[1]).status == WAITLISTED
    assert _promotions() == ["p2@example.org", "p3@example.org"]


def test_waitlist_repair_skips_cancelled_and_past_sessions(community):
    cancelled = _session(community, capacity=3, state=Session.State.CANCELLED)
    start = timezone.now() - timedelta(days=2)
    past = _session(community, capacity=3, start=start, end=start + timedelta(hours=1))
    (anna,) = _people(1)
    RsvpFactory(session=cancelled, user=anna, status=WAITLISTED, position=1)
    RsvpFactory(session=past, user=anna, status=WAITLISTED, position=1)

    assert waitlist_repair() == 0
    assert list(Rsvp.objects.values_list("status", flat=True)) == [WAITLISTED, WAITLISTED]


def test_waitlist_repair_keeps_strict_fifo_when_the_head_does_not_fit(community):
    session = _session(community, capacity=3, max_guests=2)
    anna, ben, cas = _people(3)
    RsvpFactory(session=session, user=anna, status=GOING)
    RsvpFactory(session=session, user=ben, status=WAITLISTED, position=1, guests=2)
    RsvpFactory(session=session, user=cas, status=WAITLISTED, position=2)

    assert waitlist_repair() == 0
    assert Rsvp.objects.get(user=cas).status == WAITLISTED


# --- attendance -------------------------------------------------------------------------------


def test_attendance_mark_before_the_start_is_refused(community, coordinator):
    session = _session(community)
    (anna,) = _people(1)
    _answer(session, anna)

    error = _refused(
        "early",
        attendance_mark,
        session_id=session.pk,
        actor=coordinator,
        attended_user_ids={anna.pk},
    )

    assert error.message == "Attendance can be taken once the session has started."
    assert Rsvp.objects.get(user=anna).attended is None


def test_attendance_mark_after_the_start_counts_no_shows(community, coordinator, time_machine):
    session = _session(community, capacity=None)
    came, no_show, maybe_came, maybe_away, declined = _people(5)
    for person in (came, no_show):
        _answer(session, person)
    for person in (maybe_came, maybe_away):
        _answer(session, person, MAYBE)
    _answer(session, declined, DECLINED)
    time_machine.move_to(session.start + timedelta(minutes=5))

    count = attendance_mark(
        session_id=session.pk, actor=coordinator, attended_user_ids={came.pk, maybe_came.pk}
    )
    again = attendance_mark(
        session_id=session.pk, actor=coordinator, attended_user_ids={came.pk, maybe_came.pk}
    )

    assert (count, again) == (2, 2)
    assert dict(Rsvp.objects.values_list("user__email", "attended")) == {
        "p1@example.org": True,
        "p2@example.org": False,
        "p3@example.org": True,
        "p4@example.org": None,
        "p5@example.org": None,
    }


def test_attendance_mark_can_be_corrected(community, coordinator, time_machine):
    session = _session(community, capacity=None)
    anna, ben = _people(2)
    _answer(session, anna)
    _answer(session, ben)
    time_machine.move_to(session.start + timedelta(minutes=5))
    attendance_mark(session_id=session.pk, actor=coordinator, attended_user_ids={anna.pk})

    count = attendance_mark(session_id=session.pk, actor=coordinator, attended_user_ids={ben.pk})

    assert count == 1
    assert dict(Rsvp.objects.values_list("user__email", "attended")) == {
        "p1@example.org": False,
        "p2@example.org": True,
    }


def test_attendance_mark_by_a_participant_is_not_found(community, time_machine):
    session = _session(community)
    (anna,) = _people(1)
    _answer(session, anna)
    time_machine.move_to(session.start + timedelta(minutes=5))

    with pytest.raises(SessionNotFound):
        attendance_mark(session_id=session.pk, actor=anna, attended_user_ids={anna.pk})

    assert Rsvp.objects.get(user=anna).attended is None


def test_waitlist_position_counts_only_people_waiting_ahead(community):
    session = _session(community, capacity=1)
    people = _people(4)
    RsvpFactory(session=session, user=people[0], status=GOING)
    RsvpFactory(session=session, user=people[1], status=WAITLISTED, position=7)
    third = RsvpFactory(session=session, user=people[2], status=WAITLISTED, position=9)
    fourth = RsvpFactory(session=session, user=people[3], status=WAITLISTED, position=12)

    assert [waitlist_position(r) for r in (third, fourth)] == [2, 3]
    assert waitlist_position(Rsvp.objects.get(user=people[0])) is None


def test_rsvp_set_on_a_frozen_clock_still_records_each_promotion(community, time_machine):
    """Promotions at the same instant get their own outbox row each (no dedupe collision)."""
    time_machine.move_to(datetime(2031, 5, 1, 9, 0, tzinfo=UTC), tick=False)
    session = _session(community, capacity=2)
    people = _people(4)
    for person in people:
        _answer(session, person)

    _answer(session, people[0], DECLINED)
    _answer(session, people[1], DECLINED)

    assert _promotions() == ["p3@example.org", "p4@example.org"]
