"""Webhooks: every write path's event reaches a real receiver on loopback, signed per Standard
Webhooks and thin; the ledger retries with backoff, a 410 switches the endpoint off, and targets
are checked against SSRF."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.tasks import webhooks_sweep
from api.webhooks.services import (
    RETRY_SCHEDULE,
    webhook_endpoint_create,
    webhook_log_purge,
    webhook_test_send,
)
from api.webhooks.targets import TargetRefused, resolve
from communities.errors import DomainError
from communities.services.memberships import membership_join
from events.festivals.services.programme import programme_publish, proposal_place
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from events.takeaways.services import takeaway_create
from tests.events.festivals.festival_helpers import (
    make_festival,
    make_proposal,
    make_room,
    make_slot,
)
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ALL = [
    "session.created",
    "session.updated",
    "session.cancelled",
    "rsvp.changed",
    "membership.changed",
    "takeaway.published",
    "festival.programme_published",
]
SITE = "http://127.0.0.1:8000"


def endpoint(receiver, actor, events=ALL, community=None) -> WebhookEndpoint:
    made = webhook_endpoint_create(
        actor=actor, url=receiver.url, events=events, community=community
    )
    receiver.secrets.append(made.secret)
    return made


def details(**changes) -> SessionDetails:
    start = timezone.now() + timedelta(days=2)
    fields = {
        "title": "Webhook-sessie",
        "format": "workshop",
        "start": start,
        "end": start + timedelta(hours=1),
        "location": "Zaal 2",
        "capacity": 10,
    }
    fields.update(changes)
    return SessionDetails(**fields)


def test_every_event_reaches_the_receiver_signed_and_thin(receiver, staff, coordinator, community):
    endpoint(receiver, staff)
    joiner = UserFactory()

    session = session_create(community=community, actor=coordinator, details=details())
    session_update(session_id=session.pk, actor=coordinator, details=details(title="Nieuw"))
    rsvp = rsvp_set(session_id=session.pk, user=joiner, status="going")
    membership = membership_join(user=joiner, community=community)
    session_cancel(session_id=session.pk, actor=coordinator, reason="")
    started = timezone.now() - timedelta(hours=1)
    past = SessionFactory(community=community, start=started, end=started + timedelta(hours=2))
    RsvpFactory(session=past, user=joiner, status="going")
    takeaway = takeaway_create(
        session_id=past.pk, author=joiner, title="Geleerd", visibility="organisation"
    )
    takeaway_create(session_id=past.pk, author=joiner, title="Voor mij", visibility="private")
    festival = make_festival(organiser=coordinator, slug="kf-hooks")
    room = make_room(festival, "Zaal 1", 40)
    proposal = make_proposal(festival, UserFactory(), title="Talk")
    proposal_place(
        proposal_id=proposal.pk,
        slot_id=make_slot(festival, room, "10:00", "10:30").pk,
        organiser=coordinator,
    )
    programme_publish(festival=festival, organiser=coordinator)

    webhooks_sweep()

    received = receiver.wait_for(7)
    assert receiver.rejected == []
    assert receiver.types() == [
        "session.created",
        "session.updated",
        "rsvp.changed",
        "membership.changed",
        "session.cancelled",
        "takeaway.published",
        "festival.programme_published",
    ]
    data = [item["body"]["data"] for item in received]
    session_url = f"{SITE}/api/v1/sessions/{session.pk}/"
    assert data == [
        {"id": session.pk, "community": "python-gilde", "url": session_url},
        {"id": session.pk, "community": "python-gilde", "url": session_url},
        {
            "id": rsvp.pk,
            "community": "python-gilde",
            "session": session.pk,
            "url": f"{session_url}rsvp/",
        },
        {
            "id": membership.pk,
            "community": "python-gilde",
            "user": joiner.pk,
            "url": f"{SITE}/api/v1/communities/python-gilde/members/",
        },
        {"id": session.pk, "community": "python-gilde", "url": session_url},
        {
            "id": takeaway.pk,
            "community": "python-gilde",
            "url": f"{SITE}/api/v1/takeaways/{takeaway.pk}/",
        },
        {
            "id": festival.pk,
            "community": None,
            "festival": "kf-hooks",
            "url": f"{SITE}/api/v1/festivals/kf-hooks/programme/",
        },
    ]
    # Standard Webhooks headers; the id is the ledger's, the same on every retry.
    first = received[0]["headers"]
    row = WebhookDelivery.objects.get(message_id=first["webhook-id"])
    assert row.state == "delivered" and row.attempts == 1 and row.last_status == 204
    assert first["webhook-signature"].startswith("v1,")
    assert first["content-type"] == "application/json"
    assert set(received[0]["body"]) == {"type", "timestamp", "data"}
    # Nothing personal beyond ids: no titles, names or e-mail addresses.
    for item in received:
        text = str(item["body"])
        assert "Webhook-sessie" not in text and "Geleerd" not in text and "@" not in text


def test_community_endpoint_hears_only_its_community(receiver, coordinator, community):
    endpoint(receiver, coordinator, events=["session.created"], community=community)
    other = CommunityFactory()
    lead = UserFactory()
    MembershipFactory(user=lead, community=other, role="coordinator")
    session_create(community=other, actor=lead, details=details())
    session_create(community=community, actor=coordinator, details=details())
    webhooks_sweep()
    assert receiver.types() == ["session.created"]
    assert WebhookDelivery.objects.count() == 1


def test_only_staff_make_organisation_endpoints_and_coordinators_their_own(
    receiver, member, coordinator, community
):
    with pytest.raises(DomainError):
        webhook_endpoint_create(actor=coordinator, url=receiver.url, events=ALL)
    with pytest.raises(DomainError):
        webhook_endpoint_create(actor=member, url=receiver.url, events=ALL, community=community)
    with pytest.raises(DomainError):
        webhook_endpoint_create(
            actor=coordinator, url=receiver.url, events=["session.nope"], community=community
        )
    assert WebhookEndpoint.objects.count() == 0


def test_test_event_and_delivery_log(receiver, staff):
    made = endpoint(receiver, staff)
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    [item] = receiver.wait_for(1)
    assert item["body"]["type"] == "webhook.test"
    assert item["body"]["data"] == {"id": made.pk, "community": None}
    [attempt] = WebhookAttempt.objects.all()
    assert attempt.status == 204 and attempt.latency_ms < 5000


def test_failed_delivery_backs_off_and_gives_up_after_three_days(receiver, staff):
    made = endpoint(receiver, staff)
    receiver.status = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        webhook_test_send(actor=staff, endpoint_id=made.pk)
        webhooks_sweep()
    row = WebhookDelivery.objects.get()
    assert (row.state, row.attempts, row.last_status) == ("pending", 1, 500)
    assert row.due_at == start + RETRY_SCHEDULE[0]
    moment = start
    attempts = 1
    while row.state == "pending":
        moment = row.due_at
        with time_machine.travel(moment, tick=False):
            webhooks_sweep()
        row.refresh_from_db()
        attempts += 1
        assert row.attempts == attempts
    assert row.state == "failed"
    assert moment - start < timedelta(days=3)
    assert len(receiver.received) == attempts
    # Every retry carries the same webhook-id (receivers drop duplicates by it).
    assert {item["headers"]["webhook-id"] for item in receiver.received} == {row.message_id}


def test_redirects_are_not_followed(receiver, staff):
    made = endpoint(receiver, staff)
    receiver.status = 302
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    row = WebhookDelivery.objects.get()
    assert (row.state, row.last_status) == ("pending", 302)
    assert len(receiver.received) == 1


def test_410_switches_the_endpoint_off(receiver, staff):
    made = endpoint(receiver, staff)
    receiver.status = 410
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    made.refresh_from_db()
    assert (made.active, made.disabled_reason) == (False, "410 Gone")
    assert WebhookDelivery.objects.get().state == "failed"
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    assert len(receiver.received) == 1  # nothing more is sent to it


def test_delivery_log_is_kept_thirty_days(receiver, staff):
    made = endpoint(receiver, staff)
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    row = WebhookDelivery.objects.get()
    assert webhook_log_purge(now=row.created_at + timedelta(days=29)) == 0
    assert webhook_log_purge(now=row.created_at + timedelta(days=31)) == 2  # row + its attempt
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8080/x", "internal"),
        ("http://localhost/x", "internal"),
        ("http://10.1.2.3/x", "internal"),
        ("http://192.168.0.10/x", "internal"),
        ("http://169.254.169.254/latest/meta-data/", "internal"),
        ("http://[::1]/x", "internal"),
        ("http://[::ffff:127.0.0.1]/x", "internal"),
        ("http://0.0.0.0/x", "internal"),
        ("ftp://example.org/x", "https"),
        ("http://user:pw@example.org/x", "user name"),
    ],
)
def test_ssrf_targets_are_refused(settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with translation.override("en"), pytest.raises(TargetRefused) as refused:
        resolve(url)
    assert message in str(refused.value) or message in str(refused.value).lower()


def test_ssrf_check_runs_again_at_delivery(receiver, staff, settings):
    """An endpoint accepted while allowed (or whose DNS changed) is refused when sent to."""
    made = endpoint(receiver, staff)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    webhook_test_send(actor=staff, endpoint_id=made.pk)
    webhooks_sweep()
    row = WebhookDelivery.objects.get()
    assert row.state == "pending"
    assert row.last_error == "Webhooks kunnen niet naar interne, privé- of loopbackadressen."
    assert receiver.received == []
