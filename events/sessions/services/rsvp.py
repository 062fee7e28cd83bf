"""RSVPs, capacity and the waitlist: nobody is ever overbooked.

Every change that can take or free a seat runs in one transaction that first locks the session
row (``SELECT … FOR UPDATE``), then recounts the seats from the RSVP rows, then writes. Seats
are computed, never decremented, so a lost update cannot drift the count. When seats free up,
the waitlist is promoted in FIFO order inside the same transaction, and each promoted person
gets a message through the outbox (same transaction, so no message without the promotion).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.errors import DomainError
from communities.extensions import changed
from communities.mail.services import outbox_enqueue
from communities.models import User
from events.calendar.services.invitation_mail import holds_whole_series
from events.calendar.services.invitations import invitations_sync_series, invitations_sync_session
from events.models import Rsvp, Session
from events.reminders.services.changes import reminders_skip
from events.sessions.permissions import can_manage_session, is_active_member
from events.sessions.selectors import online_taken, seats_taken, sessions_visible_to

Status = Rsvp.Status
ANSWERS = (Status.GOING, Status.MAYBE, Status.DECLINED)


class SessionNotFound(DomainError):
    """The session does not exist or the person may not see it (views answer 404)."""


def capacity_below_going(taken: int) -> DomainError:
    """The refusal when a new capacity would drop people who are going."""
    return DomainError(
        ngettext(
            "%(taken)d seat is taken: lower the capacity only after people cancel.",
            "%(taken)d seats are taken: lower the capacity only after people cancel.",
            taken,
        )
        % {"taken": taken},
        code="capacity_below_going",
    )


def lock_session(session_id: int) -> Session:
    """Lock one session row for the rest of the transaction (the capacity lock)."""
    session = Session.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    return session


def _check_may_see(session_id: int, user: User) -> None:
    if not sessions_visible_to(user).filter(pk=session_id).exists():
        raise SessionNotFound(_("This session does not exist."), code="not_found")


def _check_may_answer(session: Session, user: User, status: str, now: datetime) -> None:
    if session.members_only and not is_active_member(user, session.community):
        raise DomainError(
            _("This session is only for members of the community."), code="members_only"
        )
    if session.is_cancelled:
        raise DomainError(_("This session has been cancelled."), code="cancelled")
    if session.end <= now:
        raise DomainError(_("This session is over."), code="past")
    if status != Status.DECLINED and session.rsvp_deadline and session.rsvp_deadline <= now:
        raise DomainError(
            _("Sign-up for this session has closed; you can still say you are not coming."),
            code="deadline",
        )


def _validate_answer(session: Session, status: str, guests: int, mode: str) -> None:
    if status not in ANSWERS:
        raise DomainError(_("Answer going, maybe or not going."), code="status")
    if not 0 <= guests <= session.max_guests:
        if session.max_guests == 0:
            raise DomainError(_("This session does not allow guests."), code="guests")
        raise DomainError(
            ngettext(
                "You may bring at most %(count)d guest.",
                "You may bring at most %(count)d guests.",
                session.max_guests,
            )
            % {"count": session.max_guests},
            code="guests",
        )
    if mode not in Rsvp.Mode.values:
        raise DomainError(_("Choose in the room or online."), code="mode")
    if mode == Rsvp.Mode.ONLINE and not session.online_url:
        raise DomainError(_("This session cannot be followed online."), code="mode")
    if mode == Rsvp.Mode.IN_ROOM and session.online_url and not session.location:
        raise DomainError(_("This session is online only."), code="mode")


def _next_position(session: Session) -> int:
    last = Rsvp.objects.filter(session=session, status=Status.WAITLISTED).aggregate(
        last=Max("position")
    )["last"]
    return (last or 0) + 1


@transaction.atomic
def rsvp_set(
    *,
    session_id: int,
    user: User,
    status: str,
    guests: int = 0,
    mode: str | None = Rsvp.Mode.IN_ROOM,
    now: datetime | None = None,
    from_series: bool = False,
) -> Rsvp:
    """Answer going / maybe / not going for one session.

    Going when the room is full puts the person on the waitlist (FIFO position). Freeing a seat
    promotes the first on the waitlist in this same transaction. Transaction: one; the session
    row is locked first, then seats are recounted. Idempotent: the same answer again changes
    nothing (a waitlisted person keeps their place).

    ``from_series=True`` is the series' standing answer (events.services.series_rsvp) applied to
    this occurrence: ``guests`` and ``mode`` are ignored (the person's own choices, read under
    the lock, stay; a first answer takes no guests and the place the session is held), an answer
    that leaves the status as it is changes nothing, and declining never overrides an answer the
    person gave this occurrence themselves. Every answer without ``from_series`` is the person's
    own: it clears the flag, so stopping the series leaves it alone. ``mode=None``: where the
    session is held (``default_mode``). Whether the person may see the session is checked
    before the lock (SessionNotFound), the rest under it.
    """
    now = now or timezone.now()
    # Whether the person may see it does not depend on the seats: asked before the lock.
    _check_may_see(session_id, user)
    session = lock_session(session_id)
    _check_may_answer(session, user, status, now)
    if mode is None:
        mode = default_mode(session)
    if not from_series:
        _validate_answer(session, status, guests, mode)
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    if from_series:
        if status == Status.DECLINED and rsvp is not None and not rsvp.from_series:
            return rsvp  # their own answer for this occurrence stays
        guests, mode = _series_choices(session, rsvp, status)
        _validate_answer(session, status, guests, mode)
    # Leaving the room or the line (or needing fewer seats) can let the next in line in.
    held_place = rsvp is not None and rsvp.status in (Status.GOING, Status.WAITLISTED)
    before = (rsvp.status, rsvp.guests, rsvp.mode) if rsvp else None

    if status == Status.GOING:
        new_status, position = _place_for(session, rsvp, guests=guests, mode=mode)
    else:
        new_status, position = status, None

    if before == (new_status, guests, mode):
        if from_series or not rsvp.from_series:
            return rsvp
        # Answered again on the occurrence itself: from now on it is their own answer.
        rsvp.from_series = False
        rsvp.save(update_fields=["from_series", "updated_at"])
        return rsvp
    if rsvp is None:
        rsvp = Rsvp(session=session, user=user)
    rsvp.status = new_status
    rsvp.position = position
    rsvp.guests = guests
    rsvp.mode = mode
    rsvp.from_series = from_series
    rsvp.save()
    changed("rsvp.changed", object_id=rsvp.pk, community_id=session.community_id)
    if held_place:
        promote_waitlist(session=session, now=now)
    if new_status != Status.GOING:
        reminders_skip(session_id=session.pk, user_id=user.pk)
    invitations_sync_session(
        session=session, users=[user], now=now, answers={user.pk: rsvp}, seen_by=[user.pk]
    )
    return rsvp


def default_mode(session: Session) -> str:
    """Where a person takes part unless they choose: online only when there is no room."""
    return Rsvp.Mode.ONLINE if session.online_url and not session.location else Rsvp.Mode.IN_ROOM


def _series_choices(session: Session, rsvp: Rsvp | None, status: str) -> tuple[int, str]:
    """Guests and mode for a series answer: the person's own, else none and the default place.
    Declining frees their guests' seats too."""
    if rsvp is None:
        return 0, default_mode(session)
    mode = rsvp.mode
    if (mode == Rsvp.Mode.ONLINE and not session.online_url) or (
        mode == Rsvp.Mode.IN_ROOM and session.online_url and not session.location
    ):
        mode = default_mode(session)  # the session moved since they answered
    return (0 if status == Status.DECLINED else rsvp.guests), mode


