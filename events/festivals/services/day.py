"""The day itself and after: picking sessions, feedback, materials, checking in."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.festivals.permissions import FestivalNotFound, may_give_feedback
from events.festivals.selectors import room_session_now
from events.models import (
    Room,
    Rsvp,
    Session,
    SessionFeedback,
)
from events.sessions.permissions import can_manage_session
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.rsvp import rsvp_set

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


@transaction.atomic
def session_feedback_give(
    *, session_id: int, user: User, score: int, remark: str = "", now: datetime | None = None
):
    """Give (or change) one's feedback on a festival session: 1–5 and a short remark, read only
    by the speakers. Transaction: one. Idempotent: a second call replaces the first."""

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


# --- checking in on the day -------------------------------------------------------------------


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
