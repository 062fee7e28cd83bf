"""The coordinators' messages to a community's members or a session's people."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, User
from communities.permissions import can_manage_community
from events.models import Announcement, Rsvp, Session
from events.reminders.kinds import KIND_ANNOUNCEMENT
from events.reminders.selectors import preferences_for
from events.reminders.services.planner import (
    Planned,
    active_memberships,
    enqueue_planned,
    held_out_of_quiet_hours,
)
from events.sessions.permissions import can_manage_session


def _check_message(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DomainError(_("Write a subject and a message."), code="empty")
    if len(subject) > 150 or len(body) > 5000:
        raise DomainError(_("Keep the subject under 150 and the message under 5,000 characters."),
                          code="too_long")  # fmt: skip
    return subject, body


@transaction.atomic
def announcement_send(
    *,
    actor: User,
    subject: str,
    body: str,
    community: Community | None = None,
    session: Session | None = None,
) -> Announcement:
    """A coordinator's message to a community's active members, or a session's hosts' message
    to the people going. One outbox row per recipient who wants such messages, keyed
    ``announcement:<id>:<user>``. Transaction: one. Not idempotent (each call is a new
    message)."""

    subject, body = _check_message(subject, body)
    if session is not None:
        if not can_manage_session(actor, session):
            raise DomainError(_("Only the hosts and coordinators can write to the people going."),
                              code="forbidden")  # fmt: skip
        if session.is_cancelled:
            raise DomainError(_("This session is cancelled."), code="cancelled")
        people = [
            r.user
            for r in Rsvp.objects.filter(
                session=session, status=Rsvp.Status.GOING, user__is_active=True
            ).select_related("user")
        ]
        announcement = Announcement(session=session, author=actor, subject=subject, body=body)
        link = settings.SITE_URL + reverse("session_detail", args=[session.pk])
        audience = session.title
    else:
        if community is None or not can_manage_community(actor, community) or community.archived:
            raise DomainError(_("Only the coordinators can write to the members."),
                              code="forbidden")  # fmt: skip
        people = [m.user for m in active_memberships([community.pk])]
        announcement = Announcement(community=community, author=actor, subject=subject, body=body)
        link = settings.SITE_URL + reverse("community_detail", args=[community.slug])
        audience = community.name
    people = [p for p in people if p.pk != actor.pk]
    prefs = preferences_for({p.pk for p in people})
    people = [p for p in people if prefs[p.pk].announcements]
    announcement.recipients = len(people)
    announcement.save()
    now = timezone.now()
    context = {"announcement": announcement, "author": actor, "link": link, "audience": audience}
    enqueue_planned(
        [
            Planned(
                key=f"announcement:{announcement.pk}:{person.pk}",
                kind=KIND_ANNOUNCEMENT,
                template="announcement",
                user=person,
                due_at=held_out_of_quiet_hours(now, person),
                context=context,
                unsubscribe="announcements",
                share_key=announcement.pk,
            )
            for person in people
        ]
    )
    return announcement