def _place_for(
    session: Session, rsvp: Rsvp | None, *, guests: int, mode: str
) -> tuple[str, int | None]:
    """Going if there is room for the person and their guests, else their waitlist place."""
    own_id = rsvp.pk if rsvp is not None else None
    if mode == Rsvp.Mode.ONLINE:
        if (
            session.online_capacity is not None
            and online_taken(session, exclude_rsvp_id=own_id) >= session.online_capacity
        ):
            raise DomainError(_("The online places are all taken."), code="online_full")
        return Status.GOING, None
    if session.capacity is None:
        return Status.GOING, None
    need = 1 + guests
    is_going = rsvp is not None and rsvp.status == Status.GOING
    if is_going and rsvp.mode == Rsvp.Mode.IN_ROOM and need <= 1 + rsvp.guests:
        return Status.GOING, None  # keeps (or gives back) seats they already hold
    no_seats = DomainError(
        _("There are not enough free seats for your guests."), code="no_seats_for_guests"
    )
    if need > session.capacity:
        raise no_seats  # would block the line forever (strict FIFO)
    # Nobody may jump the queue: a free seat while others wait goes to them first.
    ahead = Rsvp.objects.filter(session=session, status=Status.WAITLISTED)
    if rsvp is not None and rsvp.status == Status.WAITLISTED:
        ahead = ahead.filter(position__lt=rsvp.position)
    free = session.capacity - seats_taken(session, exclude_rsvp_id=own_id)
    if free >= need and not ahead.exists():
        return Status.GOING, None
    if is_going:
        raise no_seats
    if rsvp is not None and rsvp.status == Status.WAITLISTED:
        return Status.WAITLISTED, rsvp.position
    return Status.WAITLISTED, _next_position(session)


