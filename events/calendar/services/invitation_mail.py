"""One invitation mail (iMIP REQUEST or CANCEL) for one person, and the ledger entry of what it
told their calendar (``CalendarDelivery``).

``invitations`` decides who needs which mail; this module builds it: the calendar object (a
session on its own, a series as one object with EXDATEs and overrides, or one instance of it),
the next SEQUENCE for that person and UID, the outbox row, and the record. Everything joins the
caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import User
from communities.organisation import organisation_settings
from events.calendar.ical.feed import Attendee, FeedEvent, session_event
from events.calendar.ical.itip import CANCEL, REQUEST, build_cancel, build_request
from events.calendar.inbound.tags import reply_address
from events.models import CalendarDelivery, Rsvp, Series, Session

Status = Rsvp.Status
RSVP_LINK_SALT = "kennisplein.rsvp-link"


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


def rsvp_links(user: User, *, session=None, series=None) -> dict[str, str]:
    return {
        answer: _absolute(
            reverse(
                "rsvp_link",
                args=[rsvp_link_token(user=user, answer=answer, session=session, series=series)],
            )
        )
        for answer in (Status.GOING, Status.DECLINED)
    }


def attendee_of(user: User, partstat: str = "ACCEPTED") -> Attendee:
    return Attendee(email=user.email, name=user.name, partstat=partstat)


def next_sequence(user: User, uid: str, floor: int) -> int:
    last = CalendarDelivery.objects.filter(user=user, uid=uid).aggregate(last=Max("sequence"))[
        "last"
    ]
    return floor if last is None else max(floor, last + 1)


def session_feed_event(session: Session, *, sequence: int, uid: str | None = None,
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


# Update coalescing: an update (a REQUEST to a calendar that already holds the object) waits
# this long, and a newer update or a CANCEL of the same object and instance replaces it while it
# waits. Five quick edits send one update with the final state, after two quiet minutes.
UPDATE_COALESCE = timedelta(minutes=2)


def _supersede_waiting(user: User, uid: str, key: str, now: datetime) -> None:
    """Skip the invitation mail for (person, UID, instance) still waiting to be sent, when the
    one about to be enqueued says everything it said (the full object or instance again). A
    mail about the whole object replaces every waiting mail about its instances too."""
    if not key:
        OutboxMessage.objects.filter(
            recipient=user, dedupe_key__startswith=f"invite:{uid}:",
            state=OutboxMessage.State.PENDING, due_at__gt=now,
        ).update(state=OutboxMessage.State.SKIPPED, last_error="superseded", updated_at=now)  # fmt: skip
        return
    row = (
        CalendarDelivery.objects.filter(user=user, uid=uid, recurrence_key=key)
        .select_related("outbox_message")
        .first()
    )
    waiting = row.outbox_message if row is not None else None
    if waiting is None or waiting.state != OutboxMessage.State.PENDING or waiting.due_at <= now:
        return
    if (
        key
        and CalendarDelivery.objects.filter(
            user=user, uid=uid, recurrence_key="", outbox_message=waiting
        ).exists()
    ):
        return  # the series mail that showed this instance says more than the instance
    OutboxMessage.objects.filter(pk=waiting.pk, state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.SKIPPED, last_error="superseded", updated_at=now
    )


def enqueue_invitation(
    *,
    user: User,
    uid: str,
    sequence: int,
    method: str,
    calendar: bytes,
    template: str,
    context: dict,
    now: datetime,
    key: str = "",
) -> OutboxMessage:
    # The kind says why (operations, send checks); the calendar part says what to do.
    if context.get("promoted"):
        kind = "waitlist_promoted"
    elif method == CANCEL and context.get("kind") == "cancelled":
        kind = "session_cancelled"
    else:
        kind = "calendar_request" if method == REQUEST else "calendar_cancel"
    update = method == REQUEST and context.get("kind") == "update" and not context.get("promoted")
    _supersede_waiting(user, uid, key, now)
    return outbox_enqueue(
        dedupe_key=f"invite:{uid}:{sequence}:{method}:{user.pk}",
        kind=kind,
        headers={"Reply-To": reply_address(user_id=user.pk, uid=uid)},
        template=template,
        recipient=user,
        context=context,
        calendar=calendar.decode(),
        calendar_method=method,
        due_at=now + UPDATE_COALESCE if update else now,
    )


def record_delivery(
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


def invitation_context(session_or_series, user, *, kind: str, **extra) -> dict:
    """The mail's context; the template words the title itself (intervision: the group only)."""
    return {
        "subject_object": session_or_series,
        "kind": kind,
        "recipient": user,
        **extra,
    }


# --- one-off sessions (and occurrences answered on their own) ------------------------------


