"""Writes of webhooks: endpoints, the ledger rows of events, and their delivery.

Delivery follows the outbox (ARCHITECTURE.md, how mail flows): a row per event and endpoint,
written in the transaction of the change; a sweep claims due rows under a lease with
``SELECT … FOR UPDATE SKIP LOCKED`` and commits; a task posts each claimed row and records the
answer. A killed worker leaves rows whose lease expires (claimed again); a wiped Redis loses
only task messages (the beat sweep finds the rows). Retries back off for up to three days; a
410 disables the endpoint. The delivery log is kept 30 days.
"""

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import WEBHOOK_EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.webhooks.selectors import endpoint_for_manager, may_manage_endpoints_of
from api.webhooks.signing import body_of, new_secret, signed_headers
from api.webhooks.targets import TargetRefused, check_url, resolve
from communities.errors import DomainError
from communities.models import Community, User

logger = logging.getLogger(__name__)
State = WebhookDelivery.State

TEST_EVENT = "webhook.test"
# Standard Webhooks' suggested schedule, cut off at three days after the event.
RETRY_SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=14),
)
GIVE_UP_AFTER = timedelta(days=3)
LOG_KEPT = timedelta(days=30)


def _checked_events(events: list[str]) -> list[str]:
    chosen = [event for event in WEBHOOK_EVENTS if event in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise DomainError(_("Choose at least one event from the list."), code="events")
    return chosen


def _checked_url(url: str) -> str:
    url = url.strip()
    if len(url) > 500:
        raise DomainError(_("Keep the URL under 500 characters."), code="url")
    try:
        check_url(url)
        resolve(url)
    except TargetRefused as error:
        raise DomainError(str(error), code="url") from error
    return url


@transaction.atomic
def webhook_endpoint_create(
    *,
    actor: User,
    url: str,
    events: list[str],
    community: Community | None = None,
    description: str = "",
) -> WebhookEndpoint:
    """Register an endpoint: organisation-wide (staff) or for one community (its coordinators).
    The URL must resolve to a public address. Transaction: one insert. Not idempotent (each
    call makes an endpoint with its own secret)."""
    if not may_manage_endpoints_of(actor, community):
        raise DomainError(
            _("Only staff or the community's coordinators can do that."), code="forbidden"
        )
    return WebhookEndpoint.objects.create(
        community=community,
        url=_checked_url(url),
        events=_checked_events(events),
        description=description.strip()[:200],
        secret=new_secret(),
        created_by=actor,
    )


@transaction.atomic
def webhook_endpoint_update(
    *, actor: User, endpoint_id: int, url: str, events: list[str], description: str, active: bool
) -> WebhookEndpoint:
    """Change an endpoint; switching it on again clears why it was switched off. Transaction:
    one, row locked. Idempotent."""
    endpoint = _locked(actor, endpoint_id)
    endpoint.url = _checked_url(url)
    endpoint.events = _checked_events(events)
    endpoint.description = description.strip()[:200]
    if active and not endpoint.active:
        endpoint.disabled_reason = ""
    endpoint.active = active
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor: User, endpoint_id: int) -> None:
    """Remove an endpoint with its delivery log. Transaction: one. A second call finds nothing
    (DomainError, not found)."""
    _locked(actor, endpoint_id).delete()