def promote_waitlist(*, session: Session, now: datetime | None = None) -> list[Rsvp]:
    """Fill free seats from the waitlist, first come first served; tell each person by mail.

    Must run inside the transaction that holds the session lock (``lock_session``). Strict FIFO:
    if the first in line needs more seats (guests) than are free, nobody behind them jumps.
    Idempotent: with no free seat or nobody waiting it does nothing.
    """
    now = now or timezone.now()
    waiting = list(
        Rsvp.objects.select_for_update()
        .filter(session=session, status=Status.WAITLISTED)
        .select_related("user")
        .order_by("position", "id")
    )
    if not waiting:
        return []
    free = None if session.capacity is None else session.capacity - seats_taken(session)
    promoted = []
    for rsvp in waiting:
        need = 1 + rsvp.guests
        if free is not None and need > free:
            break
        rsvp.status = Status.GOING
        rsvp.position = None
        rsvp.promoted_at = now
        rsvp.save(update_fields=["status", "position", "promoted_at", "updated_at"])
        changed("rsvp.changed", object_id=rsvp.pk, community_id=session.community_id)
        if free is not None:
            free -= need
        promoted.append(rsvp)
        _notify_promotion(rsvp, session)
    return promoted


def _notify_promotion(rsvp: Rsvp, session: Session) -> None:
    """The calendar invitation says it; people without invitations get a plain mail. Someone
    going to the whole series who waited everywhere gets their first series invitation now."""

    first_of_series = (
        session.series_id
        and rsvp.from_series
        and not holds_whole_series(rsvp.user, session.series_id)
    )
    if first_of_series and invitations_sync_series(series=session.series, users=[rsvp.user]):
        return
    if invitations_sync_session(session=session, users=[rsvp.user], promoted=[rsvp.user_id]):
        return
    outbox_enqueue(
        dedupe_key=f"waitlist-promoted:{rsvp.pk}:{rsvp.promoted_at.isoformat()}",
        kind="waitlist_promoted",
        template="waitlist_promoted",
        recipient=rsvp.user,
        context={"session": session, "url": reverse("session_detail", args=[session.pk])},
    )


