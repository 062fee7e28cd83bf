"""Writes of meelopen: offering days, booking one (capacity and waiting list are the session's),
cancelling, and turning the reflection afterwards into a takeaway."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.errors import DomainError
from communities.models import User
from events.models import Rsvp, Session, Takeaway
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, validate_details
from events.takeaways.services import takeaway_create
from learning.shadowing import selectors
from learning.shadowing.models import ShadowingOffer, ShadowingSlot

MAX_CAPACITY = 20


class ShadowingNotFound(DomainError):
    pass


def shadowing_offer_create(
    *, host: User, team: str, title: str, description: str, location: str
) -> ShadowingOffer:
    """Anyone offers colleagues a day to come and see how their team works.
    Transaction: one insert. Not idempotent."""
    if not (host.is_authenticated and host.is_active):
        raise DomainError(_("Only signed-in colleagues can offer shadowing."), code="forbidden")
    fields = {"team": team, "title": title, "description": description, "location": location}
    if any(not value.strip() for value in fields.values()):
        raise DomainError(
            _("Fill in the team, title, what people will see and where."), code="empty"
        )
    return ShadowingOffer.objects.create(host=host, **{k: v.strip() for k, v in fields.items()})


@transaction.atomic
def shadowing_slot_add(
    *, offer_id: int, actor: User, start: datetime, end: datetime, capacity: int, zone: str
) -> ShadowingSlot:
    """A day (or part of one) of an offer, as an organisation-wide session hosted by the
    offer's host: booking, the waiting list, calendar invitations, reminders and the takeaway
    prompt are the sessions' own. Transaction: one. Not idempotent."""
    offer = ShadowingOffer.objects.filter(pk=offer_id, active=True).first()
    if offer is None or offer.host_id != actor.pk:
        raise ShadowingNotFound(_("This offer does not exist."), code="not_found")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(_("Between 1 and 20 people can come along."), code="capacity")
    with override(actor.language):
        title = f"{_('Shadowing')}: {offer.title}"
    details = SessionDetails(
        title=title[:200],
        format=Session.Format.OTHER,
        start=start,
        end=end,
        timezone=zone,
        description=offer.description,
        location=offer.location,
        capacity=capacity,
    )
    validate_details(details, community=None)
    if start <= timezone.now():
        raise DomainError(_("A new session must start in the future."), code="past")
    session = Session.objects.create(
        community=None,
        created_by=actor,
        title=details.title,
        format=details.format,
        start=details.start,
        end=details.end,
        timezone=details.timezone,
        description=details.description,
        location=details.location,
        capacity=details.capacity,
    )
    session.hosts.set([actor])
    return ShadowingSlot.objects.create(offer=offer, session=session)


def _slot(user: User, slot_id: int) -> ShadowingSlot:
    slot = selectors.slot_for(user=user, slot_id=slot_id)
    if slot is None:
        raise ShadowingNotFound(_("This shadowing day does not exist."), code="not_found")
    return slot


def shadowing_book(*, slot_id: int, user: User) -> Rsvp:
    """Book a place, or a place on the waiting list when the day is full (first come, first
    served; promoted when someone cancels). Transaction: the RSVP's (session row locked).
    Idempotent: booking again keeps the place."""
    slot = _slot(user, slot_id)
    if slot.offer.host_id == user.pk:
        raise DomainError(_("You host this day yourself."), code="own")
    return rsvp_set(session_id=slot.session_id, user=user, status=Rsvp.Status.GOING)


def shadowing_cancel(*, slot_id: int, user: User) -> Rsvp:
    """Give the place (or the place in line) back; the first on the waiting list moves up.
    Transaction: the RSVP's. Idempotent."""
    slot = _slot(user, slot_id)
    return rsvp_set(session_id=slot.session_id, user=user, status=Rsvp.Status.DECLINED)


def shadowing_reflect(
    *, slot_id: int, user: User, seen: str, surprised: str, take_back: str, visibility: str
) -> Takeaway:
    """The short reflection after a shadowing day becomes the person's takeaway of it (owned,
    reviewed and searchable like any other). Transaction: the takeaway's. Not idempotent."""
    slot = _slot(user, slot_id)
    parts = [
        (_("What I saw"), seen.strip()),
        (_("What surprised me"), surprised.strip()),
        (_("What I take back to my team"), take_back.strip()),
    ]
    if not any(text for _label, text in parts):
        raise DomainError(_("Write at least one answer."), code="empty")
    body = "\n\n".join(f"**{label}**: {text}" for label, text in parts if text)
    return takeaway_create(
        session_id=slot.session_id,
        author=user,
        title=f"{_('Shadowing')}: {slot.offer.title}"[:80],
        body=body,
        visibility=visibility,
        tags=["meelopen"],
        action=take_back.strip()[:280],
    )
