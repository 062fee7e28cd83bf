"""The outbox: enqueue, claim and deliver every message the app sends (ARCHITECTURE.md rule 5).

Life of a row: ``pending`` (due at ``due_at``) → claimed by the sweep into ``sending`` under a
lease token with an expiry → ``sent`` right after the SMTP server accepted it, or back to
``pending`` with a backoff on a temporary refusal of this message, or ``failed`` on a permanent
one (or a temporary one that lasted OUTBOX_TEMPORARY_WINDOW), or ``skipped`` (with the reason)
when its kind's send check says it is no longer wanted. A lease that expires (killed worker,
lost broker message, wiped Redis) is reclaimed by the next sweep.

Server trouble is not the message's fault: a refused connection, a timeout or a 421 puts the
batch back untouched and opens the circuit (``MailCircuit``, communities/mail/circuit.py); the
sweep then waits and probes with one message, with a growing pause, until the server accepts one.
"""

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from communities.mail import smtp_errors
from communities.mail.checks import skip_reasons
from communities.mail.circuit import (
    CircuitState,
    circuit_backoff,
    circuit_for_update,
    outbox_circuit_close,
    outbox_circuit_trip,
)
from communities.mail.marks import mark_sent, mark_skipped
from communities.mail.models import MailCircuit, OutboxMessage
from communities.mail.rendering import RenderedMessage, html_from_text, render_message
from communities.mail.smtp_errors import describe, is_temporary
from communities.models import User

logger = logging.getLogger(__name__)
State = OutboxMessage.State
# The dedupe key of a row redacted by an erasure (communities/mail/personal_data.py).
ERASED_KEY_PREFIX = "erased:"


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


@dataclass(frozen=True)
class OutboxDraft:
    """One message for ``outbox_enqueue_many``: already rendered, in ``language``."""

    dedupe_key: str
    kind: str
    recipient: User
    rendered: RenderedMessage
    language: str
    due_at: datetime
    calendar: str = ""
    calendar_method: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def outbox_enqueue_many(*, drafts: list[OutboxDraft], batch_size: int = 1000) -> int:
    """Store many rendered messages at once (a pairing round's introductions): one query for
    the keys that exist already, then one insert per ``batch_size`` rows. Returns how many
    rows were new. Each row is what ``outbox_enqueue`` would store for the same draft (an
    empty HTML part is wrapped from the text).
    Transaction: joins the caller's. Idempotent: drafts whose ``dedupe_key`` exists are left
    out, and a row another process inserted meanwhile is ignored on conflict."""
    if not drafts:
        return 0
    keys = [draft.dedupe_key for draft in drafts]
    if len(set(keys)) != len(keys):
        raise ValueError("Two drafts share a dedupe key.")
    existing = set(
        OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    rows = [
        OutboxMessage(
            dedupe_key=draft.dedupe_key,
            kind=draft.kind,
            recipient=draft.recipient,
            to_email=draft.recipient.email,
            language=draft.language,
            subject=draft.rendered.subject,
            body_text=draft.rendered.text,
            body_html=draft.rendered.html
            or html_from_text(
                text=draft.rendered.text, subject=draft.rendered.subject, language=draft.language
            ),
            headers=draft.headers,
            calendar=draft.calendar,
            calendar_method=draft.calendar_method,
            message_id=OutboxMessage.new_message_id(),
            due_at=draft.due_at,
        )
        for draft in drafts
        if draft.dedupe_key not in existing
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    return len(rows)


def outbox_claim_due(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = 20
) -> list[str]:
    """Claim due rows (and rows whose lease expired) in batches; return one lease token each.

    While the circuit is open (the mail server is not answering) nothing is claimed until its
    probe time, then one row: the probe (see ``outbox_circuit_trip``).
    Transaction: each batch is claimed in its own transaction with
    ``select_for_update(skip_locked=True)``, so concurrent sweeps never claim the same row; a
    probe is claimed under the circuit row's lock, so two sweeps never probe at once.
    Idempotent: running it again claims only what is still unclaimed or whose lease expired.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    if MailCircuit.objects.filter(pk=MailCircuit.SINGLETON, state=CircuitState.OPEN).exists():
        probe = _claim_probe(now=now)
        return [probe] if probe else []
    tokens: list[str] = []
    for _batch in range(max_batches):
        with transaction.atomic():
            token, count = _claim_batch(now=now, size=batch_size)
        if token is None:
            break
        tokens.append(token)
        if count < batch_size:
            break
    return tokens


def _claimable(now: datetime) -> Q:
    return Q(state=State.PENDING, due_at__lte=now) | Q(
        state=State.SENDING, lease_expires_at__lte=now
    )


def _claim_batch(*, now: datetime, size: int) -> tuple[str | None, int]:
    """Inside the caller's transaction: lock up to ``size`` due rows and lease them."""
    ids = list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(_claimable(now))
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:size]
    )
    if not ids:
        return None, 0
    token = uuid.uuid4()
    OutboxMessage.objects.filter(id__in=ids).update(
        state=State.SENDING,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
        updated_at=now,
    )
    return str(token), len(ids)


