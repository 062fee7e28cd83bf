"""Community plans: the year's goals, themes and time budget against what happened; members
read it (a private community's plan is 404 to outsiders), coordinators edit it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.errors import DomainError
from learning.plans.models import CommunityPlan
from learning.plans.selectors import plan_progress
from learning.plans.services import ThemeLine, community_plan_set
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    StaffFactory,
    TakeawayFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    community = CommunityFactory(slug="python-gilde", name="Python-gilde", visibility="private")
    cora = UserFactory(email="cora@example.org")
    mia = UserFactory(email="mia@example.org")
    MembershipFactory(user=cora, community=community, role="coordinator")
    MembershipFactory(user=mia, community=community)
    return community, cora, mia


def _held(community, title, *, start, minutes, came=0, no_show=0, state="scheduled"):
    session = SessionFactory(
        community=community,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        state=state,
    )
    for n in range(came):
        RsvpFactory(session=session, attended=True if n % 2 else None)
    for _n in range(no_show):
        RsvpFactory(session=session, attended=False)
    return session


def test_the_plan_is_read_against_the_sessions_held_that_year(world):
    community, cora, _mia = world
    community_plan_set(
        actor=cora,
        community=community,
        year=2027,
        goals="Iedereen schrijft tests",
        time_budget_hours=40,
        themes=[ThemeLine("Python", 2), ThemeLine("Testing", 1), ThemeLine("Docker", 1)],
    )
    testing = _held(
        community, "Python testing basics", start=NOW - timedelta(days=30), minutes=60, came=3,
        no_show=1,
    )  # fmt: skip
    _held(community, "Async python", start=NOW - timedelta(days=20), minutes=30, came=2)
    _held(community, "Kubernetes", start=NOW - timedelta(days=10), minutes=120, came=1)
    _held(community, "Python cancelled", start=NOW - timedelta(days=5), minutes=60, came=4,
          state="cancelled")  # fmt: skip
    _held(community, "Python later", start=NOW + timedelta(days=5), minutes=60, came=4)
    _held(community, "Python last year", start=datetime(2026, 12, 1, tzinfo=UTC), minutes=60,
          came=4)  # fmt: skip
    TakeawayFactory(session=testing)
    TakeawayFactory(session=testing, visibility="private")

    progress = plan_progress(community=community, year=2027)

    assert (progress.sessions, progress.attendance, progress.people) == (3, 6, 6)
    assert progress.hours == Decimal("6.0")  # 1 h × 3 + 0.5 h × 2 + 2 h × 1
    assert progress.budget == 40
    assert progress.budget_used_percent == 15
    assert progress.takeaways == 2
    assert progress.planned_sessions == 4
    assert [(t.name, t.planned_sessions, t.sessions, t.attendance, t.hours) for t in progress.themes] == [
        ("Python", 2, 2, 5, Decimal("4.0")),
        ("Testing", 1, 1, 3, Decimal("3.0")),
        ("Docker", 1, 0, 0, Decimal("0.0")),
    ]  # fmt: skip
    assert progress.other_sessions == 1


def test_saving_again_replaces_the_themes_and_only_coordinators_may(world):
    community, cora, mia = world
    for _ in range(2):
        community_plan_set(
            actor=cora, community=community, year=2027, goals="", time_budget_hours=10,
            themes=[ThemeLine("Testing", 3)],
        )  # fmt: skip
    plan = CommunityPlan.objects.get(community=community, year=2027)
    assert [(t.name, t.planned_sessions) for t in plan.themes.all()] == [("Testing", 3)]
    with pytest.raises(DomainError) as raised:
        community_plan_set(
            actor=mia, community=community, year=2027, goals="", time_budget_hours=1, themes=[]
        )
    assert raised.value.code == "forbidden"
    with pytest.raises(DomainError) as raised:
        community_plan_set(
            actor=cora, community=community, year=2027, goals="", time_budget_hours=1,
            themes=[ThemeLine("Testing"), ThemeLine("testing")],
        )  # fmt: skip
    assert raised.value.code == "duplicate_theme"


def test_members_read_the_plan_outsiders_and_staff_get_404(client, world):
    _community, _cora, mia = world
    url = "/communities/python-gilde/plan/"
    client.force_login(mia)
    assert client.get(url).status_code == 200
    assert client.get(url + "edit/").status_code == 404
    for outsider in (UserFactory(), StaffFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(url + "edit/").status_code == 404


def test_a_coordinator_edits_the_plan_in_the_form(client, world):
    community, cora, _mia = world
    client.force_login(cora)
    response = client.post(
        "/communities/python-gilde/plan/edit/?year=2027",
        {"goals": "Meer **tests**", "themes": "Testing: 4\n\nDocker\n", "time_budget_hours": "80"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/communities/python-gilde/plan/?year=2027"
    plan = CommunityPlan.objects.get(community=community, year=2027)
    assert (plan.goals, plan.time_budget_hours, plan.updated_by) == ("Meer **tests**", 80, cora)
    assert [(t.name, t.planned_sessions) for t in plan.themes.all()] == [
        ("Testing", 4),
        ("Docker", 0),
    ]
    page = client.get("/communities/python-gilde/plan/?year=2027").content.decode()
    assert "<strong>tests</strong>" in page
    bad = client.post(
        "/communities/python-gilde/plan/edit/?year=2027",
        {"goals": "", "themes": "", "time_budget_hours": "-3"},
    )
    assert bad.status_code == 400


def test_the_plan_page_queries_do_not_grow(client, world):
    community, cora, mia = world
    community_plan_set(
        actor=cora, community=community, year=2027, goals="", time_budget_hours=10,
        themes=[ThemeLine("Python", 1)],
    )  # fmt: skip
    _held(community, "Python 1", start=NOW - timedelta(days=3), minutes=60, came=2)
    client.force_login(mia)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/communities/python-gilde/plan/?year=2027").status_code == 200
        return len(captured)

    one = queries()
    for n in range(6):
        session = _held(community, f"Python {n + 2}", start=NOW - timedelta(days=10 + n),
                        minutes=45, came=3)  # fmt: skip
        TakeawayFactory(session=session)
    community_plan_set(
        actor=cora, community=community, year=2027, goals="", time_budget_hours=10,
        themes=[ThemeLine(f"Theme {n}", 1) for n in range(8)],
    )  # fmt: skip
    assert queries() == one
