"""The programme: rooms and slots, placing proposals on the grid, publishing versions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import changed
from communities.models import User
from communities.parsing import ascii_int
from events.calendar.services.invitations import invitations_sync_session
from events.festivals.conflicts import (
    conflict_message,
    conflicts_involving,
    programme_conflicts,
)
from events.festivals.permissions import FestivalNotFound, require_organiser
from events.festivals.selectors import festival_placements, placement_of
from events.models import (
    Festival,
    ProgrammeVersion,
    Proposal,
    Room,
    Rsvp,
    Session,
    Slot,
)
from events.sessions.services.rsvp import lock_session, promote_waitlist

State = Proposal.State
PLACEABLE = (State.ACCEPTED, State.CONFIRMED)


# --- slots and rooms --------------------------------------------------------------------------


def _festival_bounds(festival: Festival) -> tuple[datetime, datetime]:
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
    require_organiser(organiser, festival)
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
    require_organiser(organiser, festival)
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


def placement_remove(proposal: Proposal) -> None:
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
    require_organiser(organiser, festival)
    Festival.objects.select_for_update().filter(pk=festival.pk).first()
    proposal.refresh_from_db(fields=["state", "slot"])
    if proposal.state not in PLACEABLE:
        raise DomainError(_("Only accepted proposals go on the programme."), code="not_accepted")
    slot = (
        Slot.objects.select_related("room").filter(pk=slot_pk, festival=festival).first()
        if (slot_pk := ascii_int(slot_id)) is not None
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
    require_organiser(organiser, proposal.festival)
    if proposal.slot_id is None:
        return proposal
    placement_remove(proposal)
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
    require_organiser(organiser, festival)
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
    changed("festival.programme_published", object_id=festival.pk, community_id=None)
    if previous is not None:
        touched = {c["session"] for c in changes if c["change"] != "added"}
        for session in Session.objects.filter(pk__in=touched):
            invitations_sync_session(session=session, now=now)
    return version
