"""Proposals: submitting, co-speakers, editing, withdrawing, reviewing, deciding, confirming."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import User
from events.festivals.models import SESSION_TYPE_MINUTES
from events.festivals.permissions import FestivalNotFound, is_reviewer, require_organiser
from events.festivals.services.programme import placement_remove
from events.models import (
    Festival,
    Proposal,
    ProposalCoSpeaker,
    ProposalReview,
)

State = Proposal.State
DECISIONS = (State.ACCEPTED, State.REJECTED, State.WAITLISTED)


def _check_cfp_open(festival: Festival, now: datetime) -> None:
    if now < festival.cfp_opens_at:
        raise DomainError(_("The call for proposals has not opened yet."), code="cfp_not_open")
    if now >= festival.cfp_closes_at:
        raise DomainError(
            _("The call for proposals has closed: proposals can no longer be sent or changed."),
            code="cfp_closed",
        )


def _validate_proposal(festival: Festival, fields: dict) -> None:
    session_type = fields.get("session_type")
    if session_type not in Proposal.Type.values:
        raise DomainError(_("Choose a type of session."), code="type")
    shortest, longest = SESSION_TYPE_MINUTES[session_type]
    duration = fields.get("duration") or shortest
    if not shortest <= duration <= longest:
        raise DomainError(
            _("A %(type)s takes %(shortest)d to %(longest)d minutes.")
            % {"type": Proposal.Type(session_type).label, "shortest": shortest, "longest": longest},
            code="duration",
        )
    fields["duration"] = duration
    if fields.get("level") not in Proposal.Level.values:
        raise DomainError(_("Choose a level."), code="level")
    if fields.get("language") not in Proposal.Language.values:
        raise DomainError(_("Choose a language."), code="language")
    track = fields.get("track")
    if track is not None and track.festival_id != festival.pk:
        raise DomainError(_("Choose one of this festival's tracks."), code="track")
    if not (fields.get("title") or "").strip() or not (fields.get("abstract") or "").strip():
        raise DomainError(_("Give a title and an abstract."), code="required")


def _co_speakers(emails: list[str], *, speaker: User) -> list[User]:
    """Co-speakers by e-mail address: each must have an account (they confirm by signing in)."""
    wanted = sorted({email.strip().lower() for email in emails if email.strip()})
    found = {u.email.lower(): u for u in User.objects.filter(email__in=wanted, is_active=True)}
    missing = [email for email in wanted if email not in found]
    if missing:
        raise DomainError(
            _(
                "%(emails)s has no account on Kennisplein yet: invite them first, then add them "
                "as co-speaker."
            )
            % {"emails": ", ".join(missing)},
            code="co_speaker_unknown",
        )
    return [person for email, person in found.items() if person.pk != speaker.pk]


@transaction.atomic
def proposal_submit(
    *,
    festival: Festival,
    speaker: User,
    title: str,
    abstract: str,
    session_type: str,
    level: str,
    language: str,
    duration: int | None = None,
    track=None,
    co_speaker_emails: list[str] = (),
    now: datetime | None = None,
) -> Proposal:
    """Send a proposal while the call is open. Transaction: one. Not idempotent (each call is a
    new proposal); refused after the deadline with nothing stored."""
    now = now or timezone.now()
    _check_cfp_open(festival, now)
    fields = {
        "title": title,
        "abstract": abstract,
        "session_type": session_type,
        "level": level,
        "language": language,
        "duration": duration,
        "track": track,
    }
    _validate_proposal(festival, fields)
    co_speakers = _co_speakers(list(co_speaker_emails), speaker=speaker)
    proposal = Proposal.objects.create(
        festival=festival, speaker=speaker, **{**fields, "title": title.strip()}
    )
    _set_co_speakers(proposal, co_speakers)
    return proposal


def _set_co_speakers(proposal: Proposal, people: list[User]) -> None:
    """Link the co-speakers; each new one is asked by mail (outbox) to confirm on the proposal's
    page. Someone already linked keeps their confirmation."""

    wanted = {person.pk: person for person in people}
    ProposalCoSpeaker.objects.filter(proposal=proposal).exclude(user_id__in=wanted).delete()
    existing = set(
        ProposalCoSpeaker.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    for user_id, person in wanted.items():
        if user_id in existing:
            continue
        ProposalCoSpeaker.objects.create(proposal=proposal, user=person)
        outbox_enqueue(
            dedupe_key=f"festival-co-speaker:{proposal.pk}:{user_id}",
            kind="festival_co_speaker",
            template="festival_co_speaker",
            recipient=person,
            context={
                "festival": proposal.festival,
                "proposal": proposal,
                "speaker": proposal.speaker,
                "url": reverse("festival_proposal", args=[proposal.festival.slug, proposal.pk]),
            },
        )


@transaction.atomic
def proposal_co_speaker_confirm(*, proposal_id: int, user: User, now: datetime | None = None):
    """A co-speaker confirms they take part. Transaction: one. Idempotent (the first moment of
    confirming is kept)."""

    row = ProposalCoSpeaker.objects.filter(proposal_id=proposal_id, user=user).first()
    if row is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    if row.confirmed_at is None:
        row.confirmed_at = now or timezone.now()
        row.save(update_fields=["confirmed_at"])
    return row


@transaction.atomic
def proposal_update(
    *,
    proposal_id: int,
    speaker: User,
    now: datetime | None = None,
    co_speaker_emails: list[str] | None = None,
    **fields,
) -> Proposal:
    """The speaker edits the proposal until the deadline. Transaction: one, the proposal row
    locked. Idempotent: the same values again change nothing."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("festival")
        .filter(pk=proposal_id, speaker=speaker)
        .first()
    )
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    _check_cfp_open(proposal.festival, now)
    if proposal.state == State.WITHDRAWN:
        raise DomainError(_("A withdrawn proposal cannot be changed."), code="withdrawn")
    allowed = {"title", "abstract", "session_type", "level", "language", "duration", "track"}
    values = {name: getattr(proposal, name) for name in allowed}
    values.update({name: value for name, value in fields.items() if name in allowed})
    _validate_proposal(proposal.festival, values)
    if co_speaker_emails is not None:
        _set_co_speakers(proposal, _co_speakers(co_speaker_emails, speaker=speaker))
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.save()
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal_id: int, speaker: User) -> Proposal:
    """The speaker withdraws; a placed proposal leaves the grid (its session is cancelled with
    invitations updated). Transaction: one. Idempotent."""
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id, speaker=speaker).first()
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    if proposal.state == State.WITHDRAWN:
        return proposal
    placement_remove(proposal)
    proposal.state = State.WITHDRAWN
    proposal.save(update_fields=["state", "slot", "session", "updated_at"])
    return proposal


