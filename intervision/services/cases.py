"""Cases: bringing one in (first person, a short pitch, no names), withdrawing, voting, and
choosing the case of a session."""

import re

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from communities.errors import DomainError
from communities.models import Community, User
from intervision.models import (
    Case,
    CaseVote,
    ContentKey,
    IntervisionSession,
)
from intervision.permissions import is_member, runs_session
from intervision.rota import Candidate, SelectionError, select_case
from intervision.selectors import (
    candidates_for,
    rota_members_before,
)
from intervision.services.groups import group_settings_row
from intervision.services.keys import content_keys_shred

MAX_PITCH_SENTENCES = 3


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
    """Bring in a case for the next session (or carry it until one is planned). Its text is
    sealed under a key of its own. Transaction: two inserts (key, case). Not idempotent (a
    person may bring several cases)."""
    if not is_member(user, group):
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
        content_key=ContentKey.objects.create_key(),
        group=group,
        isession=isession,
        presenter=user,
        title=title,
        question=question,
        pitch=pitch,
        urgency=urgency,
        status=Case.Status.SUBMITTED if isession else Case.Status.DEFERRED,
    )


@transaction.atomic
def case_withdraw(*, case_id: int, user: User) -> None:
    """The presenter withdraws (deletes) their case before it is selected; its key goes with
    it. Transaction: one. Idempotent."""
    withdrawn = Case.objects.filter(
        pk=case_id, presenter=user, status__in=[Case.Status.SUBMITTED, Case.Status.DEFERRED]
    )
    key_ids = list(withdrawn.values_list("content_key_id", flat=True))
    deleted, _rows = withdrawn.delete()
    content_keys_shred(key_ids=key_ids)
    if not deleted and Case.objects.filter(pk=case_id, presenter=user).exists():
        raise DomainError(_("A selected case cannot be withdrawn any more."), code="selected")


@transaction.atomic
def case_vote(*, isession: IntervisionSession, user: User, case_id: int) -> CaseVote:
    """One vote per person per session; voting again moves the vote. Idempotent."""

    if not is_member(user, isession.group):
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
    mode = group_settings_row(group=isession.group).selection_mode
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
