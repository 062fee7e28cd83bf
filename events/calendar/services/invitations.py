"""Calendar invitations (iMIP): REQUEST and CANCEL mails, reconciled per person.

Every trigger — an answer, a promotion from the waitlist, an edit, a cancellation, a series
answer, a split, a changed delivery preference — calls one of the ``invitations_sync_*``
functions, which compare what each person's calendar should hold with what the last mail told it
(``CalendarDelivery``) and enqueue only the difference through the outbox:

- a one-off session (or an occurrence someone answered on its own) is its own calendar object,
  under the session's UID;
- someone going to a whole series gets one object under the series' UID: the master (RRULE,
  EXDATE for what they do not go to or what was cancelled) with overrides (RECURRENCE-ID) for
  occurrences that differ from the pattern; later changes to one occurrence go out as that
  instance alone (an override REQUEST, or a CANCEL with RECURRENCE-ID).

SEQUENCE per person and UID only grows: a mail carries max(the object's SEQUENCE, the last one
sent to that person + 1), so a re-invitation after a cancellation is never ignored (iOS 13+
drops updates whose SEQUENCE did not rise) and every dedupe key
``invite:<uid>:<sequence>:<method>:<user>`` is new. People who take sessions through their feed
only (``User.calendar_delivery``) are never sent invitation mail; switching to the feed cancels
what invitations put in their calendar.

One rule decides every message: what a person's calendar should hold is (sessions they may see)
∩ (their answers) ∩ (their chosen delivery). Someone who may no longer see a session (they left
or were removed from a private community, it turned private, they were deactivated) gets its
CANCEL, "withheld": no reason and nothing new, and then nothing more about it.

All functions join the caller's transaction (the rows and the outbox messages commit with the
change that caused them) and are idempotent: run again, they find nothing left to send.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from communities.mail.models import OutboxMessage
from communities.models import User
from communities.organisation import organisation_settings
from events.calendar.ical.itip import CANCEL, REQUEST, build_cancel, build_request
from events.calendar.services.invitation_mail import (
    Status,
    attendee_of,
    enqueue_invitation,
    holds_whole_series,
    invitation_context,
    next_sequence,
    organizer_address,
    record_delivery,
    recurrence_key,
    rsvp_links,
    send_series_cancel,
    send_series_request,
    send_session_cancel,
    send_session_request,
    session_feed_event,
)
from events.models import CalendarDelivery, Rsvp, Series, SeriesRsvp, Session
from events.series.selectors import series_visible_to
from events.sessions.selectors import sessions_visible_to

# Fields of a session whose change is mailed as an update (a higher SEQUENCE): what puts the
# entry somewhere else or makes it a different meeting. Description, capacity and materials are
# not: they are read on the session page.
SIGNIFICANT_FIELDS = (
    "title",
    "start",
    "end",
    "timezone",
    "location",
    "online_url",
    "guest_speaker",
    "state",
)


def invitation_holders(session: Session) -> set[int]:
    """Who has this session in their calendar by invitation (on its own or in the series)."""
    holders = set(
        CalendarDelivery.objects.filter(
            session=session, recurrence_key="", method=REQUEST
        ).values_list("user_id", flat=True)
    )
    if session.series_id:
        holders |= set(
            CalendarDelivery.objects.filter(
                series_id=session.series_id, recurrence_key="", method=REQUEST
            ).values_list("user_id", flat=True)
        )
    return holders


def _going(rsvp: Rsvp | None) -> bool:
    return rsvp is not None and rsvp.status == Status.GOING


def _tentative(rsvp: Rsvp | None, session: Session) -> bool:
    """ "Maybe" keeps an entry the calendar already has (as a calendar's Tentative does); it is
    neither invited anew nor cancelled."""
    return rsvp is not None and rsvp.status == Status.MAYBE and not session.is_cancelled


def invitations_sync_session(
    *,
    session: Session,
    users: Iterable[User] | None = None,
    now: datetime | None = None,
    promoted: Iterable[int] = (),
    answers: dict[int, Rsvp] | None = None,
    seen_by: Iterable[int] = (),
) -> list[OutboxMessage]:
    """Bring the calendars of ``users`` (default: everyone going to, or ever invited to, the
    session) in line with the session: a REQUEST to whoever goes and has not seen this version,
    a CANCEL to whoever was invited and no longer goes (or when the session is cancelled).
    Occurrences of a series someone has as a whole go out as that one instance.

    Transaction: the caller's. Idempotent. Past sessions are left alone. Returns the messages
    enqueued (for the callers that mail people without an invitation instead). A caller that
    has just written the answers of ``users`` in this transaction passes them (``answers``, by
    user id) and the ids it checked may see the session (``seen_by``): they are not read again.
    """
    now = now or timezone.now()
    if session.end <= now:
        return []
    if users is not None:
        users = list(users)
    if answers is not None and users is not None and {u.pk for u in users} <= set(answers):
        rsvps = dict(answers)
    else:
        query = Rsvp.objects.filter(session=session)
        if users is not None:
            query = query.filter(user__in=users)
        rsvps = {rsvp.user_id: rsvp for rsvp in query}
    seen_by = set(seen_by)
    if users is None:
        ids = {uid for uid, rsvp in rsvps.items() if rsvp.status == Status.GOING}
        ids |= set(
            CalendarDelivery.objects.filter(session=session).values_list("user_id", flat=True)
        )
        if session.series_id:
            ids |= set(
                CalendarDelivery.objects.filter(
                    series_id=session.series_id, recurrence_key="", method=REQUEST
                ).values_list("user_id", flat=True)
            )
        users = User.objects.filter(pk__in=ids).order_by("pk")
    promoted = set(promoted)
    sent = []
    for user in users:
        if not user.is_active:
            continue
        may_see = user.pk in seen_by or may_see_session(user, session)
        if not may_see or not user.wants_invitations:
            sent.extend(_withdraw_session(user, session, now=now))
            continue
        rsvp = rsvps.get(user.pk)
        standing = (
            session.series_id is not None
            and SeriesRsvp.objects.filter(series_id=session.series_id, user=user).exists()
        )
        with override(user.language):  # the calendar's words (e.g. "Intervisie") too
            if session.series_id and holds_whole_series(user, session.series_id):
                # Without the standing answer the whole series is about to be cancelled.
                message = (
                    _sync_instance(user, session, rsvp, now=now, promoted=user.pk in promoted)
                    if standing
                    else None
                )
            elif standing and rsvp is not None and rsvp.from_series:
                message = None  # their series invitation is on its way (invitations_sync_series)
            else:
                message = _sync_standalone(
                    user, session, rsvp, now=now, promoted=user.pk in promoted
                )
        if message is not None:
            sent.append(message)
    return sent


def may_see_session(user: User, session: Session) -> bool:
    """Whether the person may see the session now (the first term of the rule)."""
    return user.is_active and sessions_visible_to(user).filter(pk=session.pk).exists()


def _withdraw_session(user: User, session: Session, *, now: datetime) -> list[OutboxMessage]:
    """Whatever the person's calendar holds of a session they may no longer have there (they
    may not see it, or take sessions by feed only): its CANCEL, or the series' if they hold it
    as a whole. Without a reason: the cancellation text may be confidential."""
    withheld = not may_see_session(user, session)
    with override(user.language):
        if session.series_id and holds_whole_series(user, session.series_id):
            return invitations_sync_series(series=session.series, users=[user], now=now)
        row = CalendarDelivery.objects.filter(user=user, uid=session.uid, recurrence_key="").first()
        if row is not None and row.method == REQUEST:
            return [send_session_cancel(user, session, now=now, withheld=withheld)]
    return []


def _sync_standalone(user, session, rsvp, *, now, promoted=False):
    row = CalendarDelivery.objects.filter(user=user, uid=session.uid, recurrence_key="").first()
    holds = row is not None and row.method == REQUEST
    wanted = _going(rsvp) and not session.is_cancelled
    if wanted and (not holds or row.object_sequence < session.sequence):
        return send_session_request(user, session, now=now, promoted=promoted)
    if not wanted and holds and not _tentative(rsvp, session):
        return send_session_cancel(user, session, now=now)
    return None


def _sync_instance(
    user: User, occurrence: Session, rsvp: Rsvp | None, *, now: datetime, promoted=False
):
    """One occurrence of a series the person holds as a whole."""
    series = occurrence.series
    key = recurrence_key(occurrence.recurrence_id)
    row = CalendarDelivery.objects.filter(user=user, uid=series.uid, recurrence_key=key).first()
    # No row: the occurrence came after the last series mail, so the RRULE already shows it.
    shown = row is None or row.method == REQUEST
    seen = 0 if row is None else row.object_sequence
    wanted = _going(rsvp) and not occurrence.is_cancelled
    if wanted and not shown:
        # An instance the series object excludes (EXDATE) is added back by sending the whole
        # object again: clients drop an override whose RECURRENCE-ID the master excludes.
        return send_series_request(user, series, now=now)
    if wanted and occurrence.sequence > seen:
        method = REQUEST
    elif not wanted and shown and not _tentative(rsvp, occurrence):
        method = CANCEL
    else:
        return None
    sequence = next_sequence(user, series.uid, series.sequence)
    event = session_feed_event(
        occurrence, sequence=sequence, uid=series.uid, recurrence_id=occurrence.recurrence_id
    )
    common = {
        "attendee": attendee_of(user, "ACCEPTED" if method == REQUEST else "DECLINED"),
        "organizer": organizer_address(user, series.uid),
        "organizer_name": organisation_settings().name,
        "dtstamp": now,
    }
    url = reverse("session_detail", args=[occurrence.pk])
    if method == REQUEST:
        calendar = build_request(events=[event], **common)
        template = "calendar_request"
        context = invitation_context(
            occurrence,
            user,
            kind="update" if row is not None and row.method == REQUEST else "new",
            session=occurrence,
            promoted=promoted,
            url=url,
            links=rsvp_links(user, session=occurrence),
        )
    else:
        calendar = build_cancel(event=event, **common)
        template = "calendar_cancel"
        context = invitation_context(
            occurrence,
            user,
            kind="cancelled" if occurrence.is_cancelled else "removed",
            session=occurrence,
            reason=occurrence.cancel_reason,
            url=url,
        )
    message = enqueue_invitation(user=user, uid=series.uid, sequence=sequence, method=method,
                       calendar=calendar, template=template, context=context, now=now,
                       key=key)  # fmt: skip
    record_delivery(user=user, uid=series.uid, key=key, method=method, sequence=sequence,
            object_sequence=occurrence.sequence, series=series, session=occurrence,
            message=message)  # fmt: skip
    return message


def _series_has_sessions(series: Series) -> bool:
    return Session.objects.filter(series=series, state=Session.State.SCHEDULED).exists()


def invitations_sync_series(
    *, series: Series, users: Iterable[User] | None = None, now: datetime | None = None
) -> list[OutboxMessage]:
    """Bring the calendars of ``users`` (default: everyone going to the whole series, or ever
    sent it) in line with the series: the whole object as a REQUEST to whoever has the standing
    answer "going" and has not seen this version (a new SEQUENCE: edits, a split, the end of the
    series), a CANCEL of the whole object to whoever dropped it or when nothing of it is left.
    Then each person's occurrences answered on their own get their own invitations.

    Transaction: the caller's. Idempotent."""
    now = now or timezone.now()
    standing = set(
        SeriesRsvp.objects.filter(series=series, status=SeriesRsvp.Status.GOING).values_list(
            "user_id", flat=True
        )
    )
    if users is None:
        ids = standing | set(
            CalendarDelivery.objects.filter(series=series, recurrence_key="").values_list(
                "user_id", flat=True
            )
        )
        users = User.objects.filter(pk__in=ids).order_by("pk")
    has_sessions = _series_has_sessions(series)
    sent = []
    for user in users:
        if not user.is_active:
            continue
        row = CalendarDelivery.objects.filter(user=user, uid=series.uid, recurrence_key="").first()
        holds = row is not None and row.method == REQUEST
        visible = series_visible_to(user, series.pk) is not None
        # The series invitation covers only what they go to: waitlisted everywhere, none yet.
        goes = Session.objects.filter(
            series=series, end__gt=now, state=Session.State.SCHEDULED,
            rsvps__user=user, rsvps__status=Status.GOING,
        ).exists()  # fmt: skip
        wanted = (
            user.pk in standing and has_sessions and goes and visible and user.wants_invitations
        )
        with override(user.language):
            if wanted and (not holds or row.object_sequence < series.sequence):
                sent.append(send_series_request(user, series, now=now))
            elif not wanted and holds:
                sent.append(send_series_cancel(user, series, now=now, withheld=not visible))
        if not visible or not user.wants_invitations:
            # What they hold of single occurrences goes too (withheld, without a reason).
            for own in CalendarDelivery.objects.filter(
                user=user, session__series=series, recurrence_key="", method=REQUEST,
                session__end__gt=now,
            ).select_related("session"):  # fmt: skip
                sent.extend(_withdraw_session(user, own.session, now=now))
            continue
        if not wanted:
            # What they still go to on their own answer gets its own invitation.
            for occurrence in Session.objects.filter(
                series=series, end__gt=now, rsvps__user=user, rsvps__status=Status.GOING
            ):
                sent.extend(invitations_sync_session(session=occurrence, users=[user], now=now))
    return sent


