"""Reads for intervision; every one that can return group-private data takes the viewer."""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Membership, User
from events.models import Rsvp, Session
from intervision.models import (
    ActionCommitment,
    AgreementAcceptance,
    Attendance,
    Case,
    CaseVote,
    Evaluation,
    GroupSettings,
    IntervisionSession,
    LiveItem,
    Method,
    PhaseRun,
    PresenterCopy,
    SwapRequest,
)
from intervision.rota import RotaMember, propose_presenters, rota_order

MIN_GROUP, MAX_GROUP = 4, 8


def groups_of(user: User) -> QuerySet[Community]:
    """The intervision groups the user is an active member of."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        kind=Community.Kind.INTERVISION_GROUP,
        archived=False,
        memberships__user=user,
        memberships__state=Membership.State.ACTIVE,
    ).order_by("name")


def group_for_member(*, user: User, slug: str) -> Community | None:
    """One of the user's intervision groups; None means 404 (outsiders never learn it exists)."""
    return groups_of(user).filter(slug=slug).first()


def isession_for_member(*, user: User, session_id: int) -> IntervisionSession | None:
    """An intervision session of one of the user's groups (by its events.Session id)."""
    if not user.is_authenticated:
        return None
    return (
        IntervisionSession.objects.filter(
            session_id=session_id,
            session__format=Session.Format.INTERVISION,
            session__community__in=groups_of(user),
        )
        .select_related("method", "presenter", "facilitator", "timekeeper", "group", "session")
        .first()
    )


def settings_of(group: Community) -> GroupSettings:
    """What the group agreed; a group that never changed anything reads the defaults (the row
    is made by the first service that needs it, ``group_settings_row``)."""
    return GroupSettings.objects.filter(group=group).first() or GroupSettings(group=group)


def has_accepted_agreement(user: User, group: Community) -> bool:
    return AgreementAcceptance.objects.filter(
        group=group, user=user, version=settings_of(group).agreement_version
    ).exists()


def active_members(group: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=group, state=Membership.State.ACTIVE)
        .select_related("user")
        .order_by("joined_at", "id")
    )


def rota_members(group: Community) -> list[RotaMember]:
    """Each active member with when they last presented (or will: scheduled sessions count)."""
    last = dict(
        IntervisionSession.objects.filter(group=group, presenter__isnull=False)
        .exclude(session__state=Session.State.CANCELLED)
        .values_list("presenter_id")
        .annotate(last=Max("session__start"))
        .values_list("presenter_id", "last")
    )
    return [
        RotaMember(
            user_id=m.user_id,
            joined_at=m.joined_at or m.created_at,
            last_presented_at=last.get(m.user_id),
        )
        for m in active_members(group)
    ]


def declined_for(session: Session) -> set[int]:
    return set(
        Rsvp.objects.filter(session=session, status=Rsvp.Status.DECLINED).values_list(
            "user_id", flat=True
        )
    )


def proposed_presenters(group: Community, *, count: int = 3) -> list[User]:
    ids = propose_presenters(rota_members(group), count=count)
    people = User.objects.in_bulk(ids)
    return [people[i] for i in ids]


def next_facilitator(group: Community, *, exclude: set[int]) -> int | None:
    """When the role rotates: the member who facilitated least recently (never first)."""
    last = dict(
        IntervisionSession.objects.filter(group=group, facilitator__isnull=False)
        .values_list("facilitator_id")
        .annotate(last=Max("session__start"))
        .values_list("facilitator_id", "last")
    )
    members = [
        RotaMember(m.user_id, m.joined_at or m.created_at, last.get(m.user_id))
        for m in active_members(group)
    ]
    order = rota_order(members, unavailable=exclude)
    return order[0] if order else None


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def group_warnings(group: Community) -> list[Warning]:
    warnings = []
    size = active_members(group).count()
    if size < MIN_GROUP:
        warnings.append(
            Warning(
                "small", _("The group has fewer than 4 members: it collapses when people cancel.")
            )
        )
    elif size > MAX_GROUP:
        warnings.append(
            Warning("large", _("The group has more than 8 members: too little room for each case."))
        )
    cadence = timedelta(weeks=settings_of(group).cadence_weeks)
    starts = list(
        Session.objects.filter(community=group, format=Session.Format.INTERVISION)
        .exclude(state=Session.State.CANCELLED)
        .order_by("start")
        .values_list("start", flat=True)
    )
    now = timezone.now()
    upcoming = [s for s in starts if s >= now]
    past = [s for s in starts if s < now]
    gaps = [b - a for a, b in itertools.pairwise(starts) if b >= now]
    reference = past[-1] if past else now
    if any(gap > cadence for gap in gaps) or (not upcoming and now - reference > cadence):
        warnings.append(
            Warning(
                "cadence",
                _("More than %(weeks)s weeks between sessions: plan the next one sooner.")
                % {"weeks": settings_of(group).cadence_weeks},
            )
        )
    elif not upcoming:
        warnings.append(Warning("none", _("No session is planned yet.")))
    return warnings


