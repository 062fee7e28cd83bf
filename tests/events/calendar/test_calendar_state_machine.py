"""Property-based test of the one rule: after any sequence of answers, series answers, waitlist
moves, edits, cancellations, leaving and joining, visibility changes, delivery switches and a
deactivation, each person's calendar — rebuilt only from the invitation mails the outbox sends,
read as a calendar client reads them (highest SEQUENCE wins, CANCEL removes, RECURRENCE-ID
touches one instance) — holds exactly

    (sessions they may see) ∩ (the ones they go to) ∩ (invitations as their delivery).

A hypothesis RuleBasedStateMachine drives the real services on the test database, inside a
savepoint rolled back after each example.
"""

import contextlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from icalendar import Calendar

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.models import Membership, User
from communities.services.accounts import calendar_delivery_set, user_deactivate
from communities.services.communities import community_update
from communities.services.memberships import membership_join, membership_leave
from events.models import Rsvp, Session
from events.series.recurrence import Recurrence
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import series_create, series_update_all
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from tests.factories import CommunityFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)
PEOPLE = 3
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=14,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
person = st.integers(min_value=0, max_value=PEOPLE - 1)


def details(n: int = 0, **changes) -> SessionDetails:
    fields = {"title": f"Sessie {n}", "format": "brown_bag", "start": START,
              "end": START + timedelta(hours=1), "timezone": "Europe/Amsterdam",
              "location": f"Zaal {n}", "capacity": 2}  # fmt: skip
    return SessionDetails(**{**fields, **changes})


def calendar_from_mails(user: User) -> set[tuple]:
    """What the person's calendar shows, from the invitation mails sent (or due) to them, in
    the order the outbox sends them: (start in UTC, SUMMARY, LOCATION) of every instance."""
    objects: dict[str, dict] = {}  # uid -> {"master": comp|None, "overrides": {rid: comp}, ...}
    rows = (
        OutboxMessage.objects.filter(recipient=user)
        .exclude(calendar="")
        .exclude(state=OutboxMessage.State.SKIPPED)
    )
    for message in rows.order_by("due_at", "id"):
        calendar = Calendar.from_ical(message.calendar)
        method = str(calendar["METHOD"])
        for event in calendar.walk("VEVENT"):
            uid, sequence = str(event["UID"]), int(event.get("SEQUENCE", 0))
            rid = event.get("RECURRENCE-ID")
            rid = rid.dt.astimezone(UTC) if rid is not None else None
            entry = objects.setdefault(uid, {"master": None, "overrides": {}, "cancelled": set(),
                                             "sequence": -1})  # fmt: skip
            if sequence < entry["sequence"] and rid is None:
                continue  # an older version: clients ignore it
            if method == "CANCEL":
                if rid is None:
                    objects.pop(uid)
                else:
                    entry["cancelled"].add(rid)
                    entry["overrides"].pop(rid, None)
                continue
            if rid is None:
                entry.update(master=event, sequence=sequence, overrides={}, cancelled=set())
            else:
                entry["overrides"][rid] = event
                entry["cancelled"].discard(rid)
    shown = set()
    for entry in objects.values():
        calendar = Calendar()
        if entry["master"] is not None:
            calendar.add_component(entry["master"])
        for override in entry["overrides"].values():
            calendar.add_component(override)
        for instance in recurring_ical_events.of(calendar).between(NOW, NOW + timedelta(days=400)):
            rid = instance.get("RECURRENCE-ID")
            start = instance.decoded("DTSTART").astimezone(UTC)
            if (rid.dt.astimezone(UTC) if rid else start) in entry["cancelled"]:
                continue
            shown.add((start, str(instance["SUMMARY"]), str(instance.get("LOCATION", ""))))
    return shown


def calendar_by_rule(user: User) -> set[tuple]:
    """What the app says the calendar should hold."""
    user.refresh_from_db()
    if not user.is_active or not user.wants_invitations:
        return set()
    going = Rsvp.objects.filter(user=user, status=Rsvp.Status.GOING).values("session_id")
    sessions = sessions_visible_to(user).filter(
        pk__in=going, state=Session.State.SCHEDULED, end__gt=NOW
    )
    return {(s.start.astimezone(UTC), s.title, s.location) for s in sessions}


