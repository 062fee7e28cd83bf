"""The personal feed's validator: every change that alters the bytes gives another ETag (and the
client that sent the old one gets the new bytes), nothing else does (it gets its 304), and the 304
costs the same few queries however many sessions the person goes to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from communities.services.communities import community_update
from communities.services.memberships import membership_leave
from events.calendar.services.subscriptions import feed_token_reset
from events.models import Rsvp, Session
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_update
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    token: str
    public: Session  # going; the person is no member of its (public) community
    private: Session  # going; the person is a member of its private community
    full: Session  # capacity 1, someone else going, the person second on the waitlist
    ahead: object  # first on that waitlist
    seated: object  # the one in the only seat
    spare: Session  # in the public community, nobody's answer yet


@pytest.fixture
def world(member, coordinator, community, private_community) -> World:
    MembershipFactory(user=member, community=private_community)
    public = SessionFactory(community=community, title="Typen in Python")
    private = SessionFactory(community=private_community, title="Dreigingsmodellen")
    full = SessionFactory(community=community, title="Kleine zaal", capacity=1)
    seated, ahead = UserFactory(), UserFactory()
    RsvpFactory(session=public, user=member)
    RsvpFactory(session=private, user=member)
    RsvpFactory(session=full, user=seated)
    RsvpFactory(session=full, user=ahead, status=Rsvp.Status.WAITLISTED, position=1)
    RsvpFactory(session=full, user=member, status=Rsvp.Status.WAITLISTED, position=2)
    spare = SessionFactory(community=community, title="Nog niemand")
    return World(feed_token_reset(user=member), public, private, full, ahead, seated, spare)


def fetch(client, token: str, etag: str | None = None):
    headers = {"if-none-match": etag} if etag else {}
    return client.get(f"/calendar/{token}.ics", headers=headers)


def _details(session: Session, **changes) -> SessionDetails:
    fields = {
        "title": session.title,
        "format": session.format,
        "start": session.start,
        "end": session.end,
        "location": session.location,
        "capacity": session.capacity,
    }
    return SessionDetails(**(fields | changes))


def _make_private(world, coordinator):
    community = world.public.community
    community_update(
        community=community,
        actor=coordinator,
        name=community.name,
        purpose=community.purpose,
        description=community.description,
        topics=[],
        cadence=community.cadence,
        visibility="private",
        join_policy="invite",
    )


# Each change, and the summaries (UID → STATUS) of the feed after it.
CHANGES = {
    "session edit": (
        lambda w, member, coordinator: session_update(
            session_id=w.public.pk,
            actor=coordinator,
            details=_details(w.public, location="Zaal 2"),
        ),
        lambda w: {w.public.uid: "CONFIRMED", w.private.uid: "CONFIRMED", w.full.uid: "TENTATIVE"},
    ),
    "cancel": (
        lambda w, member, coordinator: session_cancel(
            session_id=w.public.pk, actor=coordinator, reason="Ziek"
        ),
        None,  # the session stays or goes as the cancel rules say; the bytes differ either way
    ),
    "rsvp declined": (
        lambda w, member, coordinator: rsvp_set(
            session_id=w.public.pk, user=member, status=Rsvp.Status.DECLINED
        ),
        lambda w: {w.private.uid: "CONFIRMED", w.full.uid: "TENTATIVE"},
    ),
    "rsvp going": (
        lambda w, member, coordinator: rsvp_set(
            session_id=w.spare.pk, user=member, status=Rsvp.Status.GOING
        ),
        lambda w: {
            w.public.uid: "CONFIRMED",
            w.private.uid: "CONFIRMED",
            w.full.uid: "TENTATIVE",
            w.spare.uid: "CONFIRMED",
        },
    ),
    "waitlist promotion": (
        lambda w, member, coordinator: (
            rsvp_set(session_id=w.full.pk, user=w.ahead, status=Rsvp.Status.DECLINED),
            rsvp_set(session_id=w.full.pk, user=w.seated, status=Rsvp.Status.DECLINED),
        ),
        lambda w: {w.public.uid: "CONFIRMED", w.private.uid: "CONFIRMED", w.full.uid: "CONFIRMED"},
    ),
    "leaving the community": (
        lambda w, member, coordinator: membership_leave(user=member, community=w.private.community),
        lambda w: {w.public.uid: "CONFIRMED", w.full.uid: "TENTATIVE"},
    ),
    "community turned private": (
        lambda w, member, coordinator: _make_private(w, coordinator),
        lambda w: {w.private.uid: "CONFIRMED"},
    ),
}


def _statuses(content: bytes) -> dict[str, str]:
    calendar = Calendar.from_ical(content)
    return {str(event["UID"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_every_change_gives_another_etag_and_other_bytes(client, member, coordinator, world, kind):
    before = fetch(client, world.token)
    assert before.status_code == 200
    assert _statuses(before.content) == {
        world.public.uid: "CONFIRMED",
        world.private.uid: "CONFIRMED",
        world.full.uid: "TENTATIVE",
    }
    change, expected = CHANGES[kind]

    change(world, member, coordinator)

    after = fetch(client, world.token, before["ETag"])
    assert after.status_code == 200, kind
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
    if expected is not None:
        assert _statuses(after.content) == expected(world)
    # and the new validator is stable: the next conditional fetch is a 304
    assert fetch(client, world.token, after["ETag"]).status_code == 304


def test_a_new_token_is_a_new_address_with_another_etag(client, member, world):
    before = fetch(client, world.token)

    token = feed_token_reset(user=member)

    assert fetch(client, world.token, before["ETag"]).status_code == 404
    after = fetch(client, token, before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    # the calendar itself names no token: the same events under the new address
    assert after.content == before.content


# Changes that leave the person's feed as it is: the client keeps its copy (304).
UNRELATED = {
    "another person's rsvp to a session the person is not in": lambda w, other: rsvp_set(
        session_id=w.spare.pk, user=other, status=Rsvp.Status.GOING
    ),
    "another person's rsvp to a session the person goes to": lambda w, other: rsvp_set(
        session_id=w.public.pk, user=other, status=Rsvp.Status.GOING
    ),
    "a session of another community": lambda w, other: SessionFactory(
        community=CommunityFactory(name="Data-gilde", slug="data-gilde"), title="Pandas"
    ),
    "an edit of a session the person is not in": lambda w, other: Session.objects.filter(
        pk=w.spare.pk
    ).update(title="Nog steeds niemand"),
    "moving up the waitlist without a seat": lambda w, other: rsvp_set(
        session_id=w.full.pk, user=w.ahead, status=Rsvp.Status.DECLINED
    ),
}


@pytest.mark.parametrize("kind", list(UNRELATED))
def test_an_unrelated_change_keeps_the_etag(client, member, other_user, world, kind):
    before = fetch(client, world.token)

    UNRELATED[kind](world, other_user)

    again = fetch(client, world.token, before["ETag"])
    assert again.status_code == 304, kind
    assert again["ETag"] == before["ETag"]
    assert fetch(client, world.token).content == before.content


@pytest.mark.parametrize("count", [1, 100])
def test_the_304_costs_the_same_few_queries_for_1_and_100_sessions(
    client, member, community, count
):
    MembershipFactory(user=member, community=community)
    for _ in range(count):
        RsvpFactory(session=SessionFactory(community=community), user=member)
    token = feed_token_reset(user=member)
    etag = fetch(client, token)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, token, etag)
    assert response.status_code == 304
    # organisation settings, the token's person and the one aggregate (digest, count, latest
    # change of a session or an answer): no session row is read
    assert len(queries) == 3, [q["sql"] for q in queries]
