"""What keeps the list pages flat at organisation scale: my agenda as a union of two
index-driven sets, "not ended" in a form the start index can walk, what's on counting at most
1,001 rows, and JIT off for the app's PostgreSQL connections."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from events.models import Rsvp, Session
from events.sessions.selectors import (
    CappedPaginator,
    agenda_upcoming,
    my_next_sessions,
    sessions_upcoming,
)
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _session(community, title, *, start_days: float, hours: float = 1, **fields) -> Session:
    start = timezone.now() + timedelta(days=start_days)
    return SessionFactory(
        community=community, title=title, start=start, end=start + timedelta(hours=hours), **fields
    )


def test_not_ended_keeps_a_long_session_that_started_long_ago():
    community = CommunityFactory()
    viewer = UserFactory()
    _session(community, "ended", start_days=-30)
    _session(community, "running for weeks", start_days=-20, hours=24 * 30)
    _session(community, "ended yesterday", start_days=-1)
    _session(community, "tomorrow", start_days=1)

    titles = [session.title for session in sessions_upcoming(viewer)]

    assert titles == ["running for weeks", "tomorrow"]


def test_my_agenda_is_the_union_of_my_answers_and_my_communities():
    viewer = UserFactory()
    mine = CommunityFactory()
    other = CommunityFactory()
    private = CommunityFactory(visibility=Community.Visibility.PRIVATE)
    MembershipFactory(user=viewer, community=mine)
    ours = _session(mine, "my community", start_days=2)
    answered = _session(other, "answered elsewhere", start_days=1)
    both = _session(mine, "answered in my community", start_days=3)
    _session(other, "not mine", start_days=4)
    declined = _session(other, "declined", start_days=5)
    hidden = _session(private, "private, answered before it was made private", start_days=6)
    _session(mine, "over", start_days=-2)
    for session, status in [
        (answered, Rsvp.Status.GOING),
        (both, Rsvp.Status.MAYBE),
        (declined, Rsvp.Status.DECLINED),
        (hidden, Rsvp.Status.GOING),
    ]:
        Rsvp.objects.create(session=session, user=viewer, status=status)

    agenda = list(agenda_upcoming(viewer))

    assert [s.title for s in agenda] == [
        "answered elsewhere",
        "my community",
        "answered in my community",
    ]
    assert [s.my_status for s in agenda] == ["going", None, "maybe"]
    assert ours in agenda
    with CaptureQueriesContext(connection) as captured:
        list(agenda_upcoming(viewer))
    (sql,) = [query["sql"] for query in captured.captured_queries]
    assert " UNION " in sql and " OR " not in sql.split(" UNION ")[0].split("FROM")[-1]


def test_my_agenda_keeps_running_sessions_and_bounds_only_its_two_sets():
    viewer = UserFactory()
    mine = CommunityFactory()
    other = CommunityFactory()
    MembershipFactory(user=viewer, community=mine)
    _session(mine, "ended", start_days=-30)
    _session(mine, "running for weeks", start_days=-20, hours=24 * 30)
    _session(mine, "ended yesterday", start_days=-1)
    answered = _session(other, "answered, running", start_days=-2, hours=24 * 4)
    ended = _session(other, "answered, ended", start_days=-3)
    for session in (answered, ended):
        Rsvp.objects.create(session=session, user=viewer, status=Rsvp.Status.GOING)

    with CaptureQueriesContext(connection) as captured:
        titles = [session.title for session in agenda_upcoming(viewer)]

    assert titles == ["running for weeks", "answered, running"]
    (sql,) = [query["sql"] for query in captured.captured_queries]
    # The outer query takes the two sets' ids as they are: no organisation-wide MIN(start)
    # bound, which at 100,000 sessions cost more than the two index-driven sets together.
    assert "MIN(" not in sql
    assert sql.count('"end" >=') == 2


def test_home_next_sessions_skip_the_ones_that_ended():
    viewer = UserFactory()
    community = CommunityFactory()
    for title, days in [("past", -3), ("next", 2)]:
        Rsvp.objects.create(
            session=_session(community, title, start_days=days), user=viewer, status="going"
        )

    assert [s.title for s in my_next_sessions(viewer)] == ["next"]


def test_whats_on_counts_at_most_1001_sessions(client):
    viewer = UserFactory()
    community = CommunityFactory()
    start = timezone.now() + timedelta(days=1)
    Session.objects.bulk_create(
        Session(
            community=community,
            title=f"S{n}",
            start=start + timedelta(minutes=n),
            end=start + timedelta(minutes=n + 30),
            uid=f"capped-{n}@test",
        )
        for n in range(1_005)
    )
    paginator = CappedPaginator(sessions_upcoming(viewer), 20)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (1_001, True, 51)
    client.force_login(viewer)
    client.cookies["kp_language"] = "en"
    page = client.get("/sessions/").content.decode()
    assert "More than 1,000 sessions: the first ones first" in page
    assert CappedPaginator(sessions_upcoming(viewer).filter(title="S1"), 20).capped is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_the_apps_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