def send_session_request(user: User, session: Session, *, now: datetime, promoted=False):
    sequence = next_sequence(user, session.uid, session.sequence)
    event = session_feed_event(session, sequence=sequence)
    calendar = build_request(
        events=[event],
        attendee=attendee_of(user),
        organizer=organizer_address(user, session.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    existing = CalendarDelivery.objects.filter(user=user, uid=session.uid, recurrence_key="")
    message = enqueue_invitation(
        user=user,
        uid=session.uid,
        sequence=sequence,
        method=REQUEST,
        calendar=calendar,
        template="calendar_request",
        context=invitation_context(
            session,
            user,
            kind="update" if existing.filter(method=REQUEST).exists() else "new",
            session=session,
            promoted=promoted,
            url=reverse("session_detail", args=[session.pk]),
            links=rsvp_links(user, session=session),
        ),
        now=now,
    )
    record_delivery(user=user, uid=session.uid, key="", method=REQUEST, sequence=sequence,
            object_sequence=session.sequence, session=session, message=message)  # fmt: skip
    return message


def send_session_cancel(user: User, session: Session, *, now: datetime, reason: str = "",
                        withheld: bool = False):  # fmt: skip
    """``withheld``: the person may no longer see the session; the mail says it left their
    calendar, with no reason and no description."""
    sequence = next_sequence(user, session.uid, session.sequence)
    event = session_feed_event(session, sequence=sequence)
    if withheld:
        event = FeedEvent(**{**event.__dict__, "description": "", "url": ""})
    calendar = build_cancel(
        event=event,
        attendee=attendee_of(user, "DECLINED" if not session.is_cancelled else "NEEDS-ACTION"),
        organizer=organizer_address(user, session.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    message = enqueue_invitation(
        user=user,
        uid=session.uid,
        sequence=sequence,
        method=CANCEL,
        calendar=calendar,
        template="calendar_cancel",
        context=invitation_context(
            session,
            user,
            kind="withheld" if withheld else "cancelled" if session.is_cancelled else "removed",
            session=session,
            reason="" if withheld else session.cancel_reason if session.is_cancelled else reason,
            url="" if withheld else reverse("session_detail", args=[session.pk]),
        ),
        now=now,
    )
    record_delivery(user=user, uid=session.uid, key="", method=CANCEL, sequence=sequence,
            object_sequence=session.sequence, session=session, message=message)  # fmt: skip
    return message


def holds_whole_series(user: User, series_id: int | None) -> bool:
    """Whether the person's calendar holds the whole series (sent as one object)."""
    if series_id is None:
        return False
    return CalendarDelivery.objects.filter(
        user=user, series_id=series_id, recurrence_key="", method=REQUEST
    ).exists()


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
                session_feed_event(
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


def send_series_request(user: User, series: Series, *, now: datetime) -> OutboxMessage:
    sequence = next_sequence(user, series.uid, series.sequence)
    events, included, excluded = series_request_events(series, user, sequence=sequence)
    calendar = build_request(
        events=events,
        attendee=attendee_of(user),
        organizer=organizer_address(user, series.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    had = holds_whole_series(user, series.pk)
    upcoming = [o for o in included if o.end > now]
    waiting = list(
        Session.objects.filter(
            series=series, end__gt=now, state=Session.State.SCHEDULED,
            rsvps__user=user, rsvps__status=Status.WAITLISTED,
        ).order_by("start")[:12]
    )  # fmt: skip
    message = enqueue_invitation(
        user=user,
        uid=series.uid,
        sequence=sequence,
        method=REQUEST,
        calendar=calendar,
        template="calendar_request",
        context=invitation_context(
            series,
            user,
            kind="update" if had else "new",
            series=series,
            occurrences=upcoming[:12],
            waiting=waiting,
            url=_series_url(series, upcoming),
            links=rsvp_links(user, series=series),
        ),
        now=now,
    )
    record_delivery(user=user, uid=series.uid, key="", method=REQUEST, sequence=sequence,
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
            send_session_cancel(user, own.session, now=now)
    return message


def _series_url(series: Series, upcoming: list[Session]) -> str:
    if upcoming:
        return reverse("session_detail", args=[upcoming[0].pk])
    return reverse("community_detail", args=[series.community.slug])


def send_series_cancel(user: User, series: Series, *, now: datetime,
                       withheld: bool = False) -> OutboxMessage:  # fmt: skip
    sequence = next_sequence(user, series.uid, series.sequence)
    master = _series_master_event(series, sequence=sequence, exdates=())
    if withheld:
        master = FeedEvent(**{**master.__dict__, "description": ""})
    calendar = build_cancel(
        event=master,
        attendee=attendee_of(user, "DECLINED"),
        organizer=organizer_address(user, series.uid),
        organizer_name=organisation_settings().name,
        dtstamp=now,
    )
    message = enqueue_invitation(
        user=user,
        uid=series.uid,
        sequence=sequence,
        method=CANCEL,
        calendar=calendar,
        template="calendar_cancel",
        context=invitation_context(
            series,
            user,
            kind="withheld" if withheld else "series_removed",
            series=series,
            url="" if withheld else _series_url(series, []),
        ),
        now=now,
    )
    CalendarDelivery.objects.filter(user=user, uid=series.uid).exclude(recurrence_key="").delete()
    record_delivery(user=user, uid=series.uid, key="", method=CANCEL, sequence=sequence,
            object_sequence=series.sequence, series=series, message=message)  # fmt: skip
    return message
