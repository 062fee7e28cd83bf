"""Insight figures against the hand-computed values of tests/events/insights/insights_dataset.py, the
small-group rule, the pages (charts, tables, CSV) and their query counts."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.models import Membership
from events.insights.charts import bar_chart, draw, line_chart, nice_ticks
from events.insights.selectors import Chart, community_insights, organisation_insights
from events.models import Takeaway
from tests.events.insights import insights_dataset
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Chart labels are translated: compare them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def dataset(time_machine):
    time_machine.move_to(insights_dataset.TODAY, tick=False)
    return insights_dataset.build()


def test_insight_figures_match_the_hand_computed_values(dataset):
    insights = community_insights(dataset, months=12)

    assert (insights.sessions, insights.attendees, insights.members_now) == (3, 5, 6)
    assert insights.no_show_rate == 1 / 8
    assert (insights.repeat_share, insights.repeat_base) == (2 / 5, 5)
    assert insights.levels == {"core": 2, "active": 2, "occasional": 0, "peripheral": 2}
    assert (insights.presenters, insights.presenter_sessions) == (3, 3)
    assert (insights.takeaways, insights.takeaways_per_session) == (3, 1.0)
    assert (insights.freshness.active, insights.freshness.fresh, insights.freshness.percent) == (
        3,
        2,
        67,
    )
    assert insights.teams == 3


def test_insight_charts_match_the_hand_computed_values(dataset):
    insights = community_insights(dataset, months=12)

    assert [row[1] for row in insights.chart("members").rows] == [
        4,
        4,
        5,
        5,
        5,
        5,
        5,
        5,
        6,
        6,
        5,
        6,
    ]
    assert insights.chart("members").rows[0][0] == "2029-07"
    sessions = insights.chart("sessions").rows
    assert [row[1:] for row in sessions] == [
        [3, 4, 1, "25", 2],
        [3, 2, 0, "0", 1],
        [2, 2, 0, "0", 0],
    ]
    assert sessions[0][0].startswith("2030-02-10 ")
    assert insights.chart("formats").rows == [
        ["Other formats (fewer than 5 people each)", 3, 2.7, "12"]
    ]
    assert insights.chart("teams").rows == [["Other teams (fewer than 5 people each)", 5]]
    assert insights.chart("participation").rows == [
        ["core (half of the sessions or more)", 2],
        ["active (a quarter up to half)", 2],
        ["occasional (less than a quarter)", 0],
        ["peripheral (none)", 2],
    ]
    takeaways = {row[0]: row[1:] for row in insights.chart("takeaways").rows}
    assert takeaways["2030-02"] == [2.0, 2, 1]
    assert takeaways["2030-04"] == [1.0, 1, 1]
    assert takeaways["2030-05"] == [0.0, 0, 1]


def test_a_shorter_period_counts_only_its_sessions(dataset):
    insights = community_insights(dataset, months=3)  # from 2030-03-15: S2 and S3

    assert (insights.sessions, insights.attendees, insights.no_show_rate) == (2, 4, 0.0)
    assert insights.repeat_share == 1 / 4  # A came twice; B, F, G once
    # Participation and presenters keep their own windows (6 and 12 months).
    assert insights.levels == {"core": 2, "active": 2, "occasional": 0, "peripheral": 2}
    assert insights.presenters == 3
    # Reach: Platform (A, B) and Security (G); D came only before the period, F has no team.
    assert insights.teams == 2
    assert insights.chart("teams").rows == [["Other teams (fewer than 5 people each)", 4]]


def test_groups_of_five_or_more_are_broken_down(dataset):
    """Five more Platform people at S1: Platform (7) is shown on its own, the rest together;
    brown bags now have 9 attendees: (8 + 2) / 2 sessions = 5.0, 1 no-show of 11 going = 9 %."""
    s1 = dataset.sessions.get(start__month=2)
    for n in range(5):
        person = UserFactory(email=f"extra{n}@insights.example", team="Platform")
        s1.rsvps.create(user=person, status="going", attended=True)

    insights = community_insights(dataset, months=12)

    assert insights.chart("teams").rows == [
        ["Platform", 7],
        ["Other teams (fewer than 5 people each)", 3],
    ]
    assert insights.chart("formats").rows == [
        ["brown-bag lunch", 2, 5.0, "9"],
        ["Other formats (fewer than 5 people each)", 1, 3.0, "0"],
    ]


def test_participation_is_not_broken_down_under_five_members(time_machine):
    community = CommunityFactory()
    for _ in range(4):
        MembershipFactory(community=community)

    insights = community_insights(community)

    assert insights.levels is None
    assert insights.chart("participation") is None


def test_organisation_insights_add_up_every_community(dataset):
    other = CommunityFactory()
    start = insights_dataset.TODAY - timedelta(days=3)
    SessionFactory(community=other, start=start, end=start + timedelta(hours=1)).rsvps.create(
        user=UserFactory(team="Data"), status="going"
    )

    insights = organisation_insights(viewer=StaffFactory(), months=12)

    assert (insights.sessions, insights.attendees, insights.teams) == (4, 6, 3)


def test_charts_are_svg_with_a_text_alternative():
    bars = bar_chart("chart-x", "Per format", [("brown bag", 3), ("<script>", 1.5)])
    line = line_chart("chart-y", "Members", [("2030-01", 4), ("2030-02", 5)])

    assert bars.startswith('<svg class="chart" viewBox="0 0 720 126" role="img"')
    assert '<title id="chart-x-title">Per format</title>' in bars
    assert "&lt;script&gt;" in bars and "<script>" not in bars
    assert bars.count('<rect class="chart-bar"') == 2
    assert "style=" not in bars + line  # CSP: colours come from the stylesheet
    assert '<polyline class="chart-line" points="44,' in line


def test_head_count_ticks_are_whole_numbers():
    assert nice_ticks(3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(7, whole=True) == [0, 2, 4, 6, 8]
    assert nice_ticks(1, whole=True) == [0, 1]
    assert nice_ticks(0.6, whole=False) == [0, 0.2, 0.4, 0.6000000000000001]
    line = line_chart("chart-m", "Members", [("2030-01", 1), ("2030-02", 3)])
    ticks = re.findall(r'<text class="chart-tick"[^>]*>([^<]*)</text>', line)
    assert ticks == ["0", "1", "2", "3"]


def test_chart_numbers_use_the_language_decimal_mark():
    points = [("brown bag", 1.5), ("workshop", 3)]
    with translation.override("nl"):
        dutch = bar_chart("chart-f", "Per format", points)
    with translation.override("en"):
        english = bar_chart("chart-f", "Per format", points)

    assert '<text class="chart-value" x="' in dutch
    assert ">1,5</text>" in dutch and ">1.5</text>" not in dutch
    assert ">1.5</text>" in english
    assert "brown bag: 1,5; workshop: 3" in dutch


def test_categories_are_horizontal_bars_with_whole_labels_and_months_stay_vertical():
    long_label = "core (half of the sessions or more)"
    categories = bar_chart("chart-p", "Levels", [(long_label, 2), ("peripheral (none)", 1)])
    months = bar_chart("chart-t", "Per month", [("2030-01", 2), ("2030-02", 1)])

    assert '<tspan x="222" dy="0">core (half of the sessions or</tspan>' in categories
    assert '<tspan x="222" dy="15">more)</tspan>' in categories
    assert 'text-anchor="end">peripheral (none)</text>' in categories
    assert 'text-anchor="middle">2030-01</text>' in months


def test_a_single_value_is_not_drawn():
    one = Chart(key="formats", title="Per format", columns=["Format", "n"], rows=[["talk", 4]])
    two = Chart(key="formats", title="Per format", columns=["F", "n"], rows=[["a", 4], ["b", 1]])

    assert draw(one) == ""
    assert draw(two).startswith('<svg class="chart"')


# --- the pages -------------------------------------------------------------------------------


def test_insights_page_shows_charts_tables_and_csv(client, dataset):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, community=dataset, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"

    page = client.get("/communities/insights-gilde/insights/").content.decode()
    download = client.get("/communities/insights-gilde/insights/?download=members")

    # Formats and teams hold one row each here ("others, fewer than 5"): a table, no bar.
    assert page.count('<svg class="chart"') == 4
    assert page.count('<table class="data-table">') == 6
    assert "?months=12&amp;download=members" in page
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == (
        'attachment; filename="insights-insights-gilde-members.csv"'
    )
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Month", "Members"]
    assert [int(row[1]) for row in rows[1:]] == [4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 5, 7]


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_insights_page_queries_do_not_grow_with_the_data(client, dataset):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, community=dataset, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)
    session = dataset.sessions.first()
    Takeaway.objects.bulk_create(
        Takeaway(session=session, title=f"T{n}", visibility="organisation") for n in range(10)
    )
    few = _queries(client, "/communities/insights-gilde/insights/")
    Takeaway.objects.bulk_create(
        Takeaway(session=session, title=f"T{n}", visibility="organisation") for n in range(990)
    )
    for n in range(20):
        start = insights_dataset.TODAY - timedelta(days=n + 1)
        held = SessionFactory(community=dataset, start=start, end=start + timedelta(hours=1))
        held.rsvps.create(user=UserFactory(), status="going")
    many = _queries(client, "/communities/insights-gilde/insights/")

    assert (few, many) == (INSIGHTS_QUERIES, INSIGHTS_QUERIES)


# session + user (2), the community with its topics and leads (3), may manage (1), the figures,
# each an aggregate in the database: sessions per day and format, attendance per team (totals,
# repeaters, teams and participation levels in one pass), hosts, takeaways per day, freshness,
# formats, members per month end, the per-session rows, members now (9), organisation
# settings (1).
INSIGHTS_QUERIES = 16
