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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from events.models import Rsvp, Session, Takeaway
from events.takeaways.rules import add_months
from events.takeaways.selectors.freshness import Freshness, freshness_of

MIN_GROUP = 5
PARTICIPATION_MONTHS = 6
PRESENTER_MONTHS = 12
PERIODS = (3, 6, 12, 24)
SESSION_ROWS_SHOWN = 50


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


def _attended(status: str, attended: bool | None) -> bool:
    return attended is True or (attended is None and status == Rsvp.Status.GOING)


def _no_show(status: str, attended: bool | None) -> bool:
    return status == Rsvp.Status.GOING and attended is False


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


def community_insights(
    community: Community, *, months: int = 12, today: date | None = None
) -> Insights:
    return _insights(
        sessions=Session.objects.filter(community=community),
        memberships=Membership.objects.filter(community=community),
        takeaways=Takeaway.objects.filter(session__community=community),
        months=months,
        today=today,
    )


def organisation_insights(*, months: int = 12, today: date | None = None) -> Insights:
    """The whole organisation (staff): every community's and organisation-wide sessions."""
    return _insights(
        sessions=Session.objects.all(),
        memberships=Membership.objects.all(),
        takeaways=Takeaway.objects.all(),
        months=months,
        today=today,
    )


def _insights(
    *,
    sessions: QuerySet[Session],
    memberships: QuerySet[Membership],
    takeaways: QuerySet[Takeaway],
    months: int,
    today: date | None,
) -> Insights:
    today = today or timezone.localdate()
    now = timezone.now()
    period_start = add_months(today, -months)
    participation_start = add_months(today, -PARTICIPATION_MONTHS)
    presenter_start = add_months(today, -PRESENTER_MONTHS)
    earliest = min(period_start, participation_start, presenter_start)
    result = Insights(months=months, period_start=period_start, today=today)

    held = sessions.filter(
        state=Session.State.SCHEDULED, end__lte=now, start__gte=_aware(earliest)
    ).order_by("start", "id")
    # Query 1: the sessions held since the earliest window.
    session_rows = list(held.values("id", "title", "start", "format"))
    in_period = [s for s in session_rows if timezone.localdate(s["start"]) >= period_start]
    period_ids = {s["id"] for s in in_period}
    six_month_ids = {
        s["id"] for s in session_rows if timezone.localdate(s["start"]) >= participation_start
    }
    twelve_month_ids = [
        s["id"] for s in session_rows if timezone.localdate(s["start"]) >= presenter_start
    ]
    # Query 2: their answers, with the people's teams.
    answers = list(
        Rsvp.objects.filter(session__in=held)
        .filter(Q(status=Rsvp.Status.GOING) | Q(attended=True))
        .values_list("session_id", "user_id", "status", "attended", "user__team")
    )
    # Query 3: the hosts of the last 12 months' sessions.
    hosts = (
        Session.hosts.through.objects.filter(session_id__in=held.values("id"))
        .filter(session__start__gte=_aware(presenter_start))
        .values_list("user_id", flat=True)
        .distinct()
    )
    result.presenters = len(set(hosts))
    result.presenter_sessions = len(twelve_month_ids)
    # Query 4: memberships (for members over time and participation).
    membership_rows = list(
        memberships.filter(state__in=[Membership.State.ACTIVE, Membership.State.LEFT]).values_list(
            "user_id", "state", "joined_at", "created_at", "left_at"
        )
    )
    # Query 5: takeaways written on the period's sessions.
    takeaway_counts = Counter(
        dict(
            takeaways.filter(
                session_id__in=held.filter(start__gte=_aware(period_start)).values("id")
            )
            .order_by()
            .values("session_id")
            .annotate(total=Count("id"))
            .values_list("session_id", "total")
        )
    )
    # Query 6: freshness.
    result.freshness = freshness_of(takeaways, today=today)

    # Per session and per format.
    per_session = defaultdict(lambda: {"going": 0, "attended": 0, "no_show": 0})
    attended_by_person: Counter = Counter()
    six_month_attended: Counter = Counter()
    teams_of_attendees: dict[int, str] = {}
    format_people: dict[str, set] = defaultdict(set)
    format_of = {s["id"]: s["format"] for s in session_rows}
    for session_id, user_id, status, attended, team in answers:
        figures = per_session[session_id]
        if status == Rsvp.Status.GOING:
            figures["going"] += 1
        came = _attended(status, attended)
        if came:
            figures["attended"] += 1
        if _no_show(status, attended):
            figures["no_show"] += 1
        if came and session_id in period_ids:
            attended_by_person[user_id] += 1
            teams_of_attendees[user_id] = (team or "").strip()
            format_people[format_of[session_id]].add(user_id)
        if came and session_id in six_month_ids:
            six_month_attended[user_id] += 1

    result.sessions = len(in_period)
    result.attendees = len(attended_by_person)
    going_total = sum(per_session[s["id"]]["going"] for s in in_period)
    no_show_total = sum(per_session[s["id"]]["no_show"] for s in in_period)
    result.no_show_rate = _rate(no_show_total, going_total)
    repeaters = sum(1 for count in attended_by_person.values() if count >= 2)
    result.repeat_base = len(attended_by_person)
    result.repeat_share = _rate(repeaters, len(attended_by_person))
    result.takeaways = sum(takeaway_counts.values())
    result.takeaways_per_session = _rate(result.takeaways, result.sessions)
    teams = {team for team in teams_of_attendees.values() if team}
    result.teams = len(teams)

    labels = dict(Session.Format.choices)
    result.charts.append(_members_chart(membership_rows, today=today, months=months))
    result.charts.append(
        Chart(
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
                    f"{timezone.localdate(s['start']).isoformat()} {s['title']}",
                    per_session[s["id"]]["attended"],
                    per_session[s["id"]]["going"],
                    per_session[s["id"]]["no_show"],
                    _pct(_rate(per_session[s["id"]]["no_show"], per_session[s["id"]]["going"])),
                    takeaway_counts.get(s["id"], 0),
                ]
                for s in in_period
            ],
        )
    )
    result.charts.append(_format_chart(in_period, per_session, format_people, labels))
    result.charts.append(_takeaways_chart(in_period, takeaway_counts, today=today, months=months))
    result.charts.append(_teams_chart(teams_of_attendees))
    active_members = {
        user_id for user_id, state, *_rest in membership_rows if state == Membership.State.ACTIVE
    }
    result.members_now = len(active_members)
    result.levels = _levels(active_members, six_month_attended, len(six_month_ids))
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


