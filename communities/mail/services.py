"""The outbox: enqueue, claim and deliver every message the app sends (ARCHITECTURE.md rule 5).

Life of a row: ``pending`` (due at ``due_at``) → claimed by the sweep into ``sending`` under a
lease token with an expiry → ``sent`` right after the SMTP server accepted it, or back to
``pending`` with a backoff on a temporary error, or ``failed`` on a permanent one (or after too
many attempts), or ``skipped`` when its kind's send check says it is no longer wanted. A lease
that expires (killed worker, lost broker message, wiped Redis) is reclaimed by the next sweep.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from communities.mail.checks import still_wanted
from communities.mail.models import OutboxMessage
from communities.mail.rendering import RenderedMessage, html_from_text, render_message
from communities.mail.smtp_errors import connection_lost, describe, is_temporary
from communities.models import User

logger = logging.getLogger(__name__)
State = OutboxMessage.State


def outbox_enqueue(
    *,
    dedupe_key: str,
    kind: str,
    template: str | None = None,
    context: dict | None = None,
    rendered: RenderedMessage | None = None,
    recipient: User | None = None,
    to_email: str | None = None,
    language: str | None = None,
    due_at: datetime | None = None,
    headers: dict[str, str] | None = None,
    calendar: str = "",
    calendar_method: str = "",
) -> OutboxMessage:
    """Store one message, rendered in the recipient's language, to be sent at ``due_at``.

    Give either ``template`` (+ ``context``) or an already ``rendered`` message. ``calendar``
    (+ ``calendar_method``) makes it an iTIP invitation (see ``build_email``).
    Transaction: joins the caller's transaction; the insert runs in a savepoint so a duplicate
    key does not spoil it. Idempotent: a second call with the same ``dedupe_key`` returns the
    existing row unchanged, whatever its state.
    """
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).order_by().first()
    if existing is not None:
        return existing
    if recipient is None and not to_email:
        raise ValueError("A message needs a recipient or an address.")
    address = to_email or recipient.email
    language = language or (recipient.language if recipient else settings.LANGUAGE_CODE)
    if rendered is None:
        if template is None:
            raise ValueError("Give a template or a rendered message.")
        rendered = render_message(
            template=template,
            context={"recipient": recipient, **(context or {})},
            language=language,
        )
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                dedupe_key=dedupe_key,
                kind=kind,
                recipient=recipient,
                to_email=address,
                language=language,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html
                or html_from_text(text=rendered.text, subject=rendered.subject, language=language),
                headers=headers or {},
                calendar=calendar,
                calendar_method=calendar_method,
                message_id=OutboxMessage.new_message_id(),
                due_at=due_at or timezone.now(),
            )
    except IntegrityError:
        # Another process enqueued the same message between our check and our insert.
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)


def outbox_claim_due(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = 20
) -> list[str]:
    """Claim due rows (and rows whose lease expired) in batches; return one lease token each.

    Transaction: each batch is claimed in its own transaction with
    ``select_for_update(skip_locked=True)``, so concurrent sweeps never claim the same row.
    Idempotent: running it again claims only what is still unclaimed or whose lease expired.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    claimable = Q(state=State.PENDING, due_at__lte=now) | Q(
        state=State.SENDING, lease_expires_at__lte=now
    )
    tokens: list[str] = []
    for _batch in range(max_batches):
        with transaction.atomic():
            ids = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(claimable)
                .order_by("due_at", "id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            token = uuid.uuid4()
            OutboxMessage.objects.filter(id__in=ids).update(
                state=State.SENDING, lease_token=token, lease_expires_at=now + lease, updated_at=now
            )
        tokens.append(str(token))
        if len(ids) < batch_size:
            break
    return tokens


def build_email(message: OutboxMessage, *, connection=None) -> EmailMultiAlternatives:
    """The exact e-mail for a row: same Message-ID and content on every attempt.

    An invitation gets the CalConnect structure: multipart/mixed →
    [multipart/alternative → text/plain, text/html, text/calendar; method=…; charset=utf-8
    (no Content-Disposition)] + invite.ics as an application/ics attachment."""
    headers = {"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"}
    headers.update(message.headers)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers=headers,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        email.attach_alternative(
            message.calendar, f"text/calendar; method={message.calendar_method}"
        )
        email.attach("invite.ics", message.calendar.encode(), "application/ics")
    return email


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff from 30 s, capped at OUTBOX_RETRY_BACKOFF_MAX (≤ 300 s)."""
    seconds = min(settings.OUTBOX_RETRY_BACKOFF_MAX, 30 * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=seconds)


def _release(message: OutboxMessage, token: uuid.UUID, **changes) -> bool:
    """Update a claimed row only while our lease still holds it; True when it did."""
    changes.setdefault("lease_token", None)
    changes.setdefault("lease_expires_at", None)
    changes["updated_at"] = timezone.now()
    return bool(
        OutboxMessage.objects.filter(id=message.id, lease_token=token, state=State.SENDING).update(
            **changes
        )
    )


def _after_error(message: OutboxMessage, token: uuid.UUID, error: BaseException, report) -> None:
    attempts = message.attempts + 1
    if is_temporary(error) and attempts < settings.OUTBOX_MAX_ATTEMPTS:
        _release(
            message,
            token,
            state=State.PENDING,
            attempts=attempts,
            due_at=timezone.now() + retry_delay(attempts),
            last_error=describe(error),
        )
        report.retrying.append(message.id)
        logger.warning(
            "outbox %s: temporary error, retry %s: %s", message.id, attempts, describe(error)
        )
    else:
        _release(message, token, state=State.FAILED, attempts=attempts, last_error=describe(error))
        report.failed.append(message.id)
        logger.error("outbox %s (%s) failed: %s", message.id, message.kind, describe(error))


def outbox_deliver_batch(*, lease_token: str) -> DeliveryReport:
    """Send the rows claimed under ``lease_token`` over one SMTP connection.

    Transaction: none around the batch; each row is marked ``sent`` in its own statement right
    after the server accepted it, so a crash loses at most the row in flight (re-sent later with
    the same Message-ID). Idempotent: rows no longer held by this lease (already sent, or
    reclaimed by a later sweep) are left alone.
    """
    token = uuid.UUID(lease_token)
    report = DeliveryReport()
    messages = list(
        OutboxMessage.objects.filter(lease_token=token, state=State.SENDING)
        .select_related("recipient")
        .order_by("due_at", "id")
    )
    to_send = []
    for message in messages:
        if still_wanted(message):
            to_send.append(message)
        elif _release(message, token, state=State.SKIPPED):
            report.skipped.append(message.id)
    if not to_send:
        return report

    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        for message in to_send:
            _after_error(message, token, error, report)
        return report
    try:
        for position, message in enumerate(to_send):
            try:
                connection.send_messages([build_email(message, connection=connection)])
            except Exception as error:
                _after_error(message, token, error, report)
                if connection_lost(error):
                    # The connection is gone: put the rest back for the next sweep.
                    for rest in to_send[position + 1 :]:
                        _after_error(rest, token, error, report)
                    break
                continue
            delivered = _release(
                message,
                token,
                state=State.SENT,
                sent_at=timezone.now(),
                attempts=message.attempts + 1,
                last_error="",
            )
            if delivered:
                report.sent.append(message.id)
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("outbox: closing the SMTP connection failed", exc_info=True)
    return report


def outbox_retry(*, message_ids: list[int]) -> int:
    """Put failed or skipped rows back in the queue now (admin action). Returns how many."""
    return OutboxMessage.objects.filter(
        id__in=message_ids, state__in=[State.FAILED, State.SKIPPED]
    ).update(state=State.PENDING, due_at=timezone.now(), attempts=0, last_error="")
