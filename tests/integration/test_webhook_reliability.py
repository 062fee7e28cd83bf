"""The webhook ledger under the outbox's fault tests, with a real worker and a real receiver:
a worker killed mid-delivery and a wiped Redis lose no event.

Time passes by moving ``lease_expires_at`` into the past, never by waiting for the lease."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery
from api.tasks import webhooks_sweep
from api.webhooks.services import webhook_claim_due, webhook_endpoint_create
from events.sessions.services.scheduling import SessionDetails, session_create
from tests.api.receiver import WebhookReceiver
from tests.factories import CommunityFactory, MembershipFactory, StaffFactory, UserFactory
from tests.integration.test_worker import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


def schedule_a_session(receiver) -> WebhookDelivery:
    staff = StaffFactory()
    endpoint = webhook_endpoint_create(actor=staff, url=receiver.url, events=["session.created"])
    receiver.secrets.append(endpoint.secret)
    community = CommunityFactory()
    lead = UserFactory()
    MembershipFactory(user=lead, community=community, role="coordinator")
    start = timezone.now() + timedelta(days=3)
    details = SessionDetails(
        title="Fault test", format="workshop", start=start, end=start + timedelta(hours=1),
        location="Zaal 1",
    )  # fmt: skip
    with transaction.atomic():
        session_create(community=community, actor=lead, details=details)
    return WebhookDelivery.objects.get()


def test_ledger_survives_a_worker_killed_mid_delivery(start_worker, receiver):
    receiver.hang = 30
    doomed = start_worker("doomed")
    row = schedule_a_session(receiver)  # its commit publishes the sweep
    wait_until(lambda: receiver.started.is_set(), what="the worker to reach the receiver")
    doomed.kill()

    row.refresh_from_db()
    assert row.state == "delivering"
    assert receiver.received == []
    assert webhook_claim_due() == []  # the lease still holds

    receiver.hang = 0
    WebhookDelivery.objects.filter(pk=row.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    start_worker("replacement")
    webhooks_sweep.delay()  # what beat does every minute

    wait_until(lambda: WebhookDelivery.objects.get(pk=row.pk).state == "delivered", what="delivery")
    delivered = receiver.wait_for(1)
    # At least once, and every copy carries the one webhook-id receivers fold duplicates by.
    assert {item["headers"]["webhook-id"] for item in delivered} == {row.message_id}
    assert {item["body"]["type"] for item in delivered} == {"session.created"}
    assert receiver.rejected == []


def test_ledger_survives_a_wiped_redis(start_worker, receiver, broker):
    row = schedule_a_session(receiver)
    assert broker.llen("celery") == 1  # the sweep published at commit
    broker.flushdb()  # Redis loses it

    start_worker()
    webhooks_sweep.delay()  # the next beat tick

    [item] = receiver.wait_for(1)
    assert item["headers"]["webhook-id"] == row.message_id
    assert item["body"]["data"]["url"].endswith(f"/api/v1/sessions/{item['body']['data']['id']}/")
    wait_until(lambda: WebhookDelivery.objects.get(pk=row.pk).state == "delivered", what="delivery")