def _levels(members: set[int], attended: Counter, sessions: int) -> dict[str, int] | None:
    if len(members) < MIN_GROUP:
        return None
    levels = {"core": 0, "active": 0, "occasional": 0, "peripheral": 0}
    for user_id in members:
        count = attended.get(user_id, 0)
        share = count / sessions if sessions else 0
        if count == 0:
            levels["peripheral"] += 1
        elif share >= 0.5:
            levels["core"] += 1
        elif share >= 0.25:
            levels["active"] += 1
        else:
            levels["occasional"] += 1
    return levels


def _members_chart(rows, *, today: date, months: int) -> Chart:
    points = []
    for end in _month_ends(today, months):
        people = set()
        for user_id, _state, joined_at, created_at, left_at in rows:
            joined = timezone.localdate(joined_at or created_at)
            if joined <= end and (left_at is None or timezone.localdate(left_at) > end):
                people.add(user_id)
        points.append([end.strftime("%Y-%m"), len(people)])
    return Chart(
        key="members",
        title=_("Members over time"),
        columns=[_("Month"), _("Members")],
        rows=points,
        kind="line",
    )


def _format_chart(in_period, per_session, format_people, labels) -> Chart:
    by_format = defaultdict(lambda: {"sessions": 0, "attended": 0, "going": 0, "no_show": 0})
    other = _("Other formats (fewer than 5 people each)")
    for session in in_period:
        key = session["format"]
        if len(format_people.get(key, ())) < MIN_GROUP:
            key = other
        figures = per_session[session["id"]]
        row = by_format[key]
        row["sessions"] += 1
        row["attended"] += figures["attended"]
        row["going"] += figures["going"]
        row["no_show"] += figures["no_show"]
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


def _takeaways_chart(in_period, counts, *, today: date, months: int) -> Chart:
    per_month_sessions: Counter = Counter()
    per_month_takeaways: Counter = Counter()
    for session in in_period:
        month = timezone.localdate(session["start"]).strftime("%Y-%m")
        per_month_sessions[month] += 1
        per_month_takeaways[month] += counts.get(session["id"], 0)
    rows = []
    for end in _month_ends(today, months):
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


def _teams_chart(teams_of_attendees: dict[int, str]) -> Chart:
    people = Counter(team or _("no team given") for team in teams_of_attendees.values())
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
