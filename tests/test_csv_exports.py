"""Every CSV the app offers is written through ``communities.csv``, so a value a spreadsheet
would run as a formula (a display name ``=HYPERLINK(…)``, a team, a group's name) comes back as
text. Each export is downloaded here with such values in it."""

import ast
import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from communities.csv import csv_safe
from events.models import Rsvp, Takeaway
from intervision.services.closing import intervision_session_close
from intervision.services.live import attendance_set, live_control
from tests.factories import (
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)
from tests.intervision.conftest import ensure_catalogue, make_group

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
LINK = '=HYPERLINK("https://evil.example/","Fleur")'
QUOTED = "'" + LINK


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Anna = Anna", "Anna = Anna"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe_quotes_what_a_spreadsheet_would_run(value, cell):
    assert csv_safe(value) == cell


def test_every_csv_writer_is_the_one_in_communities_csv():
    writers = []
    for app in ("communities", "events", "intervision", "config"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("writer", "DictWriter")
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                ):
                    writers.append(str(path.relative_to(ROOT)))
    assert writers == ["communities/csv.py"]


def test_a_communitys_takeaway_csv_keeps_formulas_as_text(client, community):
    author = UserFactory(display_name=LINK)
    MembershipFactory(user=author, community=community)
    start = timezone.now() - timedelta(days=2)
    session = SessionFactory(community=community, start=start, end=start + timedelta(hours=1))
    RsvpFactory(session=session, user=author)
    TakeawayFactory(
        session=session,
        author=author,
        owner=author,
        title="=1+1",
        body="@SUM(A1:A9)",
        visibility=Takeaway.Visibility.ORGANISATION,
        review_due=timezone.localdate() + timedelta(days=90),
    )
    client.force_login(author)

    table = rows(client.get(f"/communities/{community.slug}/takeaways/?export=csv"))

    header, row = table
    cells = dict(zip(header, row, strict=True))
    assert (cells["title"], cells["body"], cells["author"]) == ("'=1+1", "'@SUM(A1:A9)", QUOTED)


def test_the_insights_csv_of_teams_keeps_a_formula_team_as_text(client, community, coordinator):
    start = timezone.now() - timedelta(days=10)
    session = SessionFactory(community=community, start=start, end=start + timedelta(hours=1))
    for _person in range(5):  # five people: a team big enough to be shown on its own
        person = UserFactory(team=LINK)
        MembershipFactory(user=person, community=community)
        RsvpFactory(session=session, user=person, status=Rsvp.Status.GOING, attended=True)
    client.force_login(coordinator)

    table = rows(client.get(f"/communities/{community.slug}/insights/?download=teams"))

    assert table == [["Team", "Aanwezigen"], [QUOTED, "5"]]


@pytest.fixture
def closed_intervision(db):
    """A closed intervision session of a group called like a formula, attended by a member
    called like one."""
    ensure_catalogue()
    group = make_group(name="=cmd|' /C calc'!A0", slug="formule")
    presenter = group.members[2]
    presenter.display_name = LINK
    presenter.save(update_fields=["display_name"])
    isession = group.schedule(days=0.01)
    live_control(isession_id=isession.pk, actor=group.facilitator, action="start", version=0)
    attendance_set(isession=isession, actor=group.facilitator, present_ids={presenter.pk})
    intervision_session_close(isession_id=isession.pk, actor=group.facilitator)
    return group


def test_the_intervision_attendance_csv_keeps_a_formula_name_as_text(client, closed_intervision):
    client.force_login(closed_intervision.facilitator)

    table = rows(
        client.get(f"/intervision/groups/{closed_intervision.community.slug}/attendance.csv")
    )

    names = sorted(row[3] for row in table[1:])
    assert QUOTED in names
    assert [row[4] for row in table[1:] if row[3] == QUOTED] == ["ja"]


def test_the_intervision_history_csv_keeps_a_formula_group_as_text(client, closed_intervision):
    client.force_login(closed_intervision.members[2])

    table = rows(client.get("/intervision/history.csv"))

    assert [row[3] for row in table[1:]] == ["'=cmd|' /C calc'!A0"]
