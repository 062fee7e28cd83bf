"""Apply Accept / Decline / Tentative pressed in a calendar client.

``inbound_mail_process(raw)`` is the one entry point (``manage.py ingest_mail`` and the IMAP
poll call it). A reply counts only when
- it was sent to our inbound address with a +tag that verifies for (person, UID),
- its ATTENDEE is that person's address,
- its SEQUENCE is at least the last one we sent that person for that object (or instance),
- the person may still see the session.
Then ACCEPTED → going (waitlisted when full; the calendar is told by the usual CANCEL/REQUEST),
DECLINED → not going (freeing the seat for the next in line), TENTATIVE → maybe; for a one-off
session, a whole series or one occurrence (RECURRENCE-ID). A RECURRENCE-ID beyond the
materialised horizon applies to exactly that occurrence (it is materialised now, and the answer
is its own); one that is no occurrence of the rule changes nothing and gets a polite reply, as
does a COUNTER (another time proposed). DELEGATED (with DELEGATED-TO) is "not going" for the
delegator, with a reply telling them how to invite the colleague in the app. Every reply is recorded as a ``CalendarReply`` (without the mail) and logged.

Transactions: each reply is applied in its own transaction; a failure rolls back that reply only.
Idempotent: a mail already processed (same Message-ID) is skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import User
from events.calendar.inbound.parsing import ParsedMail, ParsedReply, parse_mail
from events.calendar.inbound.tags import tag_fingerprint, tag_matches, tagged_user_ids
from events.calendar.services.invitation_mail import recurrence_key
from events.models import CalendarDelivery, CalendarReply, Rsvp, Series, Session
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import series_materialise_one, series_occurrence_exists
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.rsvp import rsvp_set

logger = logging.getLogger(__name__)
Outcome = CalendarReply.Outcome
ANSWERS = {
    "ACCEPTED": Rsvp.Status.GOING,
    "DECLINED": Rsvp.Status.DECLINED,
    "TENTATIVE": Rsvp.Status.MAYBE,
    "DELEGATED": Rsvp.Status.DECLINED,
}


@dataclass(frozen=True)
class ReplyResult:
    outcome: str
    reason: str = ""
    user_id: int | None = None
    session_id: int | None = None


def inbound_mail_process(raw: bytes) -> list[ReplyResult]:
    """Read one raw e-mail and apply the calendar reply in it. Never raises."""
    try:
        parsed = parse_mail(raw, max_bytes=settings.INBOUND_MAX_BYTES)
        if (
            parsed.message_id
            and CalendarReply.objects.filter(mail_fingerprint=parsed.fingerprint).exists()
        ):
            logger.info("calendar reply mail %s already processed", parsed.fingerprint)
            return [ReplyResult(Outcome.UNCHANGED, "already processed")]
        if parsed.problem:
            return [_record(parsed, None, Outcome.REJECTED, parsed.problem)]
        return [_apply_one(parsed, reply) for reply in parsed.replies]
    except Exception:
        logger.exception("calendar reply: could not process a mail")
        return [ReplyResult(Outcome.REJECTED, "internal error")]


def _record(parsed: ParsedMail, reply: ParsedReply | None, outcome: str, reason: str, *,
            user=None, session=None, series=None) -> ReplyResult:  # fmt: skip
    CalendarReply.objects.create(
        user=user,
        session=session,
        series=series,
        uid=reply.uid[:255] if reply else "",
        recurrence_key=recurrence_key(reply.recurrence_id) if reply else "",
        partstat=reply.partstat[:32] if reply else "",
        sequence=reply.sequence if reply else None,
        outcome=outcome,
        reason=reason[:200],
        client=reply.prodid[:120] if reply else "",
        mail_fingerprint=parsed.fingerprint,
    )
    logger.info(
        "calendar reply %s: %s (person %s, session %s, series %s, mail %s)",
        outcome,
        reason,
        user.pk if user else "-",
        session.pk if session else "-",
        series.pk if series else "-",
        parsed.fingerprint,
    )
    return ReplyResult(outcome, reason, user.pk if user else None, session.pk if session else None)


def _tagged_user(parsed: ParsedMail, reply: ParsedReply) -> User | None:
    for user_id, tag in tagged_user_ids(parsed.recipients):
        if tag_matches(tag=tag, user_id=user_id, uid=reply.uid):
            return User.objects.filter(pk=user_id, is_active=True).first()
        logger.info("calendar reply: tag %s does not verify", tag_fingerprint(tag))
    return None


def _target(reply: ParsedReply) -> tuple[Session | None, Series | None]:
    """The session (one-off, or the occurrence a RECURRENCE-ID names) or the whole series."""
    session = Session.objects.filter(uid=reply.uid).select_related("series").first()
    if session is not None:
        return session, None
    series = Series.objects.filter(uid=reply.uid).first()
    if series is None:
        return None, None
    if reply.recurrence_id is None:
        return None, series
    occurrence = Session.objects.filter(series=series, recurrence_id=reply.recurrence_id).first()
    # None with a RECURRENCE-ID: not materialised yet (or no occurrence at all), never the
    # whole series.
    return occurrence, series


def _last_sequence_sent(user: User, reply: ParsedReply) -> int | None:
    rows = CalendarDelivery.objects.filter(user=user, uid=reply.uid)
    key = recurrence_key(reply.recurrence_id)
    own = rows.filter(recurrence_key=key).values_list("sequence", flat=True).first()
    if own is not None:
        return own
    return rows.filter(recurrence_key="").values_list("sequence", flat=True).first()


def _apply_one(parsed: ParsedMail, reply: ParsedReply) -> ReplyResult:
    user = _tagged_user(parsed, reply)
    if user is None:
        return _record(parsed, reply, Outcome.REJECTED, "missing or forged reply tag")
    if reply.attendee != user.email.lower():
        return _record(parsed, reply, Outcome.REJECTED, "attendee is not the invited person",
                       user=user)  # fmt: skip
    session, series = _target(reply)
    if session is None and series is None:
        return _record(parsed, reply, Outcome.REJECTED, "unknown calendar object", user=user)
    last = _last_sequence_sent(user, reply)
    if last is None:
        return _record(parsed, reply, Outcome.REJECTED, "never invited", user=user,
                       session=session, series=series)  # fmt: skip
    visible = sessions_visible_to(user)
    if session is not None and not visible.filter(pk=session.pk).exists():
        return _record(parsed, reply, Outcome.REJECTED, "no longer visible to the person",
                       user=user, series=series)  # fmt: skip
    if series is not None and session is None and not visible.filter(series=series).exists():
        return _record(parsed, reply, Outcome.REJECTED, "no longer visible to the person",
                       user=user, series=series)  # fmt: skip
    if reply.method == "COUNTER":
        _answer_counter(user, session, series, parsed)
        return _record(parsed, reply, Outcome.COUNTER, "times are set by the coordinator",
                       user=user, session=session, series=series)  # fmt: skip
    one_occurrence = session is None and reply.recurrence_id is not None
    if one_occurrence and not series_occurrence_exists(series, reply.recurrence_id):
        _polite_reply(user, "no_occurrence", series=series, parsed=parsed)
        return _record(parsed, reply, Outcome.REJECTED, "no such occurrence of the series",
                       user=user, series=series)  # fmt: skip
    if reply.sequence < last:
        return _record(parsed, reply, Outcome.STALE, f"sequence {reply.sequence} < {last}",
                       user=user, session=session, series=series)  # fmt: skip
    status = ANSWERS.get(reply.partstat)
    if status is None:
        return _record(parsed, reply, Outcome.REJECTED, f"no answer in PARTSTAT {reply.partstat}",
                       user=user, session=session, series=series)  # fmt: skip
    try:
        with transaction.atomic():
            if one_occurrence:
                # Beyond the horizon: that occurrence alone, made now so the answer is its own.
                session = series_materialise_one(series=series, start=reply.recurrence_id)
            changed = _answer(user, session, series, status)
            if reply.partstat == "DELEGATED":
                _polite_reply(user, "delegated", session=session, series=series, parsed=parsed,
                              delegate=reply.delegated_to)  # fmt: skip
    except DomainError as refusal:
        return _record(parsed, reply, Outcome.REFUSED, refusal.message, user=user,
                       session=session, series=series)  # fmt: skip
    outcome = Outcome.APPLIED if changed else Outcome.UNCHANGED
    return _record(parsed, reply, outcome, status, user=user, session=session, series=series)


def _polite_reply(user: User, why: str, *, parsed: ParsedMail, session=None, series=None,
                  delegate: str = "") -> None:  # fmt: skip
    """A short answer to a reply we could not take as it came: a RECURRENCE-ID that is no
    occurrence, or a delegation (invite the colleague in the app instead)."""
    target = session or series
    url = (
        reverse("session_detail", args=[session.pk])
        if session is not None
        else reverse("community_detail", args=[series.community.slug])
    )
    outbox_enqueue(
        dedupe_key=f"reply-note:{why}:{parsed.fingerprint}:{user.pk}",
        kind="calendar_reply_note",
        template="calendar_reply_note",
        recipient=user,
        context={"subject_object": target, "url": url, "why": why, "delegate": delegate},
    )


def _answer(user: User, session: Session | None, series: Series | None, status: str) -> bool:
    """Give the answer as the person would on the page; True when something changed."""

    if session is not None:
        before = Rsvp.objects.filter(session=session, user=user).values_list("status").first()
        rsvp = rsvp_set(session_id=session.pk, user=user, status=status)
        return before is None or before[0] != rsvp.status
    if status in (Rsvp.Status.GOING, Rsvp.Status.DECLINED):
        result = series_rsvp_set(series_id=series.pk, user=user, status=status)
        return bool(result.outcomes)
    # Tentative for the whole series: "maybe" for each upcoming occurrence they answered
    # through the series (their own answers for single occurrences stay).
    changed = False
    for rsvp in Rsvp.objects.filter(
        session__series=series, user=user, from_series=True, status=Rsvp.Status.GOING
    ).select_related("session"):
        if rsvp.session.is_cancelled:
            continue
        try:
            rsvp_set(session_id=rsvp.session_id, user=user, status=Rsvp.Status.MAYBE)
            changed = True
        except DomainError:
            continue
    return changed


def _answer_counter(user: User, session, series, parsed: ParsedMail) -> None:
    target = session or series
    url = (
        reverse("session_detail", args=[session.pk])
        if session is not None
        else reverse("community_detail", args=[series.community.slug])
    )
    outbox_enqueue(
        dedupe_key=f"counter-answer:{parsed.fingerprint}:{user.pk}",
        kind="counter_answer",
        template="counter_answer",
        recipient=user,
        context={"subject_object": target, "url": url},
    )
