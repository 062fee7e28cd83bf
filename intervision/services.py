"""Writes for intervision (DESIGN.md rule 1). Every function is keyword-only, says its
transaction and idempotency, and raises DomainError with a message that is safe to show.

Confidentiality: nothing here logs, mails or hands to Celery any case text or live item; mail
carries the group's name, the date and a link only.
"""

import re
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import Community, Membership, User
from events.models import Session, Takeaway
from events.series.recurrence import Recurrence
from events.series.services.scheduling import series_create
from events.sessions.services.scheduling import session_create
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
    Phase,
    PhaseRun,
    PresenterCopy,
    SelectionMode,
    SwapRequest,
)
from intervision.rota import Candidate, RotaMember, SelectionError, rota_order, select_case
from intervision.selectors import (
    active_members,
    candidates_for,
    declined_for,
    leads_group,
    methods_for,
    next_facilitator,
    rota_members,
    runs_session,
    settings_of,
)

MAX_PITCH_SENTENCES = 3
LIVE_ACTIONS = (
    "start",
    "next",
    "back",
    "skip",
    "extend1",
    "extend2",
    "pause",
    "resume",
    "turn",
)


class StaleState(DomainError):
    """A live change made against an older version of the state: refresh and try again."""


def _is_member(user: User, group: Community) -> bool:
    return Membership.objects.filter(
        user=user, community=group, state=Membership.State.ACTIVE
    ).exists()


def _require_lead(user: User, group: Community) -> None:
    if not leads_group(user, group):
        raise DomainError(_("Only the group's facilitators can do this."), code="forbidden")


# --- group settings, agreement, methods ---------------------------------------------------


@transaction.atomic
def group_settings_update(
    *,
    group: Community,
    actor: User,
    cadence_weeks: int,
    selection_mode: str,
    default_method_id: int | None,
    rotate_facilitator: bool,
    agreement: str,
    auto_close_hours: int,
    private_copy_days: int,
) -> GroupSettings:
    """Change the group's settings. Transaction: one. Idempotent: the same values change
    nothing; a changed agreement text gets a new version that everyone accepts again."""
    _require_lead(actor, group)
    if not 1 <= cadence_weeks <= 26:
        raise DomainError(_("Choose between 1 and 26 weeks."), code="cadence")
    if selection_mode not in SelectionMode.values:
        raise DomainError(_("Choose how a case is chosen."), code="mode")
    if not 1 <= auto_close_hours <= 168:
        raise DomainError(_("Choose between 1 and 168 hours."), code="auto_close")
    if not 1 <= private_copy_days <= 365:
        raise DomainError(_("Choose between 1 and 365 days."), code="retention")
    settings = GroupSettings.objects.select_for_update().get(pk=settings_of(group).pk)
    if default_method_id is not None:
        if not methods_for(group).filter(pk=default_method_id).exists():
            raise DomainError(_("Choose one of the methods."), code="method")
    agreement = agreement.strip()
    if agreement != settings.agreement:
        settings.agreement = agreement
        settings.agreement_version += 1
    settings.cadence_weeks = cadence_weeks
    settings.selection_mode = selection_mode
    settings.default_method_id = default_method_id
    settings.rotate_facilitator = rotate_facilitator
    settings.auto_close_hours = auto_close_hours
    settings.private_copy_days = private_copy_days
    settings.save()
    return settings


def agreement_accept(*, group: Community, user: User) -> AgreementAcceptance:
    """Accept the current group agreement. Transaction: one insert. Idempotent."""
    if not _is_member(user, group):
        raise DomainError(_("Only members accept the group agreement."), code="forbidden")
    version = settings_of(group).agreement_version
    acceptance, _created = AgreementAcceptance.objects.get_or_create(
        group=group, user=user, version=version
    )
    return acceptance