def invitations_sync_user(*, user: User, now: datetime | None = None) -> list[OutboxMessage]:
    """Everything upcoming the person goes to or has in their calendar by invitation, brought
    in line with the rule: after a change of delivery (feed only cancels, invitations again
    sends REQUESTs), of membership or of a community's visibility, and on deactivation.
    Transaction: the caller's. Idempotent."""
    now = now or timezone.now()
    sent = []
    held = CalendarDelivery.objects.filter(user=user, recurrence_key="", method=REQUEST)
    series_ids = set(
        SeriesRsvp.objects.filter(user=user, status=SeriesRsvp.Status.GOING).values_list(
            "series_id", flat=True
        )
    ) | set(held.filter(series__isnull=False).values_list("series_id", flat=True))
    for series in Series.objects.filter(pk__in=series_ids).order_by("pk"):
        sent.extend(invitations_sync_series(series=series, users=[user], now=now))
    session_ids = set(
        Rsvp.objects.filter(user=user, status=Status.GOING, session__end__gt=now).values_list(
            "session_id", flat=True
        )
    ) | set(held.filter(session__end__gt=now).values_list("session_id", flat=True))
    for session in (
        Session.objects.filter(pk__in=session_ids)
        .select_related("series", "community")
        .order_by("start", "pk")
    ):
        sent.extend(invitations_sync_session(session=session, users=[user], now=now))
    return sent
