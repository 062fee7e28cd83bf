"""A person's learning record: sessions attended, intervision hours, shadowing days and
journeys completed, with hours per year. What it holds is what a statement may show: date,
hours, form of learning, a title and the facilitator's name; never an intervision case, its
group's name or its other members."""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from communities.models import User
from events.models import Rsvp, Session
from intervision.models import Attendance, IntervisionSession
from learning.journeys.models import Journey
from learning.record.models import Statement

FORMS = ("session", "intervision", "shadowing", "journey")


@dataclass(frozen=True)
class LearningLine:
    date: date
    hours: Decimal
    form: str  # one of FORMS
    title: str
    facilitator: str

    def as_json(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["hours"] = str(self.hours)
        return data


def hours_between(start, end) -> Decimal:
    seconds = Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _attended(user: User) -> QuerySet[Rsvp]:
    return (
        Rsvp.objects.filter(
            user=user,
            status=Rsvp.Status.GOING,
            session__state=Session.State.SCHEDULED,
            session__end__lte=timezone.now(),
        )
        .exclude(attended=False)
        .exclude(session__format=Session.Format.INTERVISION)
    )


def learning_lines(
    user: User, *, start: date | None = None, end: date | None = None
) -> list[LearningLine]:
    """Every line of the record, oldest first, optionally within [start, end]."""
    lines: list[LearningLine] = []
    rsvps = (
        _attended(user)
        .select_related("session__shadowing__offer__host")
        .prefetch_related(
            Prefetch("session__hosts", queryset=User.objects.order_by("display_name", "id"))
        )
    )
    for rsvp in rsvps:
        session = rsvp.session
        shadowing = getattr(session, "shadowing", None)
        day = timezone.localtime(session.start).date()
        if shadowing is not None:
            lines.append(
                LearningLine(
                    day,
                    hours_between(session.start, session.end),
                    "shadowing",
                    shadowing.offer.title,
                    shadowing.offer.host.name,
                )
            )
        else:
            hosts = ", ".join(host.name for host in session.hosts.all())
            lines.append(
                LearningLine(
                    day, hours_between(session.start, session.end), "session", session.title, hosts
                )
            )
    attended = Attendance.objects.filter(
        user=user, present=True, isession__state=IntervisionSession.State.CLOSED
    ).select_related("isession__session", "isession__method", "isession__facilitator")
    for row in attended:
        isession = row.isession
        lines.append(
            LearningLine(
                timezone.localtime(isession.session.start).date(),
                hours_between(isession.session.start, isession.session.end),
                "intervision",
                isession.method.name,
                isession.facilitator.name if isession.facilitator else "",
            )
        )
    completed = Journey.objects.filter(newcomer=user, state=Journey.State.COMPLETED).select_related(
        "template", "supervisor"
    )
    for journey in completed:
        lines.append(
            LearningLine(
                timezone.localtime(journey.completed_at).date(),
                Decimal("0.00"),
                "journey",
                journey.template.title,
                journey.supervisor.name if journey.supervisor else "",
            )
        )
    lines.sort(key=lambda line: (line.date, line.form, line.title))
    return [
        line
        for line in lines
        if (start is None or line.date >= start) and (end is None or line.date <= end)
    ]


def hours_per_year(lines: list[LearningLine]) -> list[dict]:
    """Per year: hours per form of learning and in total, newest year first."""
    years: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(FORMS, Decimal(0)))
    for line in lines:
        years[line.date.year][line.form] += line.hours
    return [
        {"year": year, **forms, "total": sum(forms.values(), Decimal(0))}
        for year, forms in sorted(years.items(), reverse=True)
    ]


def statements_of(user: User) -> QuerySet[Statement]:
    return Statement.objects.filter(user=user).order_by("-issued_at", "-id")


def statement_of(*, user: User, statement_id: int) -> Statement | None:
    return statements_of(user).filter(pk=statement_id).first()


def statement_by_public_id(public_id: str) -> Statement | None:
    return Statement.objects.filter(public_id=public_id).first()