def _claim_probe(*, now: datetime) -> str | None:
    with transaction.atomic():
        circuit = circuit_for_update()
        if circuit.state != CircuitState.OPEN or now < circuit.probe_at:
            return None
        token, _count = _claim_batch(now=now, size=1)
        if token is None:
            return None
        circuit.probes += 1
        circuit.probe_lease = uuid.UUID(token)
        circuit.probe_at = now + circuit_backoff(circuit.probes)
        circuit.save(update_fields=["probes", "probe_lease", "probe_at", "updated_at"])
    logger.info("outbox: probing the mail server with one message (probe %s)", circuit.probes)
    return token


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
    # Put back untouched because the server, not the message, is in trouble.
    held: list[int] = field(default_factory=list)
    circuit_closed: bool = False


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


def _hold(messages: list[OutboxMessage], token: uuid.UUID, report: DeliveryReport) -> None:
    """Put rows back as they were (same due time, no attempt charged): the server failed."""
    if not messages:
        return
    OutboxMessage.objects.filter(
        id__in=[m.id for m in messages], lease_token=token, state=State.SENDING
    ).update(
        state=State.PENDING, lease_token=None, lease_expires_at=None, updated_at=timezone.now()
    )
    report.held.extend(m.id for m in messages)


def _after_error(message: OutboxMessage, token: uuid.UUID, error: BaseException, report) -> None:
    """A failure that belongs to this message: a 5xx fails it; a 4xx for this recipient is
    retried with a backoff until it has lasted OUTBOX_TEMPORARY_WINDOW and
    OUTBOX_MAX_ATTEMPTS tries."""
    now = timezone.now()
    attempts = message.attempts + 1
    first_error_at = message.first_error_at or now
    given_up = (
        attempts >= settings.OUTBOX_MAX_ATTEMPTS
        and now - first_error_at >= settings.OUTBOX_TEMPORARY_WINDOW
    )
    if is_temporary(error) and not given_up:
        _release(
            message,
            token,
            state=State.PENDING,
            attempts=attempts,
            due_at=now + retry_delay(attempts),
            last_error=describe(error),
            first_error_at=first_error_at,
        )
        report.retrying.append(message.id)
        logger.warning(
            "outbox %s: temporary error, retry %s: %s", message.id, attempts, describe(error)
        )
    else:
        _release(
            message,
            token,
            state=State.FAILED,
            attempts=attempts,
            last_error=describe(error),
            first_error_at=first_error_at,
        )
        report.failed.append(message.id)
        logger.error("outbox %s (%s) failed: %s", message.id, message.kind, describe(error))


