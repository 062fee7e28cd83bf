"""Insights for coordinators (a community) and staff (the organisation): aggregates only.

ARCHITECTURE.md rule 11: no per-person figures; a group smaller than ``MIN_GROUP`` people is not broken
down further (formats and teams with fewer attendees are merged into "other"; participation
levels are not shown for fewer members). Every figure is computed from a constant number of
queries, whatever the number of sessions.

Definitions (also on the page):

- a session counts when it was not cancelled and has ended, within the period;
- someone *attended* when attendance says so, or, where the hosts did not take attendance, when
  they were going; a *no-show* was going and is marked as not attended;
- no-show rate = no-shows ÷ people going (of sessions where anyone was going);
- repeat attendance = share of the period's attendees who came to at least 2 sessions;
- participation levels (last 6 months, active members now): core attended ≥ 50 % of the
  community's sessions, active 25–50 %, occasional more than 0 and under 25 %, peripheral none;
- presenter diversity = distinct hosts of the sessions of the last 12 months;
- takeaways per session = takeaways written on the period's sessions ÷ those sessions;
- freshness = active takeaways reviewed within their window ÷ active takeaways;
- reach = distinct teams among the period's attendees.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communities.models import Community, Membership, User
from communities.selectors import communities_visible_to
from events.insights.attendance import attendance_per_team, came_q, no_show_q
from events.models import Rsvp, Session, Takeaway
from events.sessions.selectors import sessions_visible_to
from events.takeaways.rules import add_months
from events.takeaways.selectors.freshness import Freshness, freshness_of

MIN_GROUP = 5
PARTICIPATION_MONTHS = 6
PRESENTER_MONTHS = 12
PERIODS = (3, 6, 12, 24)
SESSION_ROWS_SHOWN = 50
ORGANISATION_CACHE_SECONDS = 600


@dataclass
class Chart:
    """One chart: its data as columns + rows (the table and the CSV) and how to draw it."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    kind: str = "bar"  # "bar" | "line"
    value_column: int = 1
    note: str = ""
    percent: bool = False

    @property
    def points(self) -> list[tuple[str, float]]:
        return [(str(row[0]), float(row[self.value_column] or 0)) for row in self.rows]

    @property
    def shown_rows(self) -> list[list]:
        return self.rows[-SESSION_ROWS_SHOWN:] if self.key == "sessions" else self.rows