@transaction.atomic
def webhook_secret_rotate(*, actor: User, endpoint_id: int) -> WebhookEndpoint:
    """Give the endpoint a new signing secret. Transaction: one. Each call makes a new one."""
    endpoint = _locked(actor, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def _locked(actor: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = endpoint_for_manager(user=actor, endpoint_id=endpoint_id)
    if endpoint is None:
        raise DomainError(_("This webhook does not exist."), code="not_found")
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


def _new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _row(endpoint: WebhookEndpoint, event: str, data: dict, now: datetime) -> WebhookDelivery:
    message_id = _new_message_id()
    payload = {"type": event, "timestamp": now.isoformat(), "data": data}
    return WebhookDelivery(
        endpoint=endpoint,
        message_id=message_id,
        event_type=event,
        payload=payload,
        due_at=now,
        created_at=now,
    )


def webhook_event_record(
    *, event: str, data: dict, endpoints: list[WebhookEndpoint], now: datetime | None = None
) -> list[WebhookDelivery]:
    """One ledger row per endpoint (``endpoints_wanting``). Transaction: the caller's (the
    change that caused the event), so there is no event without its change and no change
    without its event. Each call records a new event (its own ``webhook-id``)."""
    now = now or timezone.now()
    return WebhookDelivery.objects.bulk_create([_row(e, event, data, now) for e in endpoints])


@transaction.atomic
def webhook_test_send(*, actor: User, endpoint_id: int) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for one endpoint ("send test event"). Transaction: one
    insert. Each call sends a new test event."""
    endpoint = _locked(actor, endpoint_id)
    now = timezone.now()
    data = {"id": endpoint.pk, "community": endpoint.community.slug if endpoint.community else None}
    row = _row(endpoint, TEST_EVENT, data, now)
    row.save()
    return row


def webhook_claim_due(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = 20
) -> list[str]:
    """Claim due rows (and rows whose lease expired) in batches; one lease token per batch.

    Transaction: one per batch, ``select_for_update(skip_locked=True)``, so concurrent sweeps
    never claim the same row. Idempotent: a second run claims only what is still unclaimed."""
    now = now or timezone.now()
    batch_size = batch_size or settings.WEBHOOK_BATCH_SIZE
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    claimable = Q(state=State.PENDING, due_at__lte=now) | Q(
        state=State.DELIVERING, lease_expires_at__lte=now
    )
    tokens: list[str] = []
    for _batch in range(max_batches):
        with transaction.atomic():
            ids = list(
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .filter(claimable)
                .order_by("due_at", "id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            token = uuid.uuid4()
            WebhookDelivery.objects.filter(id__in=ids).update(
                state=State.DELIVERING, lease_token=token, lease_expires_at=now + lease
            )
        tokens.append(str(token))
        if len(ids) < batch_size:
            break
    return tokens


@dataclass
class Answer:
    status: int | None
    latency_ms: int
    error: str = ""


def post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, *, now: datetime) -> Answer:
    """POST the signed body to the checked address; redirects are not followed."""
    started = time.monotonic()
    try:
        target = resolve(endpoint.url)
    except TargetRefused as error:
        return Answer(None, 0, str(error))
    body = body_of(delivery.payload)
    headers = signed_headers(
        secret=endpoint.secret, message_id=delivery.message_id, at=now, body=body
    )
    default_port = 443 if target.scheme == "https" else 80
    headers["host"] = target.host if target.port == default_port else f"{target.host}:{target.port}"
    headers["user-agent"] = "Kennisplein-Webhooks/1"
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            port=target.port,
            timeout=timeout,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, port=target.port, timeout=timeout, retries=False
        )
    try:
        response = pool.urlopen(
            "POST", target.path, body=body, headers=headers, redirect=False, retries=False
        )
        status = response.status
    except urllib3.exceptions.HTTPError as error:
        return Answer(None, _elapsed(started), f"{type(error).__name__}: {error}"[:300])
    finally:
        pool.close()
    return Answer(status, _elapsed(started))


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


@dataclass
class DeliveryReport:
    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _release(delivery: WebhookDelivery, token: uuid.UUID, **changes) -> bool:
    """Update a claimed row only while our lease still holds it."""
    changes.setdefault("lease_token", None)
    changes.setdefault("lease_expires_at", None)
    return bool(
        WebhookDelivery.objects.filter(
            id=delivery.id, lease_token=token, state=State.DELIVERING
        ).update(**changes)
    )


def webhook_deliver_batch(*, lease_token: str, now_fn=timezone.now) -> DeliveryReport:
    """Post every row claimed under ``lease_token`` and record each answer.

    Transaction: one per row, after its request. Idempotent: rows delivered, failed or claimed
    again under a newer lease are left alone. The only duplicate window is between the
    receiver's 2xx and our commit; a repeat carries the same ``webhook-id``, which receivers
    use to drop duplicates."""
    token = uuid.UUID(lease_token)
    report = DeliveryReport()
    rows = list(
        WebhookDelivery.objects.filter(lease_token=token, state=State.DELIVERING)
        .select_related("endpoint")
        .order_by("id")
    )
    for delivery in rows:
        endpoint = delivery.endpoint
        now = now_fn()
        if not endpoint.active:
            _release(delivery, token, state=State.FAILED, last_error="endpoint switched off")
            report.failed.append(delivery.id)
            continue
        answer = post(endpoint, delivery, now=now)
        with transaction.atomic():
            _record(delivery, token, answer, now=now, report=report)
    return report


def _record(delivery, token, answer: Answer, *, now: datetime, report: DeliveryReport) -> None:
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status=answer.status,
        latency_ms=answer.latency_ms,
        error=answer.error,
    )
    attempts = delivery.attempts + 1
    common = {
        "attempts": attempts,
        "last_status": answer.status,
        "last_latency_ms": answer.latency_ms,
        "last_error": answer.error,
    }
    if answer.status is not None and 200 <= answer.status < 300:
        if _release(delivery, token, state=State.DELIVERED, delivered_at=now, **common):
            report.delivered.append(delivery.id)
        return
    if answer.status == 410:
        # The receiver says it is gone for good: stop sending it anything.
        _release(delivery, token, state=State.FAILED, **common)
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            active=False, disabled_reason="410 Gone", updated_at=now
        )
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id, state=State.PENDING
        ).update(state=State.FAILED, last_error="endpoint answered 410 Gone")
        report.failed.append(delivery.id)
        return
    next_due = now + RETRY_SCHEDULE[min(attempts - 1, len(RETRY_SCHEDULE) - 1)]
    if attempts > len(RETRY_SCHEDULE) or next_due > delivery.created_at + GIVE_UP_AFTER:
        _release(delivery, token, state=State.FAILED, **common)
        report.failed.append(delivery.id)
        logger.warning("webhook %s failed after %s attempts", delivery.id, attempts)
        return
    if _release(delivery, token, state=State.PENDING, due_at=next_due, **common):
        report.retrying.append(delivery.id)


def webhook_log_purge(*, now: datetime | None = None) -> int:
    """Delete delivered and failed rows older than 30 days (the delivery log's retention).
    Transaction: one delete. Idempotent."""
    now = now or timezone.now()
    deleted, _rows = WebhookDelivery.objects.filter(
        state__in=[State.DELIVERED, State.FAILED], created_at__lt=now - LOG_KEPT
    ).delete()
    return deleted
