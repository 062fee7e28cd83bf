"""Writes of knowledge festivals (issue 10): proposals, reviews, decisions, the grid, publishing
and picking sessions for the personal agenda.

Every function is keyword-only, checks who may do it, and raises ``DomainError`` (a clear
message, nothing changed) on bad input. Mail goes through the one outbox.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.festival_conflicts import (
    ROOM_TOO_SMALL,
    ROOM_TWICE,
    SPEAKER_TWICE,
    TOO_LONG,
    Conflict,
    Placement,
    conflicts_involving,
    programme_conflicts,
)
from events.models import (
    Festival,
    ProgrammeVersion,
    Proposal,
    ProposalReview,
    Room,
    Rsvp,
    Session,
    Slot,
)
from events.models.festivals import SESSION_TYPE_MINUTES
from events.services.invitations import invitations_sync_session
from events.services.outbox import outbox_enqueue
from events.services.rsvp import lock_session, promote_waitlist, rsvp_set

State = Proposal.State
PLACEABLE = (State.ACCEPTED, State.CONFIRMED)
DECISIONS = (State.ACCEPTED, State.REJECTED, State.WAITLISTED)


class FestivalNotFound(DomainError):
    """The festival (or proposal) does not exist or the person may not see it (views: 404)."""


# --- who may do what --------------------------------------------------------------------------


def is_organiser(user: User, festival: Festival) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or festival.organisers.filter(pk=user.pk).exists()


def is_reviewer(user: User, festival: Festival) -> bool:
    """Organisers review too."""
    if not user.is_authenticated:
        return False
    return is_organiser(user, festival) or festival.reviewers.filter(pk=user.pk).exists()


def _require_organiser(user: User, festival: Festival) -> None:
    if not is_organiser(user, festival):
        raise FestivalNotFound(_("This festival does not exist."), code="not_found")


# --- proposals --------------------------------------------------------------------------------


def cfp_is_open(festival: Festival, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return festival.cfp_opens_at <= now < festival.cfp_closes_at


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
    from events.models import ProposalCoSpeaker

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
    from events.models import ProposalCoSpeaker

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
    _unplace(proposal)
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
    _require_organiser(organiser, proposal.festival)
    if decision not in DECISIONS:
        raise DomainError(_("Accept, reject or wait-list the proposal."), code="decision")
    if proposal.state == State.WITHDRAWN:
        raise DomainError(_("This proposal was withdrawn."), code="withdrawn")
    if proposal.state == decision or (
        decision == State.ACCEPTED and proposal.state == State.CONFIRMED
    ):
        return proposal
    if decision != State.ACCEPTED:
        _unplace(proposal)
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


# --- slots and rooms --------------------------------------------------------------------------


def _festival_bounds(festival: Festival) -> tuple[datetime, datetime]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(festival.timezone)
    first = datetime.combine(festival.starts_on, datetime.min.time(), tzinfo=zone)
    last = datetime.combine(festival.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return first, last


@transaction.atomic
def slot_create(
    *,
    festival: Festival,
    organiser: User,
    start: datetime,
    end: datetime,
    room: Room | None = None,
    kind: str = Slot.Kind.SESSION,
    label: str = "",
) -> Slot:
    """Add a cell to the grid: a room's slot, or a break / plenary across all rooms.
    Transaction: one; the festival row is locked so two organisers cannot add overlapping
    slots at once. Not idempotent (refuses an overlap, so a repeat is refused)."""
    _require_organiser(organiser, festival)
    Festival.objects.select_for_update().filter(pk=festival.pk).first()
    if kind not in Slot.Kind.values:
        raise DomainError(_("Choose session, break or plenary."), code="kind")
    if start is None or end is None or timezone.is_naive(start) or timezone.is_naive(end):
        raise DomainError(_("Give a start and an end."), code="time")
    if end <= start:
        raise DomainError(_("A slot must end after it starts."), code="order")
    first, last = _festival_bounds(festival)
    if start < first or end > last:
        raise DomainError(
            _("This slot falls outside the festival's dates (%(first)s – %(last)s).")
            % {"first": festival.starts_on.isoformat(), "last": festival.ends_on.isoformat()},
            code="outside",
        )
    if kind == Slot.Kind.SESSION:
        if room is None or room.festival_id != festival.pk:
            raise DomainError(_("Choose one of this festival's rooms."), code="room")
    else:
        room = None
    overlapping = Slot.objects.filter(festival=festival, start__lt=end, end__gt=start)
    if room is not None:
        overlapping = overlapping.filter(Q(room=room) | Q(room__isnull=True))
    if overlapping.exists():
        raise DomainError(
            _("This slot overlaps another slot in the same room."), code="slot_overlap"
        )
    return Slot.objects.create(
        festival=festival, room=room, start=start, end=end, kind=kind, label=label.strip()
    )


@transaction.atomic
def room_create(
    *, festival: Festival, organiser: User, name: str, capacity: int, online_url: str = ""
) -> Room:
    """Add a room. Transaction: one. Not idempotent (a second room with the name is refused)."""
    _require_organiser(organiser, festival)
    if not isinstance(capacity, int) or capacity < 1:
        raise DomainError(_("A room holds at least one person."), code="capacity")
    if not name.strip():
        raise DomainError(_("Give the room a name."), code="name")
    if Room.objects.filter(festival=festival, name=name.strip()).exists():
        raise DomainError(_("This festival already has a room with that name."), code="name")
    return Room.objects.create(
        festival=festival,
        name=name.strip(),
        capacity=capacity,
        online_url=online_url,
        position=Room.objects.filter(festival=festival).count(),
    )


# --- the grid ---------------------------------------------------------------------------------


def placement_of(proposal: Proposal, slot: Slot, *, audience: int = 0) -> Placement:
    speakers = {proposal.speaker_id} | {person.pk for person in proposal.co_speakers.all()}
    return Placement(
        key=proposal.pk,
        room_id=slot.room_id,
        room_capacity=slot.room.capacity,
        slot_start=slot.start,
        slot_end=slot.end,
        minutes=proposal.duration,
        speakers=frozenset(speakers),
        expected_audience=max(proposal.expected_audience, audience),
    )


def festival_placements(festival: Festival, *, exclude: int | None = None) -> list[Placement]:
    """The grid as the conflict function sees it (one query for proposals, one for speakers,
    one for audiences)."""
    proposals = (
        Proposal.objects.filter(festival=festival, slot__isnull=False)
        .select_related("slot__room")
        .prefetch_related("co_speakers")
        .annotate(
            audience=Count(
                "session__rsvps",
                filter=Q(session__rsvps__status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED]),
            )
        )
    )
    if exclude is not None:
        proposals = proposals.exclude(pk=exclude)
    return [placement_of(p, p.slot, audience=p.audience) for p in proposals]


def conflict_message(conflict: Conflict, titles: dict[int, str], names: dict[int, str]) -> str:
    title = " / ".join(titles.get(key, "?") for key in conflict.keys)
    if conflict.kind == SPEAKER_TWICE:
        return _("%(speaker)s would be in two places at once: %(title)s.") % {
            "speaker": names.get(conflict.speaker, "?"),
            "title": title,
        }
    if conflict.kind == ROOM_TWICE:
        return _("The room is used twice at the same time: %(title)s.") % {"title": title}
    if conflict.kind == TOO_LONG:
        return _("%(title)s is longer than its slot.") % {"title": title}
    if conflict.kind == ROOM_TOO_SMALL:
        return _("%(title)s expects more people than the room holds.") % {"title": title}
    return title


def _unplace(proposal: Proposal) -> None:
    """Take a proposal off the grid: its session is cancelled and calendars updated."""
    session = proposal.session
    proposal.slot = None
    proposal.session = None
    if session is not None:
        session.state = Session.State.CANCELLED
        session.cancelled_at = timezone.now()
        session.sequence += 1
        session.save()
        invitations_sync_session(session=session)


@transaction.atomic
def proposal_place(*, proposal_id: int, slot_id: int, organiser: User) -> Proposal:
    """Put an accepted proposal in a slot (moving it if it was elsewhere). Refused with every
    conflict named when it would add one (a speaker in two places, a room used twice, a session
    longer than its slot, a room too small for who picked it). The session row is created or
    moved; people who picked it hear of the move when the programme is published.
    Transaction: one; the festival row is locked so two organisers place one at a time.
    Idempotent: placing it in the slot it has changes nothing."""
    proposal = (
        Proposal.objects.select_related("festival", "speaker", "track", "session")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    festival = proposal.festival
    _require_organiser(organiser, festival)
    Festival.objects.select_for_update().filter(pk=festival.pk).first()
    proposal.refresh_from_db(fields=["state", "slot"])
    if proposal.state not in PLACEABLE:
        raise DomainError(_("Only accepted proposals go on the programme."), code="not_accepted")
    slot = (
        Slot.objects.select_related("room").filter(pk=slot_id, festival=festival).first()
        if str(slot_id).isdigit() and len(str(slot_id)) < 10
        else None
    )
    if slot is None:
        raise DomainError(_("Choose one of this festival's slots."), code="slot")
    if slot.kind != Slot.Kind.SESSION:
        raise DomainError(_("Breaks and plenaries take no proposal."), code="slot_kind")
    if proposal.slot_id == slot.pk:
        return proposal
    audience = 0
    if proposal.session_id:
        audience = Rsvp.objects.filter(
            session_id=proposal.session_id,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
        ).count()
    others = festival_placements(festival, exclude=proposal.pk)
    candidate = placement_of(proposal, slot, audience=audience)
    occupied = Proposal.objects.filter(slot=slot).exclude(pk=proposal.pk).first()
    if occupied is not None:
        # Same slot = the same room at the same time: the conflict function names it.
        others = [p for p in others if p.key != occupied.pk] + [placement_of(occupied, slot)]
    found = conflicts_involving(programme_conflicts([*others, candidate]), proposal.pk)
    if found:
        titles = dict(
            Proposal.objects.filter(pk__in={k for c in found for k in c.keys}).values_list(
                "pk", "title"
            )
        )
        names = {
            person.pk: person.name
            for person in User.objects.filter(pk__in={c.speaker for c in found if c.speaker})
        }
        raise DomainError(
            " ".join(conflict_message(conflict, titles, names) for conflict in found),
            code="conflict",
        )
    session = proposal.session
    fields = {
        "festival": festival,
        "community": None,
        "format": Session.Format.WORKSHOP
        if proposal.session_type == Proposal.Type.WORKSHOP
        else Session.Format.LIGHTNING
        if proposal.session_type == Proposal.Type.LIGHTNING
        else Session.Format.FESTIVAL_TALK,
        "title": proposal.title,
        "description": proposal.abstract,
        "start": slot.start,
        "end": slot.start + timedelta(minutes=proposal.duration),
        "timezone": festival.timezone,
        "location": f"{slot.room.name}, {festival.venue}".strip(", "),
        "online_url": slot.room.online_url,
        "capacity": slot.room.capacity,
    }
    if session is None:
        session = Session.objects.create(created_by=organiser, **fields)
    else:
        # The capacity lock of rsvp_set: a move to a bigger room promotes the waitlist.
        session = lock_session(session.pk)
        moved = session.start != fields["start"] or session.location != fields["location"]
        for name, value in fields.items():
            setattr(session, name, value)
        if moved:
            session.sequence += 1
        session.save()
        promote_waitlist(session=session)
    session.hosts.set([proposal.speaker, *proposal.co_speakers.all()])
    proposal.slot = slot
    proposal.session = session
    proposal.save(update_fields=["slot", "session", "updated_at"])
    return proposal


@transaction.atomic
def proposal_unplace(*, proposal_id: int, organiser: User) -> Proposal:
    """Take a proposal off the grid (it stays accepted). Transaction: one. Idempotent."""
    proposal = Proposal.objects.select_related("festival", "session").filter(pk=proposal_id).first()
    if proposal is None:
        raise FestivalNotFound(_("This proposal does not exist."), code="not_found")
    _require_organiser(organiser, proposal.festival)
    if proposal.slot_id is None:
        return proposal
    _unplace(proposal)
    proposal.save(update_fields=["slot", "session", "updated_at"])
    return proposal


# --- publishing -------------------------------------------------------------------------------


def programme_snapshot(festival: Festival) -> list[dict]:
    rows = (
        Proposal.objects.filter(festival=festival, slot__isnull=False)
        .select_related("slot__room", "session")
        .order_by("slot__start", "slot__room__position", "pk")
    )
    return [
        {
            "proposal": p.pk,
            "session": p.session_id,
            "title": p.title,
            "room": p.slot.room.name,
            "start": p.session.start.isoformat(),
            "end": p.session.end.isoformat(),
        }
        for p in rows
    ]


def programme_changes(before: list[dict], after: list[dict]) -> list[dict]:
    """What changed between two snapshots: added, removed, moved (room or time) or renamed."""
    old = {row["proposal"]: row for row in before}
    new = {row["proposal"]: row for row in after}
    changes = []
    for key in sorted(new.keys() - old.keys()):
        changes.append({"change": "added", **new[key]})
    for key in sorted(old.keys() - new.keys()):
        changes.append({"change": "removed", **old[key]})
    for key in sorted(old.keys() & new.keys()):
        fields = [f for f in ("room", "start", "end", "title") if old[key][f] != new[key][f]]
        if fields:
            changes.append({"change": "changed", "fields": fields, "was": old[key], **new[key]})
    return changes


@transaction.atomic
def programme_publish(
    *, festival: Festival, organiser: User, now: datetime | None = None
) -> ProgrammeVersion:
    """Publish the grid as the next version with the list of changes since the last one; people
    who picked a changed session get a calendar update (through the invitation code), those of a
    removed one its cancellation. Transaction: one, the festival row locked. Idempotent in
    effect: publishing an unchanged grid again is refused with a message."""
    now = now or timezone.now()
    _require_organiser(organiser, festival)
    festival = Festival.objects.select_for_update().get(pk=festival.pk)
    previous = ProgrammeVersion.objects.filter(festival=festival).order_by("-number").first()
    snapshot = programme_snapshot(festival)
    if not snapshot:
        raise DomainError(_("Place at least one session before publishing."), code="empty")
    changes = programme_changes(previous.snapshot if previous else [], snapshot)
    if previous is not None and not changes:
        raise DomainError(_("Nothing changed since the last version."), code="unchanged")
    version = ProgrammeVersion.objects.create(
        festival=festival,
        number=festival.published_version + 1,
        snapshot=snapshot,
        changes=changes,
        published_by=organiser,
        published_at=now,
    )
    festival.published_version = version.number
    festival.save(update_fields=["published_version"])
    if previous is not None:
        touched = {c["session"] for c in changes if c["change"] != "added"}
        for session in Session.objects.filter(pk__in=touched):
            invitations_sync_session(session=session, now=now)
    return version


# --- the personal agenda ----------------------------------------------------------------------


def festival_pick(*, session_id: int, user: User, pick: bool = True) -> Rsvp:
    """Pick (or drop) a festival session for one's agenda: an RSVP going (or not going) with
    the room's capacity and the waitlist (events.services.rsvp.rsvp_set, which locks the
    session and sends the calendar invitation). Idempotent like rsvp_set."""
    session = Session.objects.filter(pk=session_id, festival__isnull=False).first()
    if session is None:
        raise FestivalNotFound(_("This session does not exist."), code="not_found")
    return rsvp_set(
        session_id=session_id,
        user=user,
        status=Rsvp.Status.GOING if pick else Rsvp.Status.DECLINED,
    )


# --- after the session ------------------------------------------------------------------------


def may_give_feedback(user: User, session: Session, now: datetime | None = None) -> bool:
    """People who picked a festival session (and were not marked absent) give feedback once it
    has started; its speakers do not rate themselves."""
    now = now or timezone.now()
    if not session.festival_id or session.start > now or session.is_cancelled:
        return False
    if session.hosts.filter(pk=user.pk).exists():
        return False
    return (
        Rsvp.objects.filter(session=session, user=user, status=Rsvp.Status.GOING)
        .exclude(attended=False)
        .exists()
    )


@transaction.atomic
def session_feedback_give(
    *, session_id: int, user: User, score: int, remark: str = "", now: datetime | None = None
):
    """Give (or change) one's feedback on a festival session: 1–5 and a short remark, read only
    by the speakers. Transaction: one. Idempotent: a second call replaces the first."""
    from events.models import SessionFeedback
    from events.selectors.sessions import sessions_visible_to

    session = sessions_visible_to(user).filter(pk=session_id, festival__isnull=False).first()
    if session is None:
        raise FestivalNotFound(_("This session does not exist."), code="not_found")
    if not may_give_feedback(user, session, now):
        raise DomainError(
            _("Feedback is for people who went to the session, once it has started."),
            code="not_attended",
        )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), code="score")
    remark = remark.strip()
    if len(remark) > 500:
        raise DomainError(_("Keep the remark under 500 characters."), code="too_long")
    feedback, _created = SessionFeedback.objects.update_or_create(
        session=session, user=user, defaults={"score": score, "remark": remark}
    )
    return feedback


@transaction.atomic
def session_materials_set(*, session_id: int, user: User, materials: str) -> Session:
    """Speakers (and the festival's organisers) add slides and recording links to a festival
    session, one per line (http or https only). Transaction: one. Idempotent."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from events.permissions import can_manage_session

    session = Session.objects.filter(pk=session_id, festival__isnull=False).first()
    if session is None or not can_manage_session(user, session):
        raise FestivalNotFound(_("This session does not exist."), code="not_found")
    links = [line.strip() for line in materials.splitlines() if line.strip()]
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            check(link)
        except ValidationError:
            raise DomainError(
                _("%(link)s is not a web address (https://…).") % {"link": link[:100]},
                code="link",
            ) from None
    if len(links) > 10:
        raise DomainError(_("Add at most 10 links."), code="too_many")
    session.materials = "\n".join(links)
    session.save(update_fields=["materials", "updated_at"])
    return session


# --- speaker pages ----------------------------------------------------------------------------

MAX_PHOTO_BYTES = 512 * 1024


@transaction.atomic
def speaker_profile_update(
    *,
    user: User,
    bio: str,
    photo: tuple[bytes, str] | None = None,
    remove_photo: bool = False,
):
    """A speaker edits their own page: a short bio and a photo ((bytes, content type), checked
    by the form as PNG/JPEG/GIF/WebP ≤ 512 KB). Transaction: one. Idempotent."""
    from communities.services import LOGO_CONTENT_TYPES
    from events.models import SpeakerProfile

    bio = bio.strip()
    if len(bio) > 2000:
        raise DomainError(_("Keep your bio under 2000 characters."), code="too_long")
    if photo is not None and (
        photo[1] not in LOGO_CONTENT_TYPES.values() or len(photo[0]) > MAX_PHOTO_BYTES
    ):
        raise DomainError(
            _("The photo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
            code="photo",
        )
    profile, _created = SpeakerProfile.objects.get_or_create(user=user)
    profile.bio = bio
    if remove_photo:
        profile.photo, profile.photo_content_type = None, ""
    elif photo is not None:
        profile.photo, profile.photo_content_type = photo
    profile.save()
    return profile


# --- checking in on the day -------------------------------------------------------------------

CHECK_IN_EARLY = timedelta(minutes=15)


def room_session_now(room: Room, now: datetime | None = None) -> Session | None:
    """The session in this room that one can check in to now: running, or starting within a
    quarter of an hour."""
    now = now or timezone.now()
    return (
        Session.objects.filter(
            proposal__slot__room=room,
            state=Session.State.SCHEDULED,
            start__lte=now + CHECK_IN_EARLY,
            end__gt=now,
        )
        .order_by("start", "pk")
        .first()
    )


@transaction.atomic
def self_check_in(*, room: Room, user: User, now: datetime | None = None) -> Session:
    """An attendee checks themself in with the room's check-in page (the address a QR code on
    the door points at): their answer for the session on now in that room is marked attended.
    Someone who did not pick it is taken in as going when a seat is free (through rsvp_set,
    so capacity and the waitlist hold). Transaction: one. Idempotent."""
    now = now or timezone.now()
    session = room_session_now(room, now)
    if session is None:
        raise DomainError(_("There is no session in this room right now."), code="no_session")
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    if rsvp is None or rsvp.status != Rsvp.Status.GOING:
        rsvp = rsvp_set(session_id=session.pk, user=user, status=Rsvp.Status.GOING, now=now)
        if rsvp.status != Rsvp.Status.GOING:
            raise DomainError(_("The room is full: you are on the waiting list."), code="full")
    Rsvp.objects.filter(pk=rsvp.pk).update(attended=True)
    return session