@transaction.atomic
def proposal_review(
    *, proposal_id: int, reviewer: User, score: int, comment: str = ""
) -> ProposalReview:
    """A reviewer's score (1–5) and comment; a second call replaces the first. Transaction: one.
    Idempotent."""
    proposal = Proposal.objects.select_related("festival").filter(pk=proposal_id).first()
    if proposal is None or not is_reviewer(reviewer, proposal.festival):
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    if proposal.state == State.WITHDRAWN:
        raise DomainError(_("This proposal was withdrawn."), code="withdrawn")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), code="score")
    if proposal.speaker_id == reviewer.pk:
        raise DomainError(_("You cannot review your own proposal."), code="own")
    review, _created = ProposalReview.objects.update_or_create(
        proposal=proposal, reviewer=reviewer, defaults={"score": score, "comment": comment.strip()}
    )
    return review


@transaction.atomic
def proposal_decide(
    *, proposal_id: int, organiser: User, decision: str, now: datetime | None = None
) -> Proposal:
    """Accept, reject or wait-list a proposal; the speaker is told by mail (outbox, deduplicated
    per proposal and decision). Rejecting or wait-listing a placed proposal takes it off the
    grid. Transaction: one, the proposal row locked. Idempotent: the same decision again changes
    and sends nothing."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("festival", "speaker")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    require_organiser(organiser, proposal.festival)
    if decision not in DECISIONS:
        raise DomainError(_("Accept, reject or wait-list the proposal."), code="decision")
    if proposal.state == State.WITHDRAWN:
        raise DomainError(_("This proposal was withdrawn."), code="withdrawn")
    if proposal.state == decision or (
        decision == State.ACCEPTED and proposal.state == State.CONFIRMED
    ):
        return proposal
    if decision != State.ACCEPTED:
        placement_remove(proposal)
    proposal.state = decision
    proposal.decided_at = now
    proposal.save()
    festival = proposal.festival
    outbox_enqueue(
        dedupe_key=f"festival-decision:{proposal.pk}:{decision}:{now.isoformat()}",
        kind="festival_decision",
        template="festival_decision",
        recipient=proposal.speaker,
        context={
            "festival": festival,
            "proposal": proposal,
            "decision": decision,
            "url": reverse("festival_proposal", args=[festival.slug, proposal.pk]),
        },
    )
    return proposal


@transaction.atomic
def proposal_confirm(*, proposal_id: int, speaker: User) -> Proposal:
    """The speaker confirms an accepted proposal. Transaction: one. Idempotent."""
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id, speaker=speaker).first()
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    if proposal.state == State.CONFIRMED:
        return proposal
    if proposal.state != State.ACCEPTED:
        raise DomainError(_("Only an accepted proposal can be confirmed."), code="not_accepted")
    proposal.state = State.CONFIRMED
    proposal.save(update_fields=["state", "updated_at"])
    return proposal
