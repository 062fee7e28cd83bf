"""Attendance figures of the insights in one pass over the answers (see selectors.py for the
definitions): per person first, then per team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, Q, QuerySet

from communities.models import Membership, User
from events.models import Rsvp


def came_q() -> Q:
    """Attended: attendance says so, or attendance was not taken and they were going."""
    return Q(attended=True) | Q(attended__isnull=True, status=Rsvp.Status.GOING)


def no_show_q() -> Q:
    return Q(status=Rsvp.Status.GOING, attended=False)


@dataclass(frozen=True)
class TeamAttendance:
    """One team's figures ('' for no team given): over the period's answers, and the
    participation levels of its active members over the last 6 months."""

    team: str
    people: int  # distinct attendees in the period
    going: int  # answers "going" in the period
    no_show: int  # answers going and marked as not attended, in the period
    repeaters: int  # attendees who came to at least 2 of the period's sessions
    core: int  # active members who came to half of the last 6 months' sessions or more
    active: int  # a quarter up to half
    occasional: int  # more than none, less than a quarter


def attendance_per_team(
    answers: QuerySet[Rsvp],
    *,
    period_start: datetime,
    participation_start: datetime,
    active: QuerySet[Membership],
    sessions: int,
) -> list[TeamAttendance]:
    """Attendance figures per team in one query over ``answers`` (those of the held sessions
    since the earlier of both starts): grouped per person first (how often they came, were
    going, did not show in the period; how often they came in the last 6 months; whether they
    are an active member), then those people per team. The totals are the sums over the teams,
    since every person has one team: one pass over the answers instead of one per figure.

    Levels: share ≥ 0.5 of ``sessions`` ⇔ came ≥ ⌈sessions / 2⌉; share ≥ 0.25 ⇔ came ≥
    ⌈sessions / 4⌉; only people who came at least once have a level here (the rest of the active
    members are peripheral)."""
    in_period = Q(session__start__gte=period_start)
    in_six_months = Q(session__start__gte=participation_start)
    # Grouped by person only: the team and membership are looked up once per person (50,000
    # rows at organisation scale), not once per answer (a million).
    per_person = (
        answers.order_by()
        .values("user_id")
        .annotate(
            came=Count("id", filter=came_q() & in_period),
            going=Count("id", filter=Q(status=Rsvp.Status.GOING) & in_period),
            no_show=Count("id", filter=no_show_q() & in_period),
            came_recently=Count("id", filter=came_q() & in_six_months),
        )
    )
    half, quarter = -(-sessions // 2), -(-sessions // 4)
    inner, inner_params = per_person.query.sql_with_params()
    members, members_params = active.order_by().values("user_id").query.sql_with_params()
    member_came = "people.member AND people.came_recently > 0"
    # Constant SQL text around the ORM's own compiled queries; every value is a parameter.
    sql = (
        "SELECT people.team,"  # noqa: S608
        " COUNT(*) FILTER (WHERE people.came > 0),"
        " COALESCE(SUM(people.going), 0)::bigint,"
        " COALESCE(SUM(people.no_show), 0)::bigint,"
        " COUNT(*) FILTER (WHERE people.came >= 2),"
        f" COUNT(*) FILTER (WHERE {member_came} AND people.came_recently >= %s),"
        f" COUNT(*) FILTER (WHERE {member_came} AND people.came_recently >= %s"
        "  AND people.came_recently < %s),"
        f" COUNT(*) FILTER (WHERE {member_came} AND people.came_recently < %s)"
        " FROM (SELECT per_person.*, TRIM(COALESCE(person.team, '')) AS team,"
        f" per_person.user_id IN ({members}) AS member"
        f" FROM ({inner}) per_person"
        f" INNER JOIN {connection.ops.quote_name(User._meta.db_table)} person"
        " ON person.id = per_person.user_id) people"
        " GROUP BY people.team"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [half, quarter, half, quarter, *members_params, *inner_params])
        return [TeamAttendance(*row) for row in cursor.fetchall()]