def calendar_machine(coordinator, people, staff):
    class CalendarMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.community = CommunityFactory(visibility="private", join_policy="open")
            MembershipFactory(user=coordinator, community=self.community, role="coordinator")
            for member in people:
                MembershipFactory(user=member, community=self.community)
            self.session = session_create(community=self.community, actor=coordinator,
                                          details=details(0))  # fmt: skip
            self.series = series_create(
                community=self.community, actor=coordinator,
                details=details(1, start=START + timedelta(days=1),
                                end=START + timedelta(days=1, hours=1)),
                recurrence=Recurrence(frequency="weekly", count=3),
            )  # fmt: skip
            self.edits = 1

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def targets(self):
            return [self.session, *self.series.occurrences.order_by("start")]

        def attempt(self, call):
            with contextlib.suppress(DomainError):  # refused with a message: nothing changed
                call()

        @rule(who=person, which=st.integers(0, 3), going=st.booleans())
        def answer(self, who, which, going):
            target = self.targets()[which]
            self.attempt(lambda: rsvp_set(session_id=target.pk, user=people[who],
                                          status="going" if going else "declined"))  # fmt: skip

        @rule(who=person, going=st.booleans())
        def answer_series(self, who, going):
            self.attempt(lambda: series_rsvp_set(series_id=self.series.pk, user=people[who],
                                                 status="going" if going else "declined"))  # fmt: skip

        @rule(which=st.integers(0, 3))
        def edit(self, which):
            self.edits += 1
            target = self.targets()[which]
            self.attempt(lambda: session_update(
                session_id=target.pk, actor=coordinator,
                details=details(self.edits, start=target.start, end=target.end)))  # fmt: skip

        @rule()
        def edit_series(self):
            self.edits += 1
            self.attempt(lambda: series_update_all(
                series_id=self.series.pk, actor=coordinator,
                details=details(self.edits, start=START + timedelta(days=1),
                                end=START + timedelta(days=1, hours=1))))  # fmt: skip

        @rule(which=st.integers(0, 3))
        def cancel(self, which):
            target = self.targets()[which]
            self.attempt(lambda: session_cancel(session_id=target.pk, actor=coordinator,
                                                reason="Geheim"))  # fmt: skip

        @rule(who=person)
        def leave_or_join(self, who):
            member = Membership.objects.filter(user=people[who], community=self.community,
                                               state="active").exists()  # fmt: skip
            call = membership_leave if member else membership_join
            self.attempt(lambda: call(user=people[who], community=self.community))

        @rule(private=st.booleans())
        def visibility(self, private):
            self.community.refresh_from_db()
            self.attempt(lambda: community_update(
                community=self.community, actor=coordinator, name=self.community.name,
                purpose="p", description="", topics=[], cadence="",
                visibility="private" if private else "public", join_policy="open"))  # fmt: skip

        @rule(who=person, feed=st.booleans())
        def delivery(self, who, feed):
            people[who].refresh_from_db()
            calendar_delivery_set(user=people[who], choice="feed" if feed else "invitations")

        @rule(who=person)
        def deactivate(self, who):
            self.attempt(lambda: user_deactivate(actor=staff, user=people[who]))

        @invariant()
        def calendars_follow_the_rule(self):
            for member in people:
                assert calendar_from_mails(member) == calendar_by_rule(member), member.email

    return CalendarMachine


@pytest.mark.django_db
def test_each_calendar_rebuilt_from_the_mails_follows_the_rule(time_machine):
    time_machine.move_to(NOW, tick=False)
    staff = StaffFactory()
    coordinator = UserFactory(email="coord@example.org")
    people = [UserFactory(email=f"p{n}@example.org", language="en") for n in range(PEOPLE)]
    run_state_machine_as_test(calendar_machine(coordinator, people, staff), settings=SETTINGS)
