"""Who may write a takeaway of a session, and who may read what it is shared with."""

from __future__ import annotations

from django.utils import timezone

from communities.models import Community, User
from events.models import Rsvp, Session, Takeaway


def may_write_takeaway(user: User, session: Session) -> bool:
    """From the start of a session, people who came (or said they would) write takeaways."""
    if not user.is_authenticated:
        return False
    if session.start > timezone.now() or session.is_cancelled:
        return False
    return (
        Rsvp.objects.filter(
            session=session, user=user, status__in=[Rsvp.Status.GOING, Rsvp.Status.MAYBE]
        )
        .exclude(attended=False)
        .exists()
        or session.hosts.filter(pk=user.pk).exists()
    )


def private_group(community: Community | None) -> bool:
    """A private community or intervision group: its takeaways never leave it."""
    return community is not None and (
        community.is_intervision or community.visibility == Community.Visibility.PRIVATE
    )


def default_visibility(community: Community | None) -> str:
    """Intervision groups and private communities: the group; elsewhere: the organisation.
    ``community`` is the takeaway's (its session's, or its own when kept from an answer)."""
    if private_group(community):
        return Takeaway.Visibility.COMMUNITY
    return Takeaway.Visibility.ORGANISATION


def visibility_choices(community: Community | None) -> list[tuple[str, str]]:
    """What the author may choose for a takeaway in this community (None: organisation-wide)."""
    choices = list(Takeaway.Visibility.choices)
    if community is None:
        return [c for c in choices if c[0] != Takeaway.Visibility.COMMUNITY]
    if private_group(community):
        return [c for c in choices if c[0] != Takeaway.Visibility.ORGANISATION]
    return choices
