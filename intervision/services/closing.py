"""Closing a session: the case details and every live item are erased; only date, method,
roles, attendance, an anonymised theme, actions, evaluations and the takeaways people chose
to keep stay. Sessions left open close themselves after the group's hours."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from communities.errors import DomainError
from communities.models import User
from events.models import Takeaway
from intervision.models import (
    Case,
    CaseVote,
    IntervisionSession,
    LiveItem,
    PresenterCopy,
)
from intervision.permissions import runs_session
from intervision.services.groups import group_settings_row
from intervision.services.keys import content_keys_purge_orphans, content_keys_shred
from intervision.services.live import attendance_defaults, end_run, lock_isession


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
    """Close the session and erase the case details.

    Kept: date, method, roles, attendance, the optional anonymised ``theme``, action
    commitments, evaluations, and the takeaways members chose to keep (as events.Takeaway).
    Erased: the selected case, every vote and live item, and the keys their text was sealed
    under. Unselected cases carry over (deferred, with a priority bump). The presenter's opt-in private copy of the advice is made first.
    ``actor`` None is the automatic close. Transaction: one, session locked. Idempotent: closing
    a closed session changes nothing.
    """
    now = now or timezone.now()
    isession = lock_isession(isession_id)
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
                owner=item.author,  # reviewed and nudged like every takeaway
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
                delete_after=now
                + timedelta(days=group_settings_row(group=isession.group).private_copy_days),
            )
    isession.items.all().delete()
    CaseVote.objects.filter(isession=isession).delete()
    selected = Case.objects.filter(isession=isession, status=Case.Status.SELECTED)
    shred = [isession.content_key_id, *selected.values_list("content_key_id", flat=True)]
    selected.delete()
    for case in Case.objects.filter(isession=isession):
        case.isession = None
        case.status = Case.Status.DEFERRED
        case.priority_bump += 1
        case.save(update_fields=["isession", "status", "priority_bump"])
    for run in isession.runs.filter(started_at__isnull=False, ended_at__isnull=True):
        end_run(run, now)
    if not isession.attendance.exists():
        attendance_defaults(isession)
    isession.theme = theme or isession.theme
    isession.state = IntervisionSession.State.CLOSED
    isession.current = None
    isession.paused_at = None
    isession.closed_at = now
    isession.presenter_keeps_copy = False
    isession.version += 1
    isession.content_key = None
    isession.save()
    # Crypto-shredding: without these keys no copy of the erased text (dead tuples, WAL,
    # backups) can be read.
    content_keys_shred(key_ids=shred)
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
        hours = group_settings_row(group=isession.group).auto_close_hours
        if isession.session.end + timedelta(hours=hours) <= now:
            intervision_session_close(isession_id=isession.pk, actor=None, now=now)
            closed.append(isession.pk)
    return closed


def presenter_copies_purge(*, now: datetime | None = None) -> int:
    """Delete private copies past their retention, and data keys nothing uses any more.
    Idempotent."""
    deleted, _rows = PresenterCopy.objects.filter(delete_after__lte=now or timezone.now()).delete()
    content_keys_purge_orphans()
    return deleted
