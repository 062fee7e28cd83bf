"""A small fixed community for the insight figures, with every figure computed by hand.

Today is 2030-06-15 (Europe/Amsterdam); the period is the last 12 months (from 2029-06-15).

Members (joined; team): A, B, C 2029-01-01 (Platform, Platform, Data); D 2029-09-15 (Data);
F 2030-03-01 (no team); X 2030-06-01 (Security, never came); G joined 2029-01-01 and left
2030-05-01 (Security).

Sessions (all 1 hour, hosts in brackets):
  S1 2030-02-10 brown bag [H1]  going: A attended, B attended, C marked absent, D not taken;
                                E declined (not a member)
  S2 2030-04-10 workshop [H1, H2]  going: A attended, B not taken; F "maybe" but attended
  S3 2030-05-20 brown bag [H3]  going: A attended, G not taken
  S4 2029-03-01 brown bag [H4]  going: A attended                     (before the period)
  S5 2030-05-01 brown bag [H5]  cancelled: A going                    (never counts)
Takeaways: S1 two (review 2030-09-01, 2030-06-15), S2 one (review 2031-01-01), S4 one archived.

By hand:
  sessions 3 (S1-S3); per session attended/going/no-shows: S1 3/4/1, S2 3/2/0, S3 2/2/0
  no-show rate = 1 / (4 + 2 + 2) = 12.5 %
  attendees = {A: 3, B: 2, D: 1, F: 1, G: 1} → 5; repeat = A, B → 2/5 = 40 %
  participation (6 months from 2029-12-15: S1-S3, N = 3), active members A B C D F X:
      A 3/3 core, B 2/3 core, D 1/3 active, F 1/3 active, C 0 peripheral, X 0 peripheral
      → core 2, active 2, occasional 0, peripheral 2
  presenters (12 months): H1, H2, H3 → 3, over 3 sessions
  takeaways per session: 3 / 3 = 1.0
  freshness: active takeaways 3 (the archived one does not count), fresh (review after
      today) 2 → 67 %
  reach: teams among attendees Platform (A, B), Data (D), Security (G) → 3; F has no team
  members at each month end 2029-07 … 2030-06: 4 4 5 5 5 5 5 5 6 6 5 6
  formats: brown bag 4 attendees, workshop 3: both under 5 → one "other" row:
      3 sessions, average attendance (3 + 3 + 2) / 3 = 2.7, no-show rate 12.5 → "12"
  teams chart: every team under 5 people → one "other" row of 5 attendees
"""

from datetime import UTC, date, datetime, timedelta

from communities.models import Membership
from events.models import Session
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)

TODAY = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def build():
    community = CommunityFactory(name="Insights-gilde", slug="insights-gilde")
    people = {}
    for name, joined, team in [
        ("A", date(2029, 1, 1), "Platform"),
        ("B", date(2029, 1, 1), "Platform"),
        ("C", date(2029, 1, 1), "Data"),
        ("D", date(2029, 9, 15), "Data"),
        ("F", date(2030, 3, 1), ""),
        ("X", date(2030, 6, 1), "Security"),
        ("G", date(2029, 1, 1), "Security"),
    ]:
        person = UserFactory(email=f"{name.lower()}@insights.example", team=team)
        people[name] = person
        left = name == "G"
        MembershipFactory(
            user=person,
            community=community,
            joined_at=_at(joined),
            state=Membership.State.LEFT if left else Membership.State.ACTIVE,
            left_at=_at(date(2030, 5, 1)) if left else None,
        )
    people["E"] = UserFactory(email="e@insights.example", team="Platform")
    hosts = {
        name: UserFactory(email=f"{name.lower()}@hosts.example")
        for name in ["H1", "H2", "H3", "H4", "H5"]
    }

    def session(day, kind, host_names, answers, **fields):
        start = _at(day)
        held = SessionFactory(
            community=community,
            format=kind,
            start=start,
            end=start + timedelta(hours=1),
            hosts=[hosts[name] for name in host_names],
            **fields,
        )
        for name, status, attended in answers:
            RsvpFactory(session=held, user=people[name], status=status, attended=attended)
        return held

    s1 = session(
        date(2030, 2, 10),
        "brown_bag",
        ["H1"],
        [
            ("A", "going", True),
            ("B", "going", True),
            ("C", "going", False),
            ("D", "going", None),
            ("E", "declined", None),
        ],
    )
    s2 = session(
        date(2030, 4, 10),
        "workshop",
        ["H1", "H2"],
        [("A", "going", True), ("B", "going", None), ("F", "maybe", True)],
    )
    session(date(2030, 5, 20), "brown_bag", ["H3"], [("A", "going", True), ("G", "going", None)])
    s4 = session(date(2029, 3, 1), "brown_bag", ["H4"], [("A", "going", True)])
    session(
        date(2030, 5, 1),
        "brown_bag",
        ["H5"],
        [("A", "going", None)],
        state=Session.State.CANCELLED,
    )
    for held, review_due, archived in [
        (s1, date(2030, 9, 1), None),
        (s1, date(2030, 6, 15), None),
        (s2, date(2031, 1, 1), None),
        (s4, date(2030, 1, 1), _at(date(2029, 12, 1))),
    ]:
        TakeawayFactory(
            session=held,
            author=people["A"],
            owner=people["A"],
            title="Inzicht",
            visibility="organisation",
            review_due=review_due,
            archived_at=archived,
        )
    return community
