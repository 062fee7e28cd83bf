"""The live session: the console's controls (phases, time, turns), attendance, questions and
advice, evaluations and actions. Every change locks the session row and checks the version
the facilitator saw."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from communities.errors import DomainError
from communities.models import User
from intervision.models import (
    ActionCommitment,
    Attendance,
    Evaluation,
    IntervisionSession,
    LiveItem,
    PhaseRun,
)
from intervision.permissions import is_member, runs_session
from intervision.selectors import (
    active_members,
    declined_for,
)
from intervision.services.keys import isession_content_key

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


def lock_isession(isession_id: int) -> IntervisionSession:
    return (
        IntervisionSession.objects.select_for_update().select_related("group").get(pk=isession_id)
    )


def _start_run(run: PhaseRun, now: datetime) -> None:
    run.started_at = now
    run.ended_at = None
    run.paused_sec = 0
    run.save(update_fields=["started_at", "ended_at", "paused_sec"])


def end_run(run: PhaseRun, now: datetime, *, skipped: bool = False) -> None:
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
    isession = lock_isession(isession_id)
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
        attendance_defaults(isession)
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
        if person_id is None or not is_member(User(pk=person_id), isession.group):
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
            end_run(current, now, skipped=action == "skip")
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


def attendance_defaults(isession: IntervisionSession) -> None:
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
    """A question, advice, note or takeaway from a participant's device, sealed under the
    session's key (made with the first item). Transaction: one insert (two with the key). Not
    idempotent."""
    if isession.state not in (
        IntervisionSession.State.IN_PROGRESS,
        IntervisionSession.State.CLOSING,
    ):
        raise DomainError(_("The session is not running."), code="not_live")
    if not is_member(author, isession.group):
        raise DomainError(_("Only members take part."), code="forbidden")
    if kind not in LiveItem.Kind.values:
        raise DomainError(_("Choose what you are adding."), code="kind")
    text = text.strip()
    if not text or len(text) > 1000:
        raise DomainError(_("Write something, at most 1,000 characters."), code="text")
    if keep not in LiveItem.Keep.values or (keep and kind != LiveItem.Kind.TAKEAWAY):
        raise DomainError(_("Only takeaways can be kept."), code="keep")
    run = isession.runs.filter(order=isession.current).first()
    isession_content_key(isession=isession)
    return LiveItem.objects.create(
        isession=isession, run=run, author=author, kind=kind, text=text, keep=keep
    )


def evaluation_set(
    *, isession: IntervisionSession, user: User, score: int, tip: str, top: str
) -> None:
    """A member's process evaluation (1–5, a tip and a top). Idempotent: the last answer counts."""

    if not is_member(user, isession.group):
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
    if not is_member(User(pk=owner_id), isession.group):
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