@transaction.atomic
def method_copy(*, method_id: int, group: Community, actor: User) -> Method:
    """Copy a method (with its phases) for the group to adjust. Transaction: one. Not
    idempotent: each call makes a new copy with its own code."""

    _require_lead(actor, group)
    source = methods_for(group).filter(pk=method_id).first()
    if source is None:
        raise DomainError(_("This method does not exist."), code="not_found")
    phases = list(source.phases.all())
    base = re.sub(r"-copy(-\d+)?$", "", source.code)[:40]
    taken = set(Method.objects.filter(group=group).values_list("code", flat=True))
    number = 1
    code = f"{base}-copy"
    while code in taken:
        number += 1
        code = f"{base}-copy-{number}"
    copy = Method.objects.create(
        code=code,
        group=group,
        copied_from=source,
        family=source.family,
        name_nl=f"{source.name_nl} ({group.name})"[:120],
        name_en=f"{source.name_en} ({group.name})"[:120],
        summary_nl=source.summary_nl,
        summary_en=source.summary_en,
        min_group=source.min_group,
        max_group=source.max_group,
        requires_trusted_group=source.requires_trusted_group,
        case_requirements_nl=source.case_requirements_nl,
        case_requirements_en=source.case_requirements_en,
        verified=source.verified,
        sources=source.sources,
    )
    for phase in phases:
        phase.pk = None
        phase.method = copy
    Phase.objects.bulk_create(phases)
    return copy


@transaction.atomic
def method_adjust(
    *, method_id: int, group: Community, actor: User, minutes: dict[int, int], drop: set[int]
) -> Method:
    """Change a group copy's phase minutes and drop phases. Transaction: one. Idempotent."""
    _require_lead(actor, group)
    method = Method.objects.filter(pk=method_id, group=group).first()
    if method is None:
        raise DomainError(_("Copy the method first: the catalogue stays as shipped."), code="copy")
    phases = {p.pk: p for p in method.phases.select_for_update()}
    if not set(minutes) | drop <= set(phases):
        raise DomainError(_("One of the phases does not exist."), code="phase")
    if any(not 1 <= value <= 240 for value in minutes.values()):
        raise DomainError(_("A phase lasts between 1 and 240 minutes."), code="minutes")
    if len(set(phases) - drop) == 0:
        raise DomainError(_("Keep at least one phase."), code="empty")
    Phase.objects.filter(pk__in=drop).delete()
    for pk, value in minutes.items():
        if pk not in drop and phases[pk].minutes != value:
            phases[pk].minutes = value
            phases[pk].save(update_fields=["minutes"])
    return method


# --- scheduling, rota, swaps -------------------------------------------------------------


def _default_method(group: Community) -> Method:
    settings = settings_of(group)
    return settings.default_method or Method.objects.get(code="kollegiale-beratung", group=None)


def intervision_for_session(*, session: Session) -> IntervisionSession:
    """The intervision side of a session, made on first use (series occurrences get theirs here)
    with the group's default method and the rota's presenter. Idempotent."""
    existing = IntervisionSession.objects.filter(session=session).select_related(
        "method", "presenter", "facilitator", "timekeeper", "group", "session"
    )
    found = existing.first()
    if found is not None:
        return found
    group = session.community
    with transaction.atomic():
        isession, _created = IntervisionSession.objects.get_or_create(
            session=session,
            defaults={
                "group": group,
                "method": _default_method(group),
                "presenter_id": _rota_presenter(group, session),
                "facilitator_id": _default_facilitator(group, session),
            },
        )
    return existing.get(pk=isession.pk)


def _rota_presenter(group: Community, session: Session) -> int | None:
    order = rota_order(rota_members(group), unavailable=declined_for(session))
    return order[0] if order else None


def _default_facilitator(group: Community, session: Session) -> int | None:
    if settings_of(group).rotate_facilitator:
        presenter = _rota_presenter(group, session)
        return next_facilitator(group, exclude=declined_for(session) | {presenter})
    lead = (
        active_members(group)
        .filter(role__in=[Membership.Role.FACILITATOR, Membership.Role.COORDINATOR])
        .first()
    )
    return lead.user_id if lead else None


@transaction.atomic
def intervision_schedule(
    *,
    group: Community,
    actor: User,
    details,
    method_id: int,
    facilitator_id: int | None = None,
    timekeeper_id: int | None = None,
    presenter_id: int | None = None,
) -> IntervisionSession:
    """Schedule a one-off intervision session (an events.Session of format intervision) with
    its method and roles; the presenter defaults to the rota's proposal. Transaction: one.
    Not idempotent (each call schedules a session)."""

    _require_lead(actor, group)
    method = methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise DomainError(_("Choose one of the methods."), code="method")
    members = set(active_members(group).values_list("user_id", flat=True))
    for person in (facilitator_id, timekeeper_id, presenter_id):
        if person is not None and person not in members:
            raise DomainError(_("Roles go to members of the group."), code="role")
    if presenter_id is not None and presenter_id in (facilitator_id, timekeeper_id):
        raise DomainError(_("The presenter cannot also facilitate or keep time."), code="role")
    session = session_create(community=group, actor=actor, details=details)
    isession = IntervisionSession.objects.create(
        session=session,
        group=group,
        method=method,
        presenter_id=presenter_id or _rota_presenter(group, session),
        facilitator_id=facilitator_id or _default_facilitator(group, session),
        timekeeper_id=timekeeper_id,
    )
    return isession