@dataclass
class Insights:
    months: int
    period_start: date
    today: date
    sessions: int = 0
    attendees: int = 0
    members_now: int = 0
    no_show_rate: float | None = None
    repeat_share: float | None = None
    repeat_base: int = 0
    presenters: int = 0
    presenter_sessions: int = 0
    takeaways: int = 0
    takeaways_per_session: float | None = None
    freshness: Freshness | None = None
    teams: int = 0
    levels: dict[str, int] | None = None
    charts: list[Chart] = field(default_factory=list)

    def chart(self, key: str) -> Chart | None:
        return next((chart for chart in self.charts if chart.key == key), None)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the last ``months`` months (today for the current one)."""
    first = today.replace(day=1)
    ends = []
    for back in range(months - 1, -1, -1):
        start = add_months(first, -back)
        end = add_months(start, 1) - timedelta(days=1)
        ends.append(min(end, today))
    return ends


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


def community_insights(
    community: Community, *, months: int = 12, today: date | None = None
) -> Insights:
    """A community's figures for its coordinators (who manage all of its sessions), with one
    row per held session."""
    return _insights(
        sessions=Session.objects.filter(community=community),
        memberships=Membership.objects.filter(community=community),
        months=months,
        today=today,
        per_session=True,
    )


def organisation_insights(*, viewer: User, months: int = 12, today: date | None = None) -> Insights:
    """The organisation (staff), by construction only over what ``viewer`` may see: the sessions
    of ``sessions_visible_to(viewer)`` and the memberships of ``communities_visible_to(viewer)``.
    A private community or intervision group the viewer is not in adds nothing, not even a
    count. No per-session table: aggregates only, so the page stays the same size at any scale."""
    return _insights(
        sessions=sessions_visible_to(viewer),
        memberships=Membership.objects.filter(community__in=communities_visible_to(viewer)),
        months=months,
        today=today,
        per_session=False,
    )


def organisation_insights_cached(*, viewer: User, months: int = 12) -> Insights:
    """``organisation_insights`` as the page serves it: kept in the cache for
    ``ORGANISATION_CACHE_SECONDS`` per what decides the viewer's visibility (their active
    memberships), the communities' last change (a visibility change or archiving computes
    afresh), the period, the day and the language. At organisation scale the figures cost
    seconds of aggregation over every answer; a dashboard a few minutes old is what staff expect.
    Two small queries when cached."""
    communities = Community.objects.aggregate(
        changed=Max("updated_at"),
        total=Count("id"),
        open=Count("id", filter=Q(visibility=Community.Visibility.PUBLIC, archived=False)),
    )
    member_of = sorted(
        Membership.objects.filter(user=viewer, state=Membership.State.ACTIVE).values_list(
            "community_id", flat=True
        )
    )
    scope = hashlib.sha256(repr((member_of, sorted(communities.items()))).encode()).hexdigest()[:32]
    key = f"insights:organisation:{months}:{timezone.localdate()}:{get_language()}:{scope}"
    found = cache.get(key)
    if found is None:
        found = organisation_insights(viewer=viewer, months=months)
        cache.set(key, found, ORGANISATION_CACHE_SECONDS)
    return found


def _insights(
    *,
    sessions: QuerySet[Session],
    memberships: QuerySet[Membership],
    months: int,
    today: date | None,
    per_session: bool,
) -> Insights:
    """Every figure is an aggregate computed by the database, in a constant number of queries
    whatever the number of sessions, answers or members (nothing is loaded per row)."""
    today = today or timezone.localdate()
    now = timezone.now()
    period_start = add_months(today, -months)
    participation_start = add_months(today, -PARTICIPATION_MONTHS)
    presenter_start = add_months(today, -PRESENTER_MONTHS)
    earliest = min(period_start, participation_start, presenter_start)
    answers_start = min(period_start, participation_start)
    result = Insights(months=months, period_start=period_start, today=today)

    held = sessions.filter(
        state=Session.State.SCHEDULED, end__lte=now, start__gte=_aware(earliest)
    ).order_by()
    in_period = held.filter(start__gte=_aware(period_start))
    # Query 1: held sessions per local day and format (a few hundred rows at most).
    per_day = list(
        held.annotate(day=TruncDate("start"))
        .values("day", "format")
        .annotate(total=Count("id"))
        .values_list("day", "format", "total")
    )
    sessions_in_period = sum(total for day, _f, total in per_day if day >= period_start)
    six_month_sessions = sum(total for day, _f, total in per_day if day >= participation_start)
    result.sessions = sessions_in_period
    result.presenter_sessions = sum(total for day, _f, total in per_day if day >= presenter_start)
    period_answers = Rsvp.objects.filter(session__in=in_period.values("id"))
    # Query 2: attendance over the period, the repeaters, the attendees per team and the
    # participation levels, in one pass over the answers (at organisation scale each pass
    # reads a million rows).
    active = memberships.filter(state=Membership.State.ACTIVE)
    per_team = attendance_per_team(
        Rsvp.objects.filter(session__in=held.filter(start__gte=_aware(answers_start)).values("id")),
        period_start=_aware(period_start),
        participation_start=_aware(participation_start),
        active=active,
        sessions=six_month_sessions,
    )
    result.attendees = sum(row.people for row in per_team)
    result.no_show_rate = _rate(
        sum(row.no_show for row in per_team), sum(row.going for row in per_team)
    )
    repeaters = sum(row.repeaters for row in per_team)
    result.repeat_base = result.attendees
    result.repeat_share = _rate(repeaters, result.attendees)
    # Query 3: distinct hosts of the last 12 months.
    result.presenters = (
        Session.hosts.through.objects.filter(
            session_id__in=held.filter(start__gte=_aware(presenter_start)).values("id")
        )
        .values("user_id")
        .distinct()
        .count()
    )
    # Query 4: takeaways written on the period's sessions, per local day.
    takeaways_per_day = list(
        Takeaway.objects.filter(session__in=in_period.values("id"))
        .annotate(day=TruncDate("session__start"))
        .order_by()
        .values("day")
        .annotate(total=Count("id"))
        .values_list("day", "total")
    )
    result.takeaways = sum(total for _day, total in takeaways_per_day)
    result.takeaways_per_session = _rate(result.takeaways, result.sessions)
    # Query 5: freshness of the takeaways of these sessions.
    result.freshness = freshness_of(
        Takeaway.objects.filter(session__in=sessions.values("id")), today=today
    )
    team_rows = [(row.team, row.people) for row in per_team if row.people]
    result.teams = sum(1 for team, _people in team_rows if team)
    # Query 6: attendance per format.
    format_rows = list(
        period_answers.order_by()
        .values("session__format")
        .annotate(
            n_going=Count("id", filter=Q(status=Rsvp.Status.GOING)),
            n_came=Count("id", filter=came_q()),
            n_no_show=Count("id", filter=no_show_q()),
            n_people=Count("user_id", distinct=True, filter=came_q()),
        )
        .values_list("session__format", "n_going", "n_came", "n_no_show", "n_people")
    )
    # Query 7: members at each month end.
    active_or_left = memberships.filter(state__in=[Membership.State.ACTIVE, Membership.State.LEFT])
    month_ends = _month_ends(today, months)
    result.charts.append(_members_chart(active_or_left, month_ends))
    if per_session:
        # Query 8: one row per held session of the period (a community's own sessions).
        result.charts.append(_sessions_chart(in_period))
    labels = dict(Session.Format.choices)
    sessions_per_format = Counter()
    for day, session_format, total in per_day:
        if day >= period_start:
            sessions_per_format[session_format] += total
    result.charts.append(_format_chart(sessions_per_format, format_rows, labels))
    result.charts.append(
        _takeaways_chart(per_day, takeaways_per_day, period_start=period_start, ends=month_ends)
    )
    result.charts.append(_teams_chart(team_rows))
    # Query 9: the active members (for the participation levels of the last 6 months).
    result.members_now = active.order_by().values("user_id").distinct().count()
    core = sum(row.core for row in per_team)
    active_level = sum(row.active for row in per_team)
    occasional = sum(row.occasional for row in per_team)
    levels = {
        "core": core,
        "active": active_level,
        "occasional": occasional,
        "peripheral": result.members_now - core - active_level - occasional,
    }
    result.levels = levels if result.members_now >= MIN_GROUP else None
    if result.levels is not None:
        result.charts.append(
            Chart(
                key="participation",
                title=_("Participation in the last 6 months"),
                columns=[_("Level"), _("Members")],
                rows=[
                    [_("core (half of the sessions or more)"), result.levels["core"]],
                    [_("active (a quarter up to half)"), result.levels["active"]],
                    [_("occasional (less than a quarter)"), result.levels["occasional"]],
                    [_("peripheral (none)"), result.levels["peripheral"]],
                ],
            )
        )
    return result


def _sessions_chart(in_period: QuerySet[Session]) -> Chart:
    going = Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING), distinct=True)
    rows = list(
        in_period.annotate(
            going=going,
            came=Count("rsvps", filter=Q(rsvps__attended=True)
                       | Q(rsvps__attended__isnull=True, rsvps__status=Rsvp.Status.GOING),
                       distinct=True),
            no_shows=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING,
                                             rsvps__attended=False), distinct=True),
            written=Coalesce(
                Subquery(
                    Takeaway.objects.filter(session=OuterRef("pk"))
                    .order_by()
                    .values("session")
                    .annotate(total=Count("id"))
                    .values("total"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("start", "id")
        .values_list("start", "title", "came", "going", "no_shows", "written")
    )  # fmt: skip
    return Chart(
        key="sessions",
        title=_("Attendance per session"),
        columns=[
            _("Session"),
            _("Attended"),
            _("Going"),
            _("No-shows"),
            _("No-show rate (%)"),
            _("Takeaways"),
        ],
        rows=[
            [
                f"{timezone.localdate(start).isoformat()} {title}",
                came,
                going,
                no_shows,
                _pct(_rate(no_shows, going)),
                written,
            ]
            for start, title, came, going, no_shows, written in rows
        ],
    )


def _members_chart(rows: QuerySet[Membership], ends: list[date]) -> Chart:
    """Distinct members at each month end, counted by the database in one query: joined on or
    before that day (local time) and not left by its end."""
    figures = {}
    for index, end in enumerate(ends):
        next_day = _aware(end + timedelta(days=1))
        member_then = Q(joined_on__lt=next_day) & (
            Q(left_at__isnull=True) | Q(left_at__gte=next_day)
        )
        figures[f"m{index}"] = Count("user_id", distinct=True, filter=member_then)
    counts = rows.annotate(joined_on=Coalesce("joined_at", "created_at")).aggregate(**figures)
    return Chart(
        key="members",
        title=_("Members over time"),
        columns=[_("Month"), _("Members")],
        rows=[[end.strftime("%Y-%m"), counts[f"m{index}"]] for index, end in enumerate(ends)],
        kind="line",
    )


def _format_chart(sessions_per_format: Counter, format_rows, labels) -> Chart:
    by_format = defaultdict(lambda: {"sessions": 0, "attended": 0, "going": 0, "no_show": 0})
    other = _("Other formats (fewer than 5 people each)")
    answered = {row[0]: row[1:] for row in format_rows}
    for session_format, total in sessions_per_format.items():
        going, attended, no_show, people = answered.get(session_format, (0, 0, 0, 0))
        key = session_format if people >= MIN_GROUP else other
        row = by_format[key]
        row["sessions"] += total
        row["attended"] += attended
        row["going"] += going
        row["no_show"] += no_show
    rows = []
    for key, row in sorted(by_format.items(), key=lambda item: (item[0] == other, str(item[0]))):
        rows.append(
            [
                labels.get(key, key),
                row["sessions"],
                round(row["attended"] / row["sessions"], 1) if row["sessions"] else 0,
                _pct(_rate(row["no_show"], row["going"])),
            ]
        )
    return Chart(
        key="formats",
        title=_("Attendance per format"),
        columns=[
            _("Format"),
            _("Sessions"),
            _("Average attendance"),
            _("No-show rate (%)"),
        ],
        rows=rows,
        value_column=2,
    )


def _takeaways_chart(per_day, takeaways_per_day, *, period_start: date, ends) -> Chart:
    per_month_sessions: Counter = Counter()
    per_month_takeaways: Counter = Counter()
    for day, _format, total in per_day:
        if day >= period_start:
            per_month_sessions[day.strftime("%Y-%m")] += total
    for day, total in takeaways_per_day:
        per_month_takeaways[day.strftime("%Y-%m")] += total
    rows = []
    for end in ends:
        month = end.strftime("%Y-%m")
        held = per_month_sessions[month]
        written = per_month_takeaways[month]
        rows.append([month, round(written / held, 2) if held else 0, written, held])
    return Chart(
        key="takeaways",
        title=_("Takeaways per session"),
        columns=[_("Month"), _("Takeaways per session"), _("Takeaways"), _("Sessions")],
        rows=rows,
    )


def _teams_chart(team_rows) -> Chart:
    people: Counter = Counter()
    for team, count in team_rows:
        people[team or _("no team given")] += count
    other = _("Other teams (fewer than 5 people each)")
    merged: Counter = Counter()
    for team, count in people.items():
        merged[team if count >= MIN_GROUP else other] += count
    rows = sorted(
        ([team, count] for team, count in merged.items()),
        key=lambda row: (row[0] == other, -row[1], row[0]),
    )
    return Chart(
        key="teams",
        title=_("Reach across teams"),
        columns=[_("Team"), _("Attendees")],
        rows=rows,
        note=_("Teams with fewer than 5 attendees are counted together."),
    )