@transaction.atomic
def session_set_capacity(*, session_id: int, actor: User, capacity: int | None) -> Session:
    """Change a session's seats. Lowering below the number going is refused (the coordinator
    decides who goes); raising it promotes from the waitlist. Transaction: one, session locked."""
    session = lock_session(session_id)
    if not can_manage_session(actor, session):
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    if capacity is not None and capacity < 1:
        raise DomainError(_("Capacity must be at least 1, or empty for no limit."), code="capacity")
    taken = seats_taken(session)
    if capacity is not None and capacity < taken:
        raise capacity_below_going(taken)
    session.capacity = capacity
    session.save(update_fields=["capacity", "updated_at"])
    promote_waitlist(session=session)
    return session


@transaction.atomic
def rsvp_remove(*, session_id: int, actor: User, rsvp_id: int) -> Rsvp:
    """A host takes someone off the list (declined); their seat goes to the waitlist.
    Transaction: one, session locked."""
    session = lock_session(session_id)
    if not can_manage_session(actor, session):
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    rsvp = Rsvp.objects.filter(pk=rsvp_id, session=session).first()
    if rsvp is None:
        raise DomainError(_("That person has not answered for this session."), code="not_found")
    held_place = rsvp.status in (Status.GOING, Status.WAITLISTED)
    rsvp.status = Status.DECLINED
    rsvp.position = None
    rsvp.save(update_fields=["status", "position", "updated_at"])
    if held_place:
        promote_waitlist(session=session)
    invitations_sync_session(session=session, users=[rsvp.user])
    return rsvp


@transaction.atomic
def rsvp_withdraw(*, session_id: int, user: User, now: datetime | None = None) -> bool:
    """Take a person off a session they may no longer attend (they left or were removed from
    its private community, it turned private, they were deactivated or erased): their answer
    becomes "not going", their seats go to the waitlist (whose promoted people get their
    REQUESTs) and their calendar gets its CANCEL without any reason. No visibility check: this
    is why they are taken off. Transaction: one, session locked first. Idempotent: returns
    False when there was nothing to withdraw."""
    now = now or timezone.now()
    session = lock_session(session_id)
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    if rsvp is None or rsvp.status == Status.DECLINED:
        invitations_sync_session(session=session, users=[user], now=now)
        return False
    held_place = rsvp.status in (Status.GOING, Status.WAITLISTED)
    rsvp.status = Status.DECLINED
    rsvp.position = None
    rsvp.guests = 0
    rsvp.from_series = False
    rsvp.save(update_fields=["status", "position", "guests", "from_series", "updated_at"])
    if held_place and session.end > now and not session.is_cancelled:
        promote_waitlist(session=session, now=now)
    reminders_skip(session_id=session.pk, user_id=user.pk)
    invitations_sync_session(session=session, users=[user], now=now)
    return True


def waitlist_repair(*, now: datetime | None = None) -> int:
    """Periodic safety net: promote people on sessions that have free seats while they wait.

    Each session is repaired in its own transaction under its lock. Idempotent. Returns the
    number of people promoted."""
    now = now or timezone.now()
    candidates = (
        Session.objects.filter(
            state=Session.State.SCHEDULED, end__gt=now, rsvps__status=Status.WAITLISTED
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    promoted = 0
    for session_id in candidates:
        with transaction.atomic():
            session = lock_session(session_id)
            if session.capacity is None or seats_taken(session) < session.capacity:
                promoted += len(promote_waitlist(session=session, now=now))
    return promoted


@transaction.atomic
def attendance_mark(*, session_id: int, actor: User, attended_user_ids: set[int]) -> int:
    """Hosts tick who attended once the session has started; the others who said they'd come
    count as no-shows. Transaction: one. Idempotent for the same list. Returns how many came."""
    session = lock_session(session_id)
    if not can_manage_session(actor, session):
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    if session.start > timezone.now():
        raise DomainError(_("Attendance can be taken once the session has started."), code="early")
    answered = Rsvp.objects.filter(session=session).filter(
        Q(status=Status.GOING) | Q(user_id__in=attended_user_ids)
    )
    came = answered.filter(user_id__in=attended_user_ids).update(attended=True)
    answered.exclude(user_id__in=attended_user_ids).update(attended=False)
    return came
