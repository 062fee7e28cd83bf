"""Feeds from kept bytes: the ETag is a hash of everything the feed is built from, so every
change that can alter a person's feed (edit, cancel, an answer, a waitlist move, leaving a
community, a visibility change) gives a new ETag and new bytes, a token reset retires the old
address, and nothing else changes either; a 304 and a full answer from kept bytes read the
validators from one narrow query and load no session."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from communities.services.communities import community_update
from communities.services.memberships import membership_leave
from events.calendar.services.subscriptions import feed_token_reset
from events.models import Rsvp
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_cancel, session_update
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _details(session, **changes) -> SessionDetails:
    fields = {
        "title": session.title,
        "format": session.format,
        "start": session.start,
        "end": session.end,
        "timezone": session.timezone,
        "description": session.description,
        "location": session.location,
        "online_url": session.online_url,
        "capacity": session.capacity,
        "host_ids": tuple(session.hosts.values_list("pk", flat=True)),
    }
    fields.update(changes)
    return SessionDetails(**fields)


class Queries(list):
    """The SQL run on the default connection inside the block."""

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    def _record(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


class Feed:
    """The person's feed as a calendar app sees it: the last ETag and bytes it holds."""

    def __init__(self, client, token):
        self.client, self.url = client, f"/calendar/{token}.ics"
        first = client.get(self.url)
        assert first.status_code == 200
        self.etag, self.body = first["ETag"], first.content

    def refetch(self):
        return self.client.get(self.url, headers={"if-none-match": self.etag})

    def assert_changed(self, what: str):
        response = self.refetch()
        assert response.status_code == 200, what
        assert response["ETag"] != self.etag, what
        assert response.content != self.body, what
        self.etag, self.body = response["ETag"], response.content

    def assert_unchanged(self, what: str):
        assert self.refetch().status_code == 304, what
        full = self.client.get(self.url)
        assert (full["ETag"], full.content) == (self.etag, self.body), what


@pytest.fixture
def world(member, other_user, community, private_community, coordinator):
    start = timezone.now() + timedelta(days=3)

    def session(title, where, days=0, **fields):
        at = start + timedelta(days=days)
        return SessionFactory(
            community=where,
            title=title,
            start=at,
            end=at + timedelta(hours=1),
            hosts=[coordinator],
            location="Zaal 1",
            **fields,
        )

    MembershipFactory(user=member, community=community)
    MembershipFactory(user=member, community=private_community)
    going = session("Going", community)
    full = session("Full room", community, days=1, capacity=1)
    open_one = session("Not answered", community, days=2)
    private = session("In the private group", private_community, days=3)
    elsewhere_community = CommunityFactory(name="Elders", slug="elders")
    MembershipFactory(user=coordinator, community=elsewhere_community, role="coordinator")
    elsewhere = session("Public, not my community", elsewhere_community, days=4)
    unrelated = session("Someone else's", elsewhere_community, days=5)
    for answered, person, status in [
        (going, member, "going"),
        (full, other_user, "going"),
        (full, member, "going"),  # full: waitlisted
        (private, member, "going"),
        (elsewhere, member, "going"),
    ]:
        rsvp_set(session_id=answered.pk, user=person, status=status)
    assert Rsvp.objects.get(session=full, user=member).status == Rsvp.Status.WAITLISTED
    return {
        "going": going,
        "full": full,
        "open": open_one,
        "private": private,
        "elsewhere": elsewhere,
        "elsewhere_community": elsewhere_community,
        "unrelated": unrelated,
    }


def test_every_change_to_my_feed_changes_etag_and_bytes_and_nothing_else_does(
    client, member, other_user, coordinator, community, private_community, world
):
    feed = Feed(client, feed_token_reset(user=member))
    assert feed.body.count(b"BEGIN:VEVENT") == 4
    assert b"STATUS:TENTATIVE" in feed.body

    # Nothing that leaves my feed as it is changes it.
    rsvp_set(session_id=world["unrelated"].pk, user=other_user, status="going")
    feed.assert_unchanged("someone else's answer elsewhere")
    rsvp_set(session_id=world["open"].pk, user=member, status="maybe")
    feed.assert_unchanged("my 'maybe' (not in the feed)")
    session_update(
        session_id=world["unrelated"].pk,
        actor=coordinator,
        details=_details(world["unrelated"], title="Renamed, not mine"),
    )
    feed.assert_unchanged("an edit of a session I do not go to")
    client.force_login(member)
    client.get("/sessions/")
    feed.assert_unchanged("reading pages")

    session_update(
        session_id=world["going"].pk,
        actor=coordinator,
        details=_details(world["going"], title="Going renamed"),
    )
    feed.assert_changed("edit")
    assert b"Going renamed" in feed.body

    session_cancel(session_id=world["going"].pk, actor=coordinator, reason="Ziek")
    feed.assert_changed("cancel")
    assert b"STATUS:CANCELLED" in feed.body

    rsvp_set(session_id=world["open"].pk, user=member, status="going")
    feed.assert_changed("RSVP")
    assert b"Not answered" in feed.body

    rsvp_set(session_id=world["full"].pk, user=other_user, status="declined")
    feed.assert_changed("waitlist move (promoted)")
    assert b"STATUS:TENTATIVE" not in feed.body

    membership_leave(user=member, community=private_community)
    feed.assert_changed("leave a private community")
    assert b"In the private group" not in feed.body

    elders = world["elsewhere_community"]
    community_update(
        community=elders,
        actor=coordinator,
        name=elders.name,
        purpose=elders.purpose,
        description=elders.description,
        topics=[],
        cadence=elders.cadence,
        visibility="private",
        join_policy="invite",
    )
    feed.assert_changed("visibility change")
    assert b"Public, not my community" not in feed.body

    old_url = feed.url
    new_token = feed_token_reset(user=member)
    assert client.get(old_url).status_code == 404
    assert client.get(old_url, headers={"if-none-match": feed.etag}).status_code == 404
    fresh = client.get(f"/calendar/{new_token}.ics")
    assert (fresh.status_code, fresh.content) == (200, feed.body)


def test_kept_bytes_are_the_built_bytes_and_cost_no_session_load(client, member, world):
    url = f"/calendar/{feed_token_reset(user=member)}.ics"
    with Queries() as built:
        first = client.get(url)
    assert first.status_code == 200
    with Queries() as kept:
        again = client.get(url)
    with Queries() as not_modified:
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    cache.clear()
    rebuilt = client.get(url)

    assert again.content == first.content == rebuilt.content
    assert again["ETag"] == first["ETag"] == rebuilt["ETag"]
    # token lookup, organisation settings, the validators (one narrow query), and when built
    # the sessions themselves
    assert len(built) == len(kept) + 1
    assert len(kept) == len(not_modified)
    assert len(not_modified) <= 10
    assert all('"events_session"."materials"' not in sql for sql in kept)
    assert any('"events_session"."materials"' in sql for sql in built)
