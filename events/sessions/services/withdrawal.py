"""What a person's sessions do when they may no longer take part.

Two entry points, both registered with the base layer at startup (``communities.extensions``):

- ``sessions_access_changed(community, users)``: after people left or were removed from a
  community, or it turned private. Whoever may no longer see an upcoming session is taken off
  it (their seats go to the waitlist) and their calendar gets its CANCEL, without a reason;
  their standing series answers there end.
- ``sessions_withdraw(user)`` (deactivation and erasure): every upcoming answer and standing
  series answer ends, every seat is freed (the waitlist is promoted, with its REQUESTs), every
  calendar entry invitations put there is cancelled, and each future session they host passes
  to its co-hosts or, without one, is flagged to the community's coordinators by mail.
  ``sessions_withdrawal_preview(user)`` says the same in sentences, before staff confirm.

Everything joins the caller's transaction and is idempotent: run again, nothing is left to do.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from communities.selectors import leads
from events.calendar.services.invitations import invitations_sync_user
from events.models import CalendarDelivery, Rsvp, SeriesRsvp, Session
from events.series.selectors import series_visible_to
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.rsvp import rsvp_withdraw

Status = Rsvp.Status
HOLDING = (Status.GOING, Status.WAITLISTED, Status.MAYBE)


def _upcoming(now: datetime):
    return Session.objects.filter(end__gt=now, state=Session.State.SCHEDULED)


def _people_of(community: Community, now: datetime) -> list[User]:
    """Everyone with an answer, a standing answer or a calendar entry in the community."""
    sessions = Session.objects.filter(community=community, end__gt=now)
    ids = set(
        Rsvp.objects.filter(session__in=sessions, status__in=HOLDING).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        SeriesRsvp.objects.filter(series__community=community).values_list("user_id", flat=True)
    )
    ids |= set(
        CalendarDelivery.objects.filter(
            Q(session__in=sessions) | Q(series__community=community)
        ).values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def sessions_access_changed(
    community: Community, users: list[User] | None = None, *, now: datetime | None = None
) -> None:
    """Take ``users`` (default: everyone involved) off the community's upcoming sessions they
    may no longer see, and bring their calendars in line. Transaction: the caller's."""
    now = now or timezone.now()
    for user in users if users is not None else _people_of(community, now):
        visible = sessions_visible_to(user).filter(community=community)
        for standing in SeriesRsvp.objects.filter(user=user, series__community=community):
            if series_visible_to(user, standing.series_id) is None:
                standing.delete()
        lost = (
            Rsvp.objects.filter(
                user=user, status__in=HOLDING, session__community=community, session__end__gt=now
            )
            .exclude(session__in=visible)
            .values_list("session_id", flat=True)
        )
        for session_id in list(lost):
            rsvp_withdraw(session_id=session_id, user=user, now=now)
        invitations_sync_user(user=user, now=now)


def _hosted(user: User, now: datetime):
    return _upcoming(now).filter(hosts=user).select_related("community").order_by("start", "pk")


def sessions_withdrawal_preview(
    user: User, *, viewer: User | None = None, now: datetime | None = None
) -> list[str]:
    """What ``sessions_withdraw`` would do, in sentences for the staff's confirmation page;
    with ``viewer``, hosted sessions that viewer may not see are counted, not named."""
    now = now or timezone.now()
    answers = Rsvp.objects.filter(user=user, status__in=HOLDING, session__in=_upcoming(now))
    going = answers.filter(status=Status.GOING).count()
    waiting = answers.filter(status=Status.WAITLISTED).count()
    entries = CalendarDelivery.objects.filter(
        Q(session__end__gt=now) | Q(session__isnull=True), user=user, method="REQUEST",
        recurrence_key="",
    ).count()  # fmt: skip
    lines = []
    if going:
        lines.append(ngettext(
            "Their seat in %(count)d upcoming session is freed; the first on its waiting list"
            " moves up and gets an invitation.",
            "Their seats in %(count)d upcoming sessions are freed; the first on each waiting"
            " list moves up and gets an invitation.", going) % {"count": going})  # fmt: skip
    if waiting:
        lines.append(ngettext(
            "They leave the waiting list of %(count)d session.",
            "They leave the waiting lists of %(count)d sessions.", waiting) % {"count": waiting})  # fmt: skip
    series = SeriesRsvp.objects.filter(user=user).count()
    if series:
        lines.append(ngettext(
            "Their answer “going to every session” of %(count)d series ends.",
            "Their answers “going to every session” of %(count)d series end.", series)
            % {"count": series})  # fmt: skip
    if entries:
        lines.append(ngettext(
            "%(count)d entry in their calendar is cancelled.",
            "%(count)d entries in their calendar are cancelled.", entries) % {"count": entries})  # fmt: skip
    hosted = list(_hosted(user, now))
    if viewer is not None:
        visible = set(
            sessions_visible_to(viewer)
            .filter(pk__in=[session.pk for session in hosted])
            .values_list("pk", flat=True)
        )
        unnamed = len([session for session in hosted if session.pk not in visible])
        hosted = [session for session in hosted if session.pk in visible]
        if unnamed:
            lines.append(ngettext(
                "%(count)d other session they host passes to its co-host, or its coordinators"
                " are told.",
                "%(count)d other sessions they host pass to their co-hosts, or their"
                " coordinators are told.", unnamed) % {"count": unnamed})  # fmt: skip
    for session in hosted:
        others = session.hosts.exclude(pk=user.pk).filter(is_active=True)
        if others.exists():
            lines.append(_("“%(title)s” (%(day)s) stays with its co-host %(name)s.") % {
                "title": session.title, "day": session.start.date().isoformat(),
                "name": ", ".join(o.name for o in others)})  # fmt: skip
        else:
            lines.append(_("“%(title)s” (%(day)s) has no other host: its coordinators are told.")
                         % {"title": session.title, "day": session.start.date().isoformat()})  # fmt: skip
    return lines


def sessions_withdraw(user: User, *, now: datetime | None = None) -> list[str]:
    """End every upcoming answer of ``user``, free their seats, cancel their calendar entries
    and hand over what they host. Transaction: the caller's. Idempotent. Returns sentences
    saying what was done (for the staff's message)."""
    now = now or timezone.now()
    lines = sessions_withdrawal_preview(user, now=now)
    SeriesRsvp.objects.filter(user=user).delete()
    held = Rsvp.objects.filter(user=user, status__in=HOLDING, session__end__gt=now)
    for session_id in list(held.order_by("session_id").values_list("session_id", flat=True)):
        rsvp_withdraw(session_id=session_id, user=user, now=now)
    for session in list(_hosted(user, now)):
        session.hosts.remove(user)
        if not session.hosts.filter(is_active=True).exists():
            _flag_to_coordinators(session, user)
    invitations_sync_user(user=user, now=now)
    return lines


def _flag_to_coordinators(session: Session, host: User) -> None:
    """Tell the community's coordinators that a session lost its only host."""
    if session.community_id is None:
        return
    for lead in leads().filter(community_id=session.community_id).select_related("user"):
        if lead.user_id == host.pk:
            continue
        outbox_enqueue(
            dedupe_key=f"host-left:{session.pk}:{host.pk}:{lead.user_id}",
            kind="host_left",
            template="host_left",
            recipient=lead.user,
            context={
                "session": session,
                "host_name": host.name,
                "url": reverse("session_detail", args=[session.pk]),
            },
        )
