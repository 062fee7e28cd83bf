"""Insights never leak what the viewer may not see: a private community and an intervision
group (with held sessions, answers, takeaways, members in new teams and formats) add no title,
id or count to any insights page, chart, table or CSV, for staff or anyone else."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import translation

from communities.models import Community, Membership
from events.insights.selectors import organisation_insights
from tests.events.insights import insights_dataset
from tests.factories import (
    CommunityFactory,
    IntervisionGroupFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    StaffFactory,
    TakeawayFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHART_KEYS = ["members", "sessions", "formats", "takeaways", "teams", "participation"]
SECRET_TITLE = "Geheime-reorganisatie-canary"
SECRET_TEAM = "Geheimteam-canary"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dataset(time_machine):
    time_machine.move_to(insights_dataset.TODAY, tick=False)
    return insights_dataset.build()


def _plant_private(kind: str) -> tuple[Community, list[int]]:
    """A group the viewers are not in, big enough to be broken down (7 people, one team, a
    format nobody else uses), with sessions in every window and takeaways."""
    group = (
        IntervisionGroupFactory(name=f"Verborgen {kind}")
        if kind == "intervision"
        else CommunityFactory(name=f"Verborgen {kind}", visibility=Community.Visibility.PRIVATE)
    )
    people = [UserFactory(email=f"{kind}{n}@secret.example", team=SECRET_TEAM) for n in range(7)]
    for person in people:
        MembershipFactory(user=person, community=group)
    ids = []
    for days in (3, 40, 100, 200, 300):
        start = insights_dataset.TODAY - timedelta(days=days)
        held = SessionFactory(
            community=group,
            title=f"{SECRET_TITLE} {kind} {days}",
            format="hackathon",
            start=start,
            end=start + timedelta(hours=1),
            hosts=[people[0]],
        )
        ids.append(held.pk)
        for index, person in enumerate(people):
            RsvpFactory(session=held, user=person, status="going", attended=index != 0)
        TakeawayFactory(
            session=held, author=people[1], owner=people[1], title=f"{SECRET_TITLE} inzicht"
        )
    return group, ids


def _figures(insights) -> dict:
    return {
        "numbers": (
            insights.sessions,
            insights.attendees,
            insights.members_now,
            insights.no_show_rate,
            insights.repeat_share,
            insights.repeat_base,
            insights.presenters,
            insights.presenter_sessions,
            insights.takeaways,
            insights.teams,
            insights.levels,
            (insights.freshness.active, insights.freshness.fresh),
        ),
        "charts": {chart.key: chart.rows for chart in insights.charts},
    }


@pytest.fixture(autouse=True)
def no_cached_figures():
    cache.clear()
    yield
    cache.clear()


def _everything(client, path: str) -> str:
    """The page and every chart's CSV, as one text."""
    client.cookies["kp_language"] = "en"
    page = client.get(path)
    assert page.status_code == 200
    texts = [page.content.decode()]
    for key in CHART_KEYS:
        download = client.get(f"{path}?months=24&download={key}")
        if download.status_code == 200:
            texts.append(download.content.decode())
        else:
            assert download.status_code == 404  # a chart that is not shown (under 5 people)
    texts.append(client.get(f"{path}?months=24").content.decode())
    return "\n".join(texts)


def _without_tokens(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_private_groups_add_nothing_to_the_organisation_insights(client, dataset):
    staff = StaffFactory()
    before = {months: _figures(organisation_insights(viewer=staff, months=months))
              for months in (3, 12, 24)}  # fmt: skip
    client.force_login(staff)
    page_before = _without_tokens(_everything(client, "/insights/"))

    planted = [_plant_private("community"), _plant_private("intervision")]
    cache.clear()  # the page keeps its figures for minutes: compute them afresh

    after = {months: _figures(organisation_insights(viewer=staff, months=months))
             for months in (3, 12, 24)}  # fmt: skip
    page_after = _without_tokens(_everything(client, "/insights/"))
    assert after == before  # not a count, not a team, not a format of theirs
    assert page_after == page_before
    for group, ids in planted:
        assert group.name not in page_after and group.slug not in page_after
        for session_id in ids:
            assert f"/sessions/{session_id}/" not in page_after
    assert SECRET_TITLE not in page_after and SECRET_TEAM not in page_after
    assert "Hackathon" not in page_after and "hackathon" not in page_after


def test_a_member_of_a_private_group_sees_its_figures_there_and_others_still_see_none(dataset):
    group, _ids = _plant_private("community")
    staff_member = StaffFactory()
    MembershipFactory(user=staff_member, community=group)
    outsider = StaffFactory()

    inside = organisation_insights(viewer=staff_member, months=12)
    outside = organisation_insights(viewer=outsider, months=12)

    # the 3 held sessions of the dataset's period, plus the group's 5 within 12 months
    assert (inside.sessions, outside.sessions) == (8, 3)
    assert [SECRET_TEAM, 6] in inside.chart("teams").rows
    assert all(SECRET_TEAM not in row for row in outside.chart("teams").rows)


def test_community_insights_of_a_private_group_answer_404_to_staff_and_coordinators(
    client, dataset
):
    group, _ids = _plant_private("community")
    intervision, _ids = _plant_private("intervision")
    public_coordinator = UserFactory()
    MembershipFactory(user=public_coordinator, community=dataset, role=Membership.Role.COORDINATOR)
    for viewer in (StaffFactory(), public_coordinator, UserFactory()):
        client.force_login(viewer)
        for slug in (group.slug, intervision.slug):
            assert client.get(f"/communities/{slug}/insights/").status_code == 404
            assert client.get(f"/communities/{slug}/insights/?download=sessions").status_code == 404
    client.force_login(public_coordinator)
    text = _everything(client, f"/communities/{dataset.slug}/insights/")
    assert SECRET_TITLE not in text and SECRET_TEAM not in text


def test_the_organisation_page_has_no_per_session_table(client, dataset):
    staff = StaffFactory()
    client.force_login(staff)

    assert organisation_insights(viewer=staff).chart("sessions") is None
    assert client.get("/insights/?download=sessions").status_code == 404
    assert client.get("/insights/").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/insights/").status_code == 404


def test_the_organisation_page_is_computed_afresh_when_a_community_changes(client, dataset):
    """The cache never keeps a private group's figures for people who may no longer see it:
    a visibility change (the community's updated_at) gives a new key."""
    group, _ids = _plant_private("community")
    group.visibility = Community.Visibility.PUBLIC
    group.save()
    staff = StaffFactory()
    client.force_login(staff)
    client.cookies["kp_language"] = "en"
    assert SECRET_TEAM in client.get("/insights/?months=24").content.decode()

    group.visibility = Community.Visibility.PRIVATE
    group.save()

    assert SECRET_TEAM not in client.get("/insights/?months=24").content.decode()