def outbox_deliver_batch(*, lease_token: str) -> DeliveryReport:
    """Send the rows claimed under ``lease_token`` over one SMTP connection.

    Server trouble (no connection, a timeout, a dropped session, 421) stops the batch: the
    unsent rows go back untouched and the circuit opens (``outbox_circuit_trip``). While the
    circuit is open only the probe's batch talks to the server; the first accepted message
    closes the circuit. Transaction: none around the batch; each row is marked ``sent`` in its
    own statement right after the server accepted it, so a crash loses at most the row in
    flight (re-sent later with the same Message-ID). Idempotent: rows no longer held by this
    lease (already sent, or reclaimed by a later sweep) are left alone.
    """
    token = uuid.UUID(lease_token)
    report = DeliveryReport()
    messages = list(
        OutboxMessage.objects.filter(lease_token=token, state=State.SENDING)
        .select_related("recipient")
        .order_by("due_at", "id")
    )
    if not messages:
        return report
    circuit = MailCircuit.objects.filter(pk=MailCircuit.SINGLETON).first()
    if circuit and circuit.state == CircuitState.OPEN and circuit.probe_lease != token:
        _hold(messages, token, report)
        return report
    reasons = skip_reasons(messages)
    to_send = [message for message in messages if not reasons[message.id]]
    report.skipped.extend(mark_skipped([m for m in messages if reasons[m.id]], reasons, token))
    if not to_send:
        return report

    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        if not smtp_errors.is_server_trouble(error, connecting=True):
            for message in to_send:
                _after_error(message, token, error, report)
            return report
        _hold(to_send, token, report)
        outbox_circuit_trip(error=error)
        return report
    try:
        for position, message in enumerate(to_send):
            try:
                connection.send_messages([build_email(message, connection=connection)])
            except Exception as error:
                if smtp_errors.is_server_trouble(error):
                    _hold(to_send[position:], token, report)
                    outbox_circuit_trip(error=error)
                    break
                _after_error(message, token, error, report)
                continue
            if mark_sent(message, token):
                report.sent.append(message.id)
                if len(report.sent) == 1:
                    report.circuit_closed = outbox_circuit_close()
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("outbox: closing the SMTP connection failed", exc_info=True)
    return report


def outbox_deliver_while_due(*, lease_token: str, budget_seconds: float | None = None) -> dict:
    """Deliver the batch claimed under ``lease_token``, then keep claiming and delivering one
    batch at a time while rows are due, until ``budget_seconds`` (OUTBOX_SEND_SECONDS) are spent.

    So the rate grows with the number of workers: every worker drains the queue, each claim
    taking the next due rows with ``SKIP LOCKED`` (no two workers hold the same row), instead
    of a fixed number of batches per beat. Stops at once on server trouble (held rows: the
    circuit decides what happens next). Transaction and idempotency: as
    ``outbox_claim_due`` and ``outbox_deliver_batch``, per batch. Returns the counts."""
    budget = settings.OUTBOX_SEND_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    totals = dict.fromkeys(("sent", "retrying", "failed", "skipped", "held", "batches"), 0)
    circuit_closed = False
    token: str | None = lease_token
    while token is not None:
        report = outbox_deliver_batch(lease_token=token)
        for name in ("sent", "retrying", "failed", "skipped", "held"):
            totals[name] += len(getattr(report, name))
        totals["batches"] += 1
        circuit_closed = circuit_closed or report.circuit_closed
        if report.held or time.monotonic() - started >= budget:
            break
        more = outbox_claim_due(max_batches=1)
        token = more[0] if more else None
    totals["circuit_closed"] = circuit_closed
    return totals


def outbox_retry(*, message_ids: list[int]) -> int:
    """Put failed or skipped rows back in the queue now (admin action). Returns how many.

    Rows redacted by an erasure (no address, no text left) are never put back.
    """
    return (
        OutboxMessage.objects.filter(id__in=message_ids, state__in=[State.FAILED, State.SKIPPED])
        .exclude(to_email="")
        .exclude(dedupe_key__startswith=ERASED_KEY_PREFIX)
        .update(
            state=State.PENDING,
            due_at=timezone.now(),
            attempts=0,
            last_error="",
            first_error_at=None,
            skip_reason="",
        )
    )
