"""Calendar invitations (iMIP): REQUEST and CANCEL mails, reconciled per person (issue 6).

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
only (``User.calendar_delivery``) are never sent invitation mail.

All functions join the caller's transaction (the rows and the outbox messages commit with the
change that caused them) and are idempotent: run again, they find nothing left to send.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import User
from communities.organisation import organisation_settings
from events.calendar.ical.feed import Attendee, FeedEvent, session_event
from events.calendar.ical.itip import CANCEL, REQUEST, build_cancel, build_request
from events.calendar.inbound.tags import reply_address
from events.models import CalendarDelivery, Rsvp, Series, SeriesRsvp, Session

Status = Rsvp.Status
RSVP_LINK_SALT = "kennisplein.rsvp-link"
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


def organizer_address(user: User, uid: str) -> str:
    """The invitation's ORGANIZER: the inbound mailbox with this person's signed tag, so their
    calendar's Accept/Decline comes back to us matched to them (two-way RSVP)."""
    return "mailto:" + reply_address(user_id=user.pk, uid=uid)


def recurrence_key(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def rsvp_link_token(*, user: User, answer: str, session: Session | None = None,
                    series: Series | None = None) -> str:  # fmt: skip
    """A signed, expiring token for the RSVP links in invitation mail (one-button page)."""
    payload = {"u": user.pk, "a": answer}
    if series is not None:
        payload["r"] = series.pk
    else:
        payload["s"] = session.pk
    return signing.dumps(payload, salt=RSVP_LINK_SALT, compress=True)


def _rsvp_links(user: User, *, session=None, series=None) -> dict[str, str]:
    return {
        answer: _absolute(
            reverse(
                "rsvp_link",
                args=[rsvp_link_token(user=user, answer=answer, session=session, series=series)],
            )
        )
        for answer in (Status.GOING, Status.DECLINED)
    }


def _attendee(user: User, partstat: str = "ACCEPTED") -> Attendee:
    return Attendee(email=user.email, name=user.name, partstat=partstat)


def _next_sequence(user: User, uid: str, floor: int) -> int:
    last = CalendarDelivery.objects.filter(user=user, uid=uid).aggregate(last=Max("sequence"))[
        "last"
    ]
    return floor if last is None else max(floor, last + 1)


def _session_feed_event(session: Session, *, sequence: int, uid: str | None = None,
                        recurrence_id: datetime | None = None) -> FeedEvent:  # fmt: skip
    event = session_event(
        session,
        url=_absolute(reverse("session_detail", args=[session.pk])),
        intervision_label=_("Intervision"),
    )
    return FeedEvent(
        **{
            **event.__dict__,
            "uid": uid or session.uid,
            "sequence": sequence,
            "recurrence_id": recurrence_id,
            "last_modified": None,
            "status": "CONFIRMED",
        }
    )


def _summary(session_or_series) -> str:
    if session_or_series.format == Session.Format.INTERVISION:
        community = session_or_series.community
        return f"{_('Intervision')} — {community.name}" if community else _("Intervision")
    return session_or_series.title


def _enqueue(
    *,
    user: User,
    uid: str,
    sequence: int,
    method: str,
    calendar: bytes,
    template: str,
    context: dict,
    now: datetime,
) -> OutboxMessage:
    # The kind says why (operations, send checks); the calendar part says what to do.
    if context.get("promoted"):
        kind = "waitlist_promoted"
    elif method == CANCEL and context.get("kind") == "cancelled":
        kind = "session_cancelled"
    else:
        kind = "calendar_request" if method == REQUEST else "calendar_cancel"
    return outbox_enqueue(
        dedupe_key=f"invite:{uid}:{sequence}:{method}:{user.pk}",
        kind=kind,
        headers={"Reply-To": reply_address(user_id=user.pk, uid=uid)},
        template=template,
        recipient=user,
        context=context,
        calendar=calendar.decode(),
        calendar_method=method,
        due_at=now,
    )


def _record(
    *,
    user: User,
    uid: str,
    key: str,
    method: str,
    sequence: int,
    object_sequence: int,
    session: Session | None = None,
    series: Series | None = None,
    message: OutboxMessage | None = None,
) -> None:
    CalendarDelivery.objects.update_or_create(
        user=user,
        uid=uid,
        recurrence_key=key,
        defaults={
            "method": method,
            "sequence": sequence,
            "object_sequence": object_sequence,
            "session": session,
            "series": series,
            "outbox_message": message,
        },
    )


def _mail_context(session_or_series, user, *, kind: str, **extra) -> dict:
    """The mail's context; the template words the title itself (intervision: the group only)."""
    return {
        "subject_object": session_or_series,
        "kind": kind,
        "recipient": user,
        **extra,
    }


# --- one-off sessions (and occurrences answered on their own) ------------------------------


def _send_session_request(user: User, session: Session, *, now: datetime, promoted=False):
    sequence = _next_sequence(user, session.uid, session.sequence)
    event = _session_feed_event(session, sequence=sequence)
    calendar = build_request(
        events=[event],
        attendee=_attendee(user),
        organizer=organizer_address(user, session.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    existing = CalendarDelivery.objects.filter(user=user, uid=session.uid, recurrence_key="")
    message = _enqueue(
        user=user,
        uid=session.uid,
        sequence=sequence,
        method=REQUEST,
        calendar=calendar,
        template="calendar_request",
        context=_mail_context(
            session,
            user,
            kind="update" if existing.filter(method=REQUEST).exists() else "new",
            session=session,
            promoted=promoted,
            url=reverse("session_detail", args=[session.pk]),
            links=_rsvp_links(user, session=session),
        ),
        now=now,
    )
    _record(user=user, uid=session.uid, key="", method=REQUEST, sequence=sequence,
            object_sequence=session.sequence, session=session, message=message)  # fmt: skip
    return message


def _send_session_cancel(user: User, session: Session, *, now: datetime, reason: str = ""):
    sequence = _next_sequence(user, session.uid, session.sequence)
    event = _session_feed_event(session, sequence=sequence)
    calendar = build_cancel(
        event=event,
        attendee=_attendee(user, "DECLINED" if not session.is_cancelled else "NEEDS-ACTION"),
        organizer=organizer_address(user, session.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    message = _enqueue(
        user=user,
        uid=session.uid,
        sequence=sequence,
        method=CANCEL,
        calendar=calendar,
        template="calendar_cancel",
        context=_mail_context(
            session,
            user,
            kind="cancelled" if session.is_cancelled else "removed",
            session=session,
            reason=session.cancel_reason if session.is_cancelled else reason,
            url=reverse("session_detail", args=[session.pk]),
        ),
        now=now,
    )
    _record(user=user, uid=session.uid, key="", method=CANCEL, sequence=sequence,
            object_sequence=session.sequence, session=session, message=message)  # fmt: skip
    return message


def _series_level(user: User, series_id: int | None) -> bool:
    """Whether the person's calendar holds the whole series (sent as one object)."""
    if series_id is None:
        return False
    return CalendarDelivery.objects.filter(
        user=user, series_id=series_id, recurrence_key="", method=REQUEST
    ).exists()


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
) -> list[OutboxMessage]:
    """Bring the calendars of ``users`` (default: everyone going to, or ever invited to, the
    session) in line with the session: a REQUEST to whoever goes and has not seen this version,
    a CANCEL to whoever was invited and no longer goes (or when the session is cancelled).
    Occurrences of a series someone has as a whole go out as that one instance.

    Transaction: the caller's. Idempotent. Past sessions are left alone. Returns the messages
    enqueued (for the callers that mail people without an invitation instead)."""
    now = now or timezone.now()
    if session.end <= now:
        return []
    answers = Rsvp.objects.filter(session=session)
    if users is not None:
        users = list(users)
        answers = answers.filter(user__in=users)
    rsvps = {rsvp.user_id: rsvp for rsvp in answers}
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
        if not (user.is_active and user.wants_invitations):
            continue
        rsvp = rsvps.get(user.pk)
        standing = (
            session.series_id is not None
            and SeriesRsvp.objects.filter(series_id=session.series_id, user=user).exists()
        )
        with override(user.language):  # the calendar's words (e.g. "Intervisie") too
            if session.series_id and _series_level(user, session.series_id):
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


def _sync_standalone(user, session, rsvp, *, now, promoted=False):
    row = CalendarDelivery.objects.filter(user=user, uid=session.uid, recurrence_key="").first()
    holds = row is not None and row.method == REQUEST
    wanted = _going(rsvp) and not session.is_cancelled
    if wanted and (not holds or row.object_sequence < session.sequence):
        return _send_session_request(user, session, now=now, promoted=promoted)
    if not wanted and holds and not _tentative(rsvp, session):
        return _send_session_cancel(user, session, now=now)
    return None


# --- series as one calendar object -----------------------------------------------------------


def _series_master_event(series: Series, *, sequence: int, exdates) -> FeedEvent:
    description = series.description
    if series.online_url and series.location:
        description = f"{description}\n\n{series.online_url}".strip()
    intervision = series.format == Session.Format.INTERVISION
    summary = _summary(series)
    return FeedEvent(
        uid=series.uid,
        sequence=sequence,
        start=series.first_start,
        end=series.first_start + series.duration,
        timezone=series.timezone,
        summary=summary,
        location=series.location or series.online_url,
        url="",
        description="" if intervision else description,
        rrule=series.rrule,
        exdates=tuple(exdates),
    )


def _differs_from_pattern(occurrence: Session, series: Series) -> bool:
    return (
        occurrence.start != occurrence.recurrence_id
        or occurrence.end - occurrence.start != series.duration
        or occurrence.edited_in_series
        or occurrence.title != series.title
        or occurrence.location != series.location
        or occurrence.online_url != series.online_url
    )


def series_request_events(series: Series, user: User, *, sequence: int):
    """The master (with this person's EXDATEs) and the overrides of a series invitation, and
    which occurrences it includes. Pure apart from reading the occurrences and answers."""
    occurrences = list(
        Session.objects.filter(series=series).select_related("community").order_by("recurrence_id")
    )
    going = set(
        Rsvp.objects.filter(session__series=series, user=user, status=Status.GOING).values_list(
            "session_id", flat=True
        )
    )
    included, excluded, overrides = [], [], []
    for occurrence in occurrences:
        if occurrence.is_cancelled or occurrence.pk not in going:
            excluded.append(occurrence)
            continue
        included.append(occurrence)
        if _differs_from_pattern(occurrence, series):
            overrides.append(
                _session_feed_event(
                    occurrence,
                    sequence=sequence,
                    uid=series.uid,
                    recurrence_id=occurrence.recurrence_id,
                )
            )
    master = _series_master_event(
        series, sequence=sequence, exdates=[o.recurrence_id for o in excluded]
    )
    return [master, *overrides], included, excluded


def _send_series_request(user: User, series: Series, *, now: datetime) -> OutboxMessage:
    sequence = _next_sequence(user, series.uid, series.sequence)
    events, included, excluded = series_request_events(series, user, sequence=sequence)
    calendar = build_request(
        events=events,
        attendee=_attendee(user),
        organizer=organizer_address(user, series.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    had = _series_level(user, series.pk)
    upcoming = [o for o in included if o.end > now]
    message = _enqueue(
        user=user,
        uid=series.uid,
        sequence=sequence,
        method=REQUEST,
        calendar=calendar,
        template="calendar_request",
        context=_mail_context(
            series,
            user,
            kind="update" if had else "new",
            series=series,
            occurrences=upcoming[:12],
            url=_series_url(series, upcoming),
            links=_rsvp_links(user, series=series),
        ),
        now=now,
    )
    _record(user=user, uid=series.uid, key="", method=REQUEST, sequence=sequence,
            object_sequence=series.sequence, series=series, message=message)  # fmt: skip
    # What this mail told their calendar about each occurrence, in two statements.
    CalendarDelivery.objects.filter(user=user, uid=series.uid).exclude(recurrence_key="").delete()
    CalendarDelivery.objects.bulk_create(
        CalendarDelivery(
            user=user,
            uid=series.uid,
            recurrence_key=recurrence_key(occurrence.recurrence_id),
            method=REQUEST if shown else CANCEL,
            sequence=sequence,
            object_sequence=occurrence.sequence,
            series=series,
            session=occurrence,
            outbox_message=message,
        )
        for shown, group in ((True, included), (False, excluded))
        for occurrence in group
    )
    # Occurrences they had as invitations of their own are part of the series entry now.
    for own in CalendarDelivery.objects.filter(
        user=user, session__series=series, recurrence_key="", method=REQUEST
    ).select_related("session"):
        if own.session.end > now:
            _send_session_cancel(user, own.session, now=now)
    return message


def _series_url(series: Series, upcoming: list[Session]) -> str:
    if upcoming:
        return reverse("session_detail", args=[upcoming[0].pk])
    return reverse("community_detail", args=[series.community.slug])


def _send_series_cancel(user: User, series: Series, *, now: datetime) -> OutboxMessage:
    sequence = _next_sequence(user, series.uid, series.sequence)
    master = _series_master_event(series, sequence=sequence, exdates=())
    calendar = build_cancel(
        event=master,
        attendee=_attendee(user, "DECLINED"),
        organizer=organizer_address(user, series.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    message = _enqueue(
        user=user,
        uid=series.uid,
        sequence=sequence,
        method=CANCEL,
        calendar=calendar,
        template="calendar_cancel",
        context=_mail_context(
            series,
            user,
            kind="series_removed",
            series=series,
            url=_series_url(series, []),
        ),
        now=now,
    )
    CalendarDelivery.objects.filter(user=user, uid=series.uid).exclude(recurrence_key="").delete()
    _record(user=user, uid=series.uid, key="", method=CANCEL, sequence=sequence,
            object_sequence=series.sequence, series=series, message=message)  # fmt: skip
    return message


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
    if wanted and (not shown or occurrence.sequence > seen):
        method = REQUEST
    elif not wanted and shown and not _tentative(rsvp, occurrence):
        method = CANCEL
    else:
        return None
    sequence = _next_sequence(user, series.uid, series.sequence)
    event = _session_feed_event(
        occurrence, sequence=sequence, uid=series.uid, recurrence_id=occurrence.recurrence_id
    )
    common = {
        "attendee": _attendee(user, "ACCEPTED" if method == REQUEST else "DECLINED"),
        "organizer": organizer_address(user, series.uid),
        "organizer_name": organisation_settings().name,
        "dtstamp": now,
    }
    url = reverse("session_detail", args=[occurrence.pk])
    if method == REQUEST:
        calendar = build_request(events=[event], **common)
        template = "calendar_request"
        context = _mail_context(
            occurrence,
            user,
            kind="update" if row is not None and row.method == REQUEST else "new",
            session=occurrence,
            promoted=promoted,
            url=url,
            links=_rsvp_links(user, session=occurrence),
        )
    else:
        calendar = build_cancel(event=event, **common)
        template = "calendar_cancel"
        context = _mail_context(
            occurrence,
            user,
            kind="cancelled" if occurrence.is_cancelled else "removed",
            session=occurrence,
            reason=occurrence.cancel_reason,
            url=url,
        )
    message = _enqueue(user=user, uid=series.uid, sequence=sequence, method=method,
                       calendar=calendar, template=template, context=context, now=now)  # fmt: skip
    _record(user=user, uid=series.uid, key=key, method=method, sequence=sequence,
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
        if not (user.is_active and user.wants_invitations):
            continue
        row = CalendarDelivery.objects.filter(user=user, uid=series.uid, recurrence_key="").first()
        holds = row is not None and row.method == REQUEST
        wanted = user.pk in standing and has_sessions
        with override(user.language):
            if wanted and (not holds or row.object_sequence < series.sequence):
                sent.append(_send_series_request(user, series, now=now))
            elif not wanted and holds:
                sent.append(_send_series_cancel(user, series, now=now))
        if not wanted:
            # What they still go to on their own answer gets its own invitation.
            for occurrence in Session.objects.filter(
                series=series, end__gt=now, rsvps__user=user, rsvps__status=Status.GOING
            ):
                sent.extend(invitations_sync_session(session=occurrence, users=[user], now=now))
    return sent


def invitations_sync_user(*, user: User, now: datetime | None = None) -> list[OutboxMessage]:
    """Everything upcoming the person goes to, after they chose to receive invitations again.
    Transaction: the caller's. Idempotent."""
    now = now or timezone.now()
    sent = []
    for series in Series.objects.filter(
        standing_rsvps__user=user, standing_rsvps__status=SeriesRsvp.Status.GOING
    ).distinct():
        sent.extend(invitations_sync_series(series=series, users=[user], now=now))
    for session in Session.objects.filter(
        end__gt=now, rsvps__user=user, rsvps__status=Status.GOING
    ).select_related("series", "community"):
        sent.extend(invitations_sync_session(session=session, users=[user], now=now))
    return sent