@transaction.atomic
def intervision_schedule_series(
    *,
    group: Community,
    actor: User,
    details,
    method_id: int,
    every_weeks: int,
    count: int,
    facilitator_id: int | None = None,
    timekeeper_id: int | None = None,
) -> list[IntervisionSession]:
    """Schedule a series (every N weeks, ``count`` times) as an events.Series; each occurrence
    gets the method and roles, and its presenter from the rota in turn. Transaction: one. Not
    idempotent (each call makes a new series)."""

    _require_lead(actor, group)
    method = methods_for(group).filter(pk=method_id).first()
    if method is None:
        raise DomainError(_("Choose one of the methods."), code="method")
    if not 2 <= count <= 12:
        raise DomainError(_("A series has 2 to 12 sessions."), code="count")
    members = set(active_members(group).values_list("user_id", flat=True))
    if any(p is not None and p not in members for p in (facilitator_id, timekeeper_id)):
        raise DomainError(_("Roles go to members of the group."), code="role")
    series = series_create(
        community=group,
        actor=actor,
        details=details,
        recurrence=Recurrence(frequency="weekly", interval=every_weeks, count=count),
    )
    made = []
    for session in series.occurrences.order_by("start"):
        made.append(
            IntervisionSession.objects.create(
                session=session,
                group=group,
                method=method,
                presenter_id=_rota_presenter(group, session),
                facilitator_id=facilitator_id or _default_facilitator(group, session),
                timekeeper_id=timekeeper_id,
            )
        )
    return made


@transaction.atomic
def swap_request(*, isession: IntervisionSession, actor: User, asked_id: int) -> SwapRequest:
    """The proposed presenter asks another member to present instead. Transaction: one.
    Idempotent for the same person asked; one open request per session (database)."""
    isession = IntervisionSession.objects.select_for_update().get(pk=isession.pk)
    if isession.state != IntervisionSession.State.SCHEDULED:
        raise DomainError(_("The session has started: swaps are closed."), code="started")
    if isession.presenter_id != actor.pk:
        raise DomainError(_("Only the proposed presenter can ask for a swap."), code="forbidden")
    if asked_id == actor.pk or not _is_member(User(pk=asked_id), isession.group):
        raise DomainError(_("Ask another member of the group."), code="asked")
    pending = SwapRequest.objects.filter(isession=isession, state=SwapRequest.State.PENDING).first()
    if pending is not None:
        if pending.asked_id == asked_id:
            return pending
        raise DomainError(_("There is already an open swap request."), code="pending")
    return SwapRequest.objects.create(isession=isession, requested_by=actor, asked_id=asked_id)


@transaction.atomic
def swap_answer(*, swap_id: int, actor: User, accept: bool) -> SwapRequest:
    """The member asked accepts (and becomes the presenter) or declines. Transaction: one, with
    the session locked. Idempotent: answering again changes nothing."""
    swap = SwapRequest.objects.select_for_update().filter(pk=swap_id, asked=actor).first()
    if swap is None:
        raise DomainError(_("This swap request does not exist."), code="not_found")
    if swap.state != SwapRequest.State.PENDING:
        return swap
    isession = IntervisionSession.objects.select_for_update().get(pk=swap.isession_id)
    if accept and (
        isession.state != IntervisionSession.State.SCHEDULED
        or isession.presenter_id != swap.requested_by_id
    ):
        raise DomainError(_("This swap is no longer possible."), code="stale")
    swap.state = SwapRequest.State.ACCEPTED if accept else SwapRequest.State.DECLINED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["state", "answered_at"])
    if accept:
        isession.presenter = actor
        isession.save(update_fields=["presenter"])
    return swap


# --- cases --------------------------------------------------------------------------------


def _sentences(text: str) -> int:
    return len([part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part.strip()])