def upcoming_sessions(group: Community) -> list[Session]:
    return list(
        Session.objects.filter(
            community=group, format=Session.Format.INTERVISION, end__gte=timezone.now()
        )
        .exclude(state=Session.State.CANCELLED)
        .order_by("start")
    )


def past_sessions(group: Community) -> QuerySet[IntervisionSession]:
    return (
        IntervisionSession.objects.filter(group=group, session__end__lt=timezone.now())
        .select_related("session", "method", "presenter", "facilitator")
        .order_by("-session__start")
    )


def candidates_for(isession: IntervisionSession) -> QuerySet[Case]:
    """Cases on the table for this session: submitted for it, plus carried-over ones."""
    return (
        Case.objects.filter(group=isession.group)
        .filter(
            Q(isession=isession, status__in=[Case.Status.SUBMITTED, Case.Status.SELECTED])
            | Q(isession__isnull=True, status=Case.Status.DEFERRED)
        )
        .select_related("presenter")
        .order_by("-priority_bump", "submitted_at", "id")
    )


def open_actions(group: Community) -> QuerySet[ActionCommitment]:
    return (
        ActionCommitment.objects.filter(group=group, status=ActionCommitment.Status.OPEN)
        .select_related("owner", "isession__session")
        .order_by("due_date", "id")
    )


def methods_for(group: Community) -> QuerySet[Method]:
    return Method.objects.filter(Q(group__isnull=True) | Q(group=group)).order_by(
        "group_id", "name_nl", "id"
    )


# --- the live state --------------------------------------------------------------------------


def run_elapsed(run: PhaseRun, *, paused_at: datetime | None, now: datetime) -> int:
    if run.started_at is None:
        return 0
    end = run.ended_at or paused_at or now
    return max(0, int((end - run.started_at).total_seconds()) - run.paused_sec)


def clock(seconds: int) -> str:
    """-1:05 / 12:30: minutes and seconds left (negative once over time)."""
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def live_snapshot(isession: IntervisionSession, *, now: datetime | None = None) -> dict:
    """Everything the console and the participants' view show, computed from server state."""
    now = now or timezone.now()
    runs = list(isession.runs.all())
    current = next((r for r in runs if r.order == isession.current), None)
    rows = []
    for run in runs:
        planned = run.planned_minutes * 60 + run.extended_sec
        elapsed = run_elapsed(run, paused_at=isession.paused_at, now=now)
        rows.append(
            {
                "run": run,
                "planned_sec": planned,
                "actual_sec": elapsed,
                "planned_min": round(planned / 60, 1),
                "actual_min": round(elapsed / 60, 1),
                "is_current": run is current,
                "done": run.ended_at is not None,
            }
        )
    snapshot = {
        "isession": isession,
        "rows": rows,
        "current": current,
        "phase": current.phase if current else None,
        "version": isession.version,
        "paused": isession.paused_at is not None,
        "remaining_sec": None,
        "level": "ok",
        "deadline_ms": None,
    }
    if current is not None:
        planned = current.planned_minutes * 60 + current.extended_sec
        elapsed = run_elapsed(current, paused_at=isession.paused_at, now=now)
        snapshot["remaining_sec"] = planned - elapsed
        snapshot["remaining_text"] = clock(planned - elapsed)
        ratio = elapsed / planned if planned else 1
        snapshot["level"] = "red" if ratio >= 1 else "amber" if ratio >= 0.8 else "ok"
        if isession.paused_at is None:
            # Clients count down to this moment (ms since the epoch); the server owns it.
            snapshot["deadline_ms"] = int((now.timestamp() + planned - elapsed) * 1000)
        snapshot["planned_sec"] = planned
    return snapshot


def history_of(user: User) -> list[dict]:
    """The person's intervision history for professional registers: date, hours, method, role."""
    rows = []
    attended = (
        Attendance.objects.filter(user=user, present=True, isession__state="closed")
        .select_related("isession__session", "isession__method", "isession__group")
        .order_by("isession__session__start")
    )
    for attendance in attended:
        isession = attendance.isession
        session = isession.session
        if isession.presenter_id == user.pk:
            role = "presenter"
        elif isession.facilitator_id == user.pk:
            role = "facilitator"
        elif isession.timekeeper_id == user.pk:
            role = "timekeeper"
        else:
            role = "participant"
        rows.append(
            {
                "date": timezone.localtime(session.start).date(),
                "hours": round((session.end - session.start).total_seconds() / 3600, 2),
                "method": isession.method.name,
                "group": isession.group.name,
                "role": role,
            }
        )
    return rows


