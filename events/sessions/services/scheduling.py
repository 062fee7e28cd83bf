"""Scheduling one-off sessions: what a session is (``SessionDetails``), create, edit, cancel.

A change that moves the entry in people's calendars raises the SEQUENCE and is reconciled
with every invitation holder in the same transaction; cancelling skips pending reminders.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import changed
from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from events.calendar.services.invitations import (
    SIGNIFICANT_FIELDS,
    invitation_holders,
    invitations_sync_session,
)
from events.models import Rsvp, Session
from events.reminders.services.changes import reminders_session_moved, reminders_skip
from events.sessions.permissions import can_create_session, can_manage_session
from events.sessions.selectors import seats_taken
from events.sessions.services.rsvp import (
    SessionNotFound,
    capacity_below_going,
    lock_session,
    promote_waitlist,
)

MAX_SESSION_LENGTH = timedelta(hours=72)


@dataclass(frozen=True)
class FormatDefaults:
    minutes: int
    capacity: int | None


FORMAT_DEFAULTS: dict[str, FormatDefaults] = {
    Session.Format.BROWN_BAG: FormatDefaults(60, 25),
    Session.Format.KNOWLEDGE_SESSION: FormatDefaults(90, None),
    Session.Format.WORKSHOP: FormatDefaults(120, 16),
    Session.Format.HACKATHON: FormatDefaults(8 * 60, None),
    Session.Format.MEETUP: FormatDefaults(90, None),
    Session.Format.LIGHTNING: FormatDefaults(45, None),
    Session.Format.KENNISCAFE: FormatDefaults(105, 24),
    Session.Format.INTERVISION: FormatDefaults(90, 8),
    Session.Format.OTHER: FormatDefaults(60, None),
}


@dataclass(frozen=True)
class SessionDetails:
    """What a coordinator fills in; shared by one-off sessions and series."""

    title: str
    format: str
    start: datetime
    end: datetime
    timezone: str = settings.TIME_ZONE
    description: str = ""
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    online_capacity: int | None = None
    rsvp_deadline: datetime | None = None
    materials: str = ""
    guest_speaker: str = ""
    members_only: bool = False
    max_guests: int = 0
    host_ids: tuple[int, ...] = ()


def validate_details(details: SessionDetails, *, community: Community | None) -> None:
    """Raise a DomainError with a clear message for anything a person could get wrong."""
    if not details.title.strip():
        raise DomainError(_("A session needs a title."), code="title")
    if details.format not in Session.Format.values:
        raise DomainError(_("Choose a format."), code="format")
    moments = (details.start, details.end, details.rsvp_deadline)
    if any(moment is not None and timezone.is_naive(moment) for moment in moments):
        raise DomainError(_("Give the start and end with a time zone."), code="naive")
    if details.timezone not in available_timezones():
        raise DomainError(_("Unknown time zone."), code="timezone")
    if details.end <= details.start:
        raise DomainError(_("The end must be after the start."), code="end_before_start")
    if details.end - details.start > MAX_SESSION_LENGTH:
        raise DomainError(_("A session can last at most 72 hours."), code="too_long")
    if details.capacity is not None and details.capacity < 1:
        raise DomainError(_("Capacity must be at least 1, or empty for no limit."), code="capacity")
    if details.online_capacity is not None and details.online_capacity < 1:
        raise DomainError(
            _("Online places must be at least 1, or empty for no limit."), code="capacity"
        )
    if not 0 <= details.max_guests <= 10:
        raise DomainError(_("Allow between 0 and 10 guests per person."), code="guests")
    if details.rsvp_deadline and details.rsvp_deadline > details.start:
        raise DomainError(_("The sign-up deadline must be before the start."), code="deadline")
    if not details.location.strip() and not details.online_url.strip():
        raise DomainError(_("Give a location, an online meeting link, or both."), code="where")
    if details.members_only and community is None:
        raise DomainError(_("Only a community's sessions can be for members only."), code="members")


def _hosts(details: SessionDetails, community: Community | None) -> list[User]:
    hosts = list(User.objects.filter(pk__in=details.host_ids, is_active=True))
    if len(hosts) != len(set(details.host_ids)):
        raise DomainError(_("One of the hosts does not exist."), code="hosts")
    return hosts


def _apply(session: Session, details: SessionDetails) -> None:
    session.title = details.title.strip()
    session.format = details.format
    session.start = details.start
    session.end = details.end
    session.timezone = details.timezone
    session.description = details.description
    session.location = details.location.strip()
    session.online_url = details.online_url.strip()
    session.capacity = details.capacity
    session.online_capacity = details.online_capacity
    session.rsvp_deadline = details.rsvp_deadline
    session.materials = details.materials
    session.guest_speaker = details.guest_speaker.strip()
    session.members_only = details.members_only
    session.max_guests = details.max_guests


@transaction.atomic
def session_create(*, community: Community, actor: User, details: SessionDetails) -> Session:
    """Schedule a one-off session in a community. Transaction: one. Not idempotent (each call
    schedules a new session)."""
    if not can_create_session(actor, community):
        raise DomainError(_("Only the coordinators can schedule sessions here."), code="forbidden")
    validate_details(details, community=community)
    if details.start <= timezone.now():
        raise DomainError(_("A new session must start in the future."), code="past")
    session = Session(community=community, created_by=actor)
    _apply(session, details)
    session.save()
    session.hosts.set(_hosts(details, community) or [actor])
    changed("session.created", object_id=session.pk, community_id=session.community_id)
    return session


@transaction.atomic
def session_update(*, session_id: int, actor: User, details: SessionDetails) -> Session:
    """Edit a session. A significant change (time, place, title) raises its calendar SEQUENCE.
    Capacity may not drop below the seats taken; raising it promotes the waitlist.
    Transaction: one, session locked. Idempotent for the same details."""
    session = lock_session(session_id)
    if not can_manage_session(actor, session):
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    if session.is_cancelled:
        raise DomainError(_("A cancelled session cannot be changed."), code="cancelled")
    if session.festival_id:
        # Time, room and title come from the festival's programme (conflict checks,
        # versions, announcements); editing the session directly would bypass them.
        raise DomainError(
            _("A festival session is changed on the festival's programme, not here."),
            code="festival",
        )
    validate_details(details, community=session.community)
    taken = seats_taken(session)
    if details.capacity is not None and details.capacity < taken:
        raise capacity_below_going(taken)
    before = {field: getattr(session, field) for field in SIGNIFICANT_FIELDS}
    hosts_before = set(session.hosts.values_list("pk", flat=True))
    _apply(session, details)
    hosts_after = {host.pk for host in _hosts(details, session.community)} or hosts_before
    significant = hosts_after != hosts_before or any(
        getattr(session, field) != value for field, value in before.items()
    )
    if significant:
        session.sequence += 1
    if session.series_id:
        session.edited_in_series = True
    moved = before.get("start") != session.start or before.get("end") != session.end
    session.save()
    if moved:
        reminders_session_moved(session_id=session.pk)
    if details.host_ids:
        session.hosts.set(_hosts(details, session.community))
    promote_waitlist(session=session)
    if significant:
        invitations_sync_session(session=session)
    changed("session.updated", object_id=session.pk, community_id=session.community_id)
    return session


@transaction.atomic
def session_cancel(
    *, session_id: int, actor: User, reason: str, sync_calendars: bool = True
) -> Session:
    """Cancel a session: it stays visible as cancelled; everyone who answered going, maybe or
    waitlisted gets a message: a calendar CANCEL for whoever has it in their calendar by
    invitation, a plain mail for the others. ``sync_calendars=False`` is for callers that
    settle the calendars themselves (cancelling the rest of a series).
    Transaction: one, session locked. Idempotent."""
    session = lock_session(session_id)
    if not can_manage_session(actor, session):
        raise SessionNotFound(_("This session does not exist."), code="not_found")
    if session.is_cancelled:
        return session
    reason = reason.strip()
    if len(reason) > 280:
        raise DomainError(_("Keep the reason under 280 characters."), code="too_long")
    session.state = Session.State.CANCELLED
    session.cancel_reason = reason
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save()
    reminders_skip(session_id=session.pk)
    if sync_calendars:
        told = {message.recipient_id for message in invitations_sync_session(session=session)}
    else:
        told = invitation_holders(session)
    _notify_cancellation(session, skip_user_ids=told)
    changed("session.cancelled", object_id=session.pk, community_id=session.community_id)
    return session


def _notify_cancellation(session: Session, *, skip_user_ids: set[int]) -> None:
    if session.end <= timezone.now():
        return
    answered = (
        Rsvp.objects.filter(
            session=session,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED],
        )
        .exclude(user_id__in=skip_user_ids)
        .select_related("user")
    )
    for rsvp in answered:
        outbox_enqueue(
            dedupe_key=f"session-cancelled:{session.uid}:{session.sequence}:{rsvp.user_id}",
            kind="session_cancelled",
            template="session_cancelled",
            recipient=rsvp.user,
            context={"session": session, "url": reverse("session_detail", args=[session.pk])},
        )