@sensitive_variables()  # error reports never show case text or live items
@transaction.atomic
def case_submit(
    *,
    group: Community,
    user: User,
    title: str,
    question: str,
    pitch: str,
    urgency: int,
    no_client_data: bool,
    isession: IntervisionSession | None = None,
) -> Case:
    """Bring in a case for the next session (or carry it until one is planned). Transaction:
    one insert. Not idempotent (a person may bring several cases)."""
    if not _is_member(user, group):
        raise DomainError(_("Only members bring in cases."), code="forbidden")
    title, question, pitch = title.strip(), question.strip(), pitch.strip()
    if not title or len(title) > 120:
        raise DomainError(_("Give a title of at most 120 characters."), code="title")
    if not question or len(question) > 600:
        raise DomainError(_("Write your question, at most 600 characters."), code="question")
    if not re.search(r"\b(ik|mij|me|mijn|I|me|my)\b", question, re.IGNORECASE):
        raise DomainError(
            _("Write the question in the first person (“How do I …?”)."), code="first_person"
        )
    if not pitch or len(pitch) > 600 or _sentences(pitch) > MAX_PITCH_SENTENCES:
        raise DomainError(_("Pitch the case in at most three sentences."), code="pitch")
    if not 1 <= urgency <= 5:
        raise DomainError(_("Urgency is 1 to 5."), code="urgency")
    if not no_client_data:
        raise DomainError(
            _("Confirm that the case holds no names or traceable client data."), code="avg"
        )
    if isession is not None and (isession.group_id != group.pk or isession.state == "closed"):
        raise DomainError(_("This session does not take cases any more."), code="session")
    return Case.objects.create(
        group=group,
        isession=isession,
        presenter=user,
        title=title,
        question=question,
        pitch=pitch,
        urgency=urgency,
        status=Case.Status.SUBMITTED if isession else Case.Status.DEFERRED,
    )


def case_withdraw(*, case_id: int, user: User) -> None:
    """The presenter withdraws (deletes) their case before it is selected. Idempotent."""
    deleted, _rows = Case.objects.filter(
        pk=case_id, presenter=user, status__in=[Case.Status.SUBMITTED, Case.Status.DEFERRED]
    ).delete()
    if not deleted and Case.objects.filter(pk=case_id, presenter=user).exists():
        raise DomainError(_("A selected case cannot be withdrawn any more."), code="selected")


@transaction.atomic
def case_vote(*, isession: IntervisionSession, user: User, case_id: int) -> CaseVote:
    """One vote per person per session; voting again moves the vote. Idempotent."""

    if not _is_member(user, isession.group):
        raise DomainError(_("Only members take part."), code="forbidden")
    if isession.state == IntervisionSession.State.CLOSED:
        raise DomainError(_("The session is closed."), code="closed")
    case = candidates_for(isession).filter(pk=case_id).first()
    if case is None:
        raise DomainError(_("This case is not on the table."), code="not_found")
    vote, _created = CaseVote.objects.update_or_create(
        isession=isession, voter=user, defaults={"case": case}
    )
    return vote


def _candidate(case: Case, members: dict) -> Candidate:
    member = members.get(case.presenter_id)
    return Candidate(
        case_id=case.pk,
        presenter_id=case.presenter_id,
        urgency=case.urgency,
        submitted_at=case.submitted_at,
        presenter_last_presented_at=member.last_presented_at if member else None,
        presenter_joined_at=member.joined_at if member else None,
        priority_bump=case.priority_bump,
    )


