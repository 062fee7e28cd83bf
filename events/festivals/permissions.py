"""Who may do what at a festival: organisers, reviewers, the call for proposals, feedback."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.models import (
    Festival,
    Rsvp,
    Session,
)


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


def require_organiser(user: User, festival: Festival) -> None:
    if not is_organiser(user, festival):
        raise FestivalNotFound(_("This festival does not exist."), code="not_found")


# --- proposals --------------------------------------------------------------------------------


def cfp_is_open(festival: Festival, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return festival.cfp_opens_at <= now < festival.cfp_closes_at


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