def rota_members_before(isession: IntervisionSession):
    """The rota as it stood before this session (its own presenter does not count yet)."""

    last = dict(
        IntervisionSession.objects.filter(
            group=isession.group,
            presenter__isnull=False,
            session__start__lt=isession.session.start,
        )
        .exclude(session__state=Session.State.CANCELLED)
        .values_list("presenter_id")
        .annotate(last=Max("session__start"))
        .values_list("presenter_id", "last")
    )
    return [
        RotaMember(m.user_id, m.joined_at or m.created_at, last.get(m.user_id))
        for m in active_members(isession.group)
    ]


# --- what the pages show ---------------------------------------------------------------------


def catalogue_methods() -> list[Method]:
    """The shipped catalogue (not the groups' copies), with its phases."""
    return list(Method.objects.filter(group__isnull=True).prefetch_related("phases"))


def upcoming_isessions(group: Community) -> list[IntervisionSession]:
    """The group's upcoming (not cancelled) sessions, as intervision sessions, soonest first."""
    return list(
        IntervisionSession.objects.filter(
            session__in=[session.pk for session in upcoming_sessions(group)]
        )
        .select_related("session", "method", "presenter", "facilitator")
        .order_by("session__start", "session_id")
    )


def cases_of(*, user: User, group: Community) -> list[Case]:
    """The cases this person brought into the group, newest first (only they see them here)."""
    return list(Case.objects.filter(group=group, presenter=user).order_by("-submitted_at"))


def own_case(*, user: User, group: Community, case_id: int) -> Case | None:
    return Case.objects.filter(pk=case_id, group=group, presenter=user).first()


def swaps_asking(*, user: User, group: Community) -> list[SwapRequest]:
    """Open requests to this person to present instead of someone else."""
    return list(
        SwapRequest.objects.filter(
            asked=user, state=SwapRequest.State.PENDING, isession__group=group
        ).select_related("requested_by", "isession__session")
    )


def swap_for_asked(*, user: User, swap_id: int) -> SwapRequest | None:
    """A swap request put to this person, in one of their groups; None means 404."""
    swap = (
        SwapRequest.objects.filter(pk=swap_id, asked=user).select_related("isession__group").first()
    )
    if swap is None or group_for_member(user=user, slug=swap.isession.group.slug) is None:
        return None
    return swap


def open_swap(isession: IntervisionSession) -> SwapRequest | None:
    return (
        SwapRequest.objects.filter(isession=isession, state=SwapRequest.State.PENDING)
        .select_related("asked")
        .first()
    )


def vote_of(*, user: User, isession: IntervisionSession) -> int | None:
    """The case this person voted for in this session, if any."""
    vote = CaseVote.objects.filter(isession=isession, voter=user).first()
    return vote.case_id if vote else None


def selected_case(isession: IntervisionSession) -> Case | None:
    return Case.objects.filter(isession=isession, status=Case.Status.SELECTED).first()


def attendance_of(isession: IntervisionSession) -> dict[int, bool]:
    """Who was there (user id → present), as recorded so far."""
    return {a.user_id: a.present for a in Attendance.objects.filter(isession=isession)}


def evaluation_count(isession: IntervisionSession) -> int:
    return Evaluation.objects.filter(isession=isession).count()


def closed_summary(isession: IntervisionSession) -> dict:
    """What a closed session's page shows: who was there, how many evaluated, the phases run."""
    return {
        "present": list(
            Attendance.objects.filter(isession=isession, present=True).select_related("user")
        ),
        "evaluations": evaluation_count(isession),
        "runs": list(isession.runs.all()),
    }


def session_actions(isession: IntervisionSession) -> list[ActionCommitment]:
    return list(isession.actions.select_related("owner"))


def live_items(isession: IntervisionSession) -> list[LiveItem]:
    """Every live item of the session (for the console; erased at close)."""
    return list(isession.items.select_related("author"))


def live_items_of(*, user: User, isession: IntervisionSession) -> list[LiveItem]:
    """What this person added during the session (their own view; erased at close)."""
    return list(LiveItem.objects.filter(isession=isession, author=user).order_by("id"))


def presenter_copies_of(user: User) -> list[PresenterCopy]:
    """The presenter's private copies of their cases: only the owner ever sees them, and they
    are deleted after the group's retention period."""
    return list(PresenterCopy.objects.filter(owner=user).order_by("-id"))


def attendance_rows(group: Community) -> QuerySet[Attendance]:
    """Attendance of the group's closed sessions, for the leads' CSV."""
    return (
        Attendance.objects.filter(isession__group=group, isession__state="closed")
        .select_related("user", "isession__session", "isession__method")
        .order_by("isession__session__start", "user__display_name", "user_id")
    )


def cases_brought_by(person: User) -> int:
    """How many intervision sessions the person presented a case at (registered with
    ``events.takeaways.extensions`` for their recognition page; never which case)."""
    return IntervisionSession.objects.filter(presenter=person).count()