@transaction.atomic
def case_select(
    *, isession: IntervisionSession, actor: User | None, chosen: int | None = None
) -> Case | None:
    """Pick the case by the group's mode (one candidate: that one), make its owner the
    presenter. Transaction: one, session locked. Idempotent: a selected case stays selected."""

    if actor is not None and not runs_session(actor, isession):
        raise DomainError(_("Only the facilitator chooses the case."), code="forbidden")
    isession = IntervisionSession.objects.select_for_update().get(pk=isession.pk)
    current = Case.objects.filter(isession=isession, status=Case.Status.SELECTED).first()
    if current is not None:
        return current
    cases = list(candidates_for(isession))
    # Past sessions only: the session being chosen for must not count as "presented".
    members = {m.user_id: m for m in rota_members_before(isession)}
    votes = dict(
        CaseVote.objects.filter(isession=isession)
        .values_list("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    mode = settings_of(isession.group).selection_mode
    try:
        picked = select_case(
            [_candidate(c, members) for c in cases], mode=mode, votes=votes, chosen=chosen
        )
    except SelectionError as error:
        raise DomainError(_("Choose one of the cases on the table."), code="choice") from error
    if picked is None:
        return None
    case = next(c for c in cases if c.pk == picked)
    case.status = Case.Status.SELECTED
    case.isession = isession
    case.save(update_fields=["status", "isession"])
    isession.presenter_id = case.presenter_id
    isession.version += 1
    isession.save(update_fields=["presenter", "version"])
    return case


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


# --- the live session -----------------------------------------------------------------------


def _lock(isession_id: int) -> IntervisionSession:
    return (
        IntervisionSession.objects.select_for_update().select_related("group").get(pk=isession_id)
    )


def _start_run(run: PhaseRun, now: datetime) -> None:
    run.started_at = now
    run.ended_at = None
    run.paused_sec = 0
    run.save(update_fields=["started_at", "ended_at", "paused_sec"])


def _end_run(run: PhaseRun, now: datetime, *, skipped: bool = False) -> None:
    run.ended_at = now
    run.skipped = skipped or run.skipped
    run.save(update_fields=["ended_at", "skipped"])


@transaction.atomic
def live_control(
    *,
    isession_id: int,
    actor: User,
    action: str,
    version: int,
    person_id: int | None = None,
    now: datetime | None = None,
) -> IntervisionSession:
    """One change of the live state by a facilitator device: start, next, back, skip, +1/+2
    minutes, pause, resume, or tick/untick ``person_id`` in the turn tracker ("turn"). Transaction: one, with the session row locked; the change must carry
    the current ``version`` (a stale one raises StaleState, nothing changes). Not idempotent by
    itself; the version check makes a repeated request fail instead of applying twice."""
    now = now or timezone.now()
    isession = _lock(isession_id)
    if not runs_session(actor, isession):
        raise DomainError(_("Only the facilitator runs the session."), code="forbidden")
    if action not in LIVE_ACTIONS:
        raise DomainError(_("Unknown action."), code="action")
    if version != isession.version:
        raise StaleState(
            _("Someone else changed the session just now: the page is refreshed, try again."),
            code="stale",
        )
    if isession.state == IntervisionSession.State.CLOSED:
        raise DomainError(_("The session is closed."), code="closed")
    runs = {run.order: run for run in isession.runs.select_for_update()}
    current = runs.get(isession.current) if isession.current is not None else None
    if action == "start":
        if isession.state != IntervisionSession.State.SCHEDULED:
            raise DomainError(_("The session has already started."), code="started")
        phases = list(isession.method.phases.all())
        if not phases:
            raise DomainError(_("This method has no phases."), code="empty")
        PhaseRun.objects.bulk_create(
            PhaseRun(
                isession=isession,
                order=index,
                phase=phase,
                name_nl=phase.name_nl,
                name_en=phase.name_en,
                planned_minutes=phase.minutes,
            )
            for index, phase in enumerate(phases)
        )
        first = PhaseRun.objects.get(isession=isession, order=0)
        _start_run(first, now)
        isession.state = IntervisionSession.State.IN_PROGRESS
        isession.current = 0
        isession.started_at = now
        _attendance_defaults(isession)
    elif current is None and action != "back":
        raise DomainError(_("Start the session first."), code="not_started")
    elif action in ("pause", "resume"):
        if action == "pause" and isession.paused_at is None:
            isession.paused_at = now
        elif action == "resume" and isession.paused_at is not None:
            current.paused_sec += int((now - isession.paused_at).total_seconds())
            current.save(update_fields=["paused_sec"])
            isession.paused_at = None
        else:
            raise DomainError(_("Nothing to change."), code="noop")
    elif action == "turn":
        if person_id is None or not _is_member(User(pk=person_id), isession.group):
            raise DomainError(_("Only members of the group take turns."), code="member")
        turns = set(current.turns)
        turns ^= {person_id}
        current.turns = sorted(turns)
        current.save(update_fields=["turns"])
    elif action in ("extend1", "extend2"):
        current.extended_sec += 60 if action == "extend1" else 120
        current.save(update_fields=["extended_sec"])
    else:
        _resume_before_move(isession, current, now)
        if action in ("next", "skip"):
            _end_run(current, now, skipped=action == "skip")
            following = runs.get(current.order + 1)
            if following is None:
                isession.state = IntervisionSession.State.CLOSING
                isession.current = None
            else:
                _start_run(following, now)
                isession.current = following.order
        else:  # back
            if isession.state == IntervisionSession.State.CLOSING:
                previous = runs.get(max(runs)) if runs else None
            else:
                previous = runs.get(current.order - 1) if current else None
            if previous is None:
                raise DomainError(_("This is the first phase."), code="first")
            if current is not None:
                current.started_at = None
                current.ended_at = None
                current.save(update_fields=["started_at", "ended_at"])
            # Going back continues the earlier phase where its time stood.
            spent = run_seconds(previous)
            previous.started_at = now - timedelta(seconds=spent)
            previous.ended_at = None
            previous.paused_sec = 0
            previous.skipped = False
            previous.save(update_fields=["started_at", "ended_at", "paused_sec", "skipped"])
            isession.current = previous.order
            isession.state = IntervisionSession.State.IN_PROGRESS
    isession.version += 1
    isession.save()
    return isession


def run_seconds(run: PhaseRun) -> int:
    if run.started_at is None or run.ended_at is None:
        return 0
    return max(0, int((run.ended_at - run.started_at).total_seconds()) - run.paused_sec)


def _resume_before_move(isession: IntervisionSession, current: PhaseRun | None, now) -> None:
    if isession.paused_at is not None and current is not None:
        current.paused_sec += int((now - isession.paused_at).total_seconds())
        current.save(update_fields=["paused_sec"])
    isession.paused_at = None


def _attendance_defaults(isession: IntervisionSession) -> None:
    """Everyone who did not decline counts as present until the facilitator says otherwise."""
    declined = declined_for(isession.session)
    Attendance.objects.bulk_create(
        [
            Attendance(isession=isession, user_id=m.user_id, present=m.user_id not in declined)
            for m in active_members(isession.group)
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def attendance_set(*, isession: IntervisionSession, actor: User, present_ids: set[int]) -> None:
    """Record who is there. Transaction: one. Idempotent."""
    if not runs_session(actor, isession):
        raise DomainError(_("Only the facilitator takes attendance."), code="forbidden")
    members = set(active_members(isession.group).values_list("user_id", flat=True))
    if not present_ids <= members:
        raise DomainError(_("Only members of the group can be present."), code="member")
    for user_id in members:
        Attendance.objects.update_or_create(
            isession=isession, user_id=user_id, defaults={"present": user_id in present_ids}
        )


@sensitive_variables()  # error reports never show case text or live items
def live_item_add(
    *, isession: IntervisionSession, author: User, kind: str, text: str, keep: str = ""
) -> LiveItem:
    """A question, advice, note or takeaway from a participant's device. Transaction: one insert.
    Not idempotent."""
    if isession.state not in (
        IntervisionSession.State.IN_PROGRESS,
        IntervisionSession.State.CLOSING,
    ):
        raise DomainError(_("The session is not running."), code="not_live")
    if not _is_member(author, isession.group):
        raise DomainError(_("Only members take part."), code="forbidden")
    if kind not in LiveItem.Kind.values:
        raise DomainError(_("Choose what you are adding."), code="kind")
    text = text.strip()
    if not text or len(text) > 1000:
        raise DomainError(_("Write something, at most 1,000 characters."), code="text")
    if keep not in LiveItem.Keep.values or (keep and kind != LiveItem.Kind.TAKEAWAY):
        raise DomainError(_("Only takeaways can be kept."), code="keep")
    run = isession.runs.filter(order=isession.current).first()
    return LiveItem.objects.create(
        isession=isession, run=run, author=author, kind=kind, text=text, keep=keep
    )


def evaluation_set(
    *, isession: IntervisionSession, user: User, score: int, tip: str, top: str
) -> None:
    """A member's process evaluation (1–5, a tip and a top). Idempotent: the last answer counts."""

    if not _is_member(user, isession.group):
        raise DomainError(_("Only members evaluate."), code="forbidden")
    if isession.state == IntervisionSession.State.CLOSED:
        raise DomainError(_("The session is closed."), code="closed")
    if not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), code="score")
    if len(tip) > 280 or len(top) > 280:
        raise DomainError(_("Keep tip and top under 280 characters."), code="length")
    Evaluation.objects.update_or_create(
        isession=isession, user=user, defaults={"score": score, "tip": tip, "top": top}
    )


def action_add(
    *, isession: IntervisionSession, actor: User, owner_id: int, text: str, due_date: date
) -> ActionCommitment:
    """An action commitment (owner, due date), followed up at the next session's opening.
    Transaction: one insert. Not idempotent."""
    if not (runs_session(actor, isession) or actor.pk == owner_id):
        raise DomainError(_("Only the facilitator or the owner adds an action."), code="forbidden")
    if not _is_member(User(pk=owner_id), isession.group):
        raise DomainError(_("The owner must be a member of the group."), code="owner")
    text = text.strip()
    if not text or len(text) > 280:
        raise DomainError(_("Describe the action in at most 280 characters."), code="text")
    if due_date < timezone.localdate():
        raise DomainError(_("The due date cannot be in the past."), code="due")
    return ActionCommitment.objects.create(
        group=isession.group, isession=isession, owner_id=owner_id, text=text, due_date=due_date
    )


def action_follow_up(
    *, action_id: int, actor: User, status: str, isession: IntervisionSession
) -> ActionCommitment:
    """Mark an action done or dropped in the opening round. Idempotent."""
    action = ActionCommitment.objects.filter(pk=action_id, group=isession.group).first()
    if action is None:
        raise DomainError(_("This action does not exist."), code="not_found")
    if not (runs_session(actor, isession) or action.owner_id == actor.pk):
        raise DomainError(
            _("Only the facilitator or the owner updates an action."), code="forbidden"
        )
    if status not in ActionCommitment.Status.values:
        raise DomainError(_("Choose a status."), code="status")
    action.status = status
    action.followed_up_in = isession
    action.save(update_fields=["status", "followed_up_in"])
    return action


def presenter_copy_choose(*, isession: IntervisionSession, user: User, keep: bool) -> None:
    """The presenter opts in (or out) of a private copy of the advice. Idempotent."""
    if isession.presenter_id != user.pk:
        raise DomainError(_("Only the presenter keeps a private copy."), code="forbidden")
    IntervisionSession.objects.filter(pk=isession.pk).update(presenter_keeps_copy=keep)


@sensitive_variables()  # error reports never show case text or live items
@transaction.atomic
def intervision_session_close(
    *, isession_id: int, actor: User | None, theme: str = "", now: datetime | None = None
) -> IntervisionSession:
    """Close the session and erase the case details (domain research §1.5).

    Kept: date, method, roles, attendance, the optional anonymised ``theme``, action
    commitments, evaluations, and the takeaways members chose to keep (as events.Takeaway).
    Erased: the selected case, every vote and live item. Unselected cases carry over (deferred,
    with a priority bump). The presenter's opt-in private copy of the advice is made first.
    ``actor`` None is the automatic close. Transaction: one, session locked. Idempotent: closing
    a closed session changes nothing.
    """
    now = now or timezone.now()
    isession = _lock(isession_id)
    if actor is not None and not runs_session(actor, isession):
        raise DomainError(_("Only the facilitator closes the session."), code="forbidden")
    if isession.state == IntervisionSession.State.CLOSED:
        return isession
    theme = theme.strip()
    if len(theme) > 120:
        raise DomainError(_("Keep the theme under 120 characters."), code="theme")
    session = isession.session
    items = list(isession.items.select_related("author"))
    for item in items:
        if item.kind == LiveItem.Kind.TAKEAWAY and item.keep:
            Takeaway.objects.create(
                session=session,
                author=item.author,
                owner=item.author,  # reviewed and nudged like every takeaway (issue 11)
                title=_takeaway_title(item.text),
                body=item.text,
                visibility=item.keep,
                review_due=timezone.localdate() + timedelta(days=365),
            )
    if isession.presenter_keeps_copy and isession.presenter_id:
        advice = [i.text for i in items if i.kind in (LiveItem.Kind.ADVICE, LiveItem.Kind.QUESTION)]
        if advice:
            PresenterCopy.objects.create(
                owner_id=isession.presenter_id,
                group_name=isession.group.name,
                session_date=timezone.localtime(session.start).date(),
                text="\n\n".join(advice),
                delete_after=now + timedelta(days=settings_of(isession.group).private_copy_days),
            )
    isession.items.all().delete()
    CaseVote.objects.filter(isession=isession).delete()
    Case.objects.filter(isession=isession, status=Case.Status.SELECTED).delete()
    for case in Case.objects.filter(isession=isession):
        case.isession = None
        case.status = Case.Status.DEFERRED
        case.priority_bump += 1
        case.save(update_fields=["isession", "status", "priority_bump"])
    for run in isession.runs.filter(started_at__isnull=False, ended_at__isnull=True):
        _end_run(run, now)
    if not isession.attendance.exists():
        _attendance_defaults(isession)
    isession.theme = theme or isession.theme
    isession.state = IntervisionSession.State.CLOSED
    isession.current = None
    isession.paused_at = None
    isession.closed_at = now
    isession.presenter_keeps_copy = False
    isession.version += 1
    isession.save()
    return isession


def _takeaway_title(text: str) -> str:
    first = text.strip().splitlines()[0]
    return first if len(first) <= 80 else first[:79] + "…"


def intervision_autoclose(*, now: datetime | None = None) -> list[int]:
    """Close (and erase) every session not closed by hand a set time after its end. Idempotent."""
    now = now or timezone.now()
    closed = []
    candidates = (
        IntervisionSession.objects.exclude(state=IntervisionSession.State.CLOSED)
        .filter(session__end__lt=now)
        .select_related("session", "group__intervision_settings")
    )
    for isession in candidates:
        hours = settings_of(isession.group).auto_close_hours
        if isession.session.end + timedelta(hours=hours) <= now:
            intervision_session_close(isession_id=isession.pk, actor=None, now=now)
            closed.append(isession.pk)
    return closed


def presenter_copies_purge(*, now: datetime | None = None) -> int:
    """Delete private copies past their retention. Idempotent."""
    deleted, _rows = PresenterCopy.objects.filter(delete_after__lte=now or timezone.now()).delete()
    return deleted


# --- reminders (the outbox) -------------------------------------------------------------------

REMINDER_KINDS = ("call_for_cases", "case_deadline", "agenda", "takeaway", "action_checkin")


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Scan upcoming and recent sessions and put due nudges in the outbox. Mail holds the group's
    name, the date and a link, never case text. Idempotent: dedupe keys
    ``reminder:<session>:<user>:<kind>`` (``action:<id>:checkin`` for action check-ins)."""

    now = now or timezone.now()
    count = 0
    window = (
        Session.objects.filter(
            format=Session.Format.INTERVISION,
            state=Session.State.SCHEDULED,
            community__kind=Community.Kind.INTERVISION_GROUP,
            start__lte=now + timedelta(days=14),
            end__gte=now - timedelta(days=1),
        )
        .select_related("community")
        .order_by("start")
    )
    for session in window:
        isession = intervision_for_session(session=session)
        members = list(active_members(session.community))
        url = reverse("intervision:session", args=[session.pk])
        plan = [
            ("call_for_cases", session.start - timedelta(days=14), None),
            ("case_deadline", session.start - timedelta(days=3), None),
            ("agenda", session.start - timedelta(days=1), None),
            ("takeaway", session.end, None),
        ]
        for kind, due, _only in plan:
            # Nudges before the session stop at its start; the takeaway prompt lasts a day.
            if due > now or (kind != "takeaway" and now >= session.start):
                continue
            if kind == "case_deadline" and isession.cases.exists():
                # One case: selected automatically; several: chosen at the start.

                if candidates_for(isession).count() == 1:
                    case_select(isession=isession, actor=None)
                recipients = []
            elif kind == "case_deadline":
                recipients = [m.user for m in members if m.user_id == isession.presenter_id]
            else:
                recipients = [m.user for m in members]
            for person in recipients:
                outbox_enqueue(
                    dedupe_key=f"reminder:{session.pk}:{person.pk}:{kind}",
                    kind=f"intervision_{kind}",
                    template=f"intervision_{kind}",
                    recipient=person,
                    due_at=due,
                    context={
                        "group": session.community.name,
                        "session": session,
                        "url": url,
                        "is_presenter": person.pk == isession.presenter_id,
                        "method": isession.method,
                    },
                )
                count += 1
    checkins = ActionCommitment.objects.filter(
        status=ActionCommitment.Status.OPEN, created_at__lte=now - timedelta(weeks=3)
    ).select_related("owner", "group")
    for action in checkins:
        outbox_enqueue(
            dedupe_key=f"reminder:action{action.pk}:{action.owner_id}:action_checkin",
            kind="intervision_action_checkin",
            template="intervision_action_checkin",
            recipient=action.owner,
            due_at=action.created_at + timedelta(weeks=3),
            context={
                "group": action.group.name,
                "url": reverse("intervision:group", args=[action.group.slug]),
            },
        )
        count += 1
    return count
