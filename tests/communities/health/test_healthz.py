"""/healthz: JSON with database and broker status, 200 when both answer, 503 otherwise."""

from datetime import timedelta

import pytest
import redis
import time_machine
from django.utils import timezone

from communities.health import selectors
from communities.health.models import WorkerPing
from communities.health.tasks import ping
from communities.mail.circuit import outbox_circuit_trip
from config.celery import app as celery_app
from tests.factories import OutboxMessageFactory
from tests.services import require_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    celery_app.conf.broker_url = original


def test_healthz_ok_with_database_and_broker_up(client, settings):
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        require_redis()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "worker_last_seen": None,
        "outbox": {
            "circuit": "closed",
            "since": None,
            "due": 0,
            "oldest_due": None,
            "lag_seconds": 0,
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_open_circuit_the_oldest_due_message_and_the_lag(client):
    opened = timezone.now() - timedelta(hours=2)
    with time_machine.travel(opened, tick=False):
        outbox_circuit_trip(error=ConnectionRefusedError(111, "Connection refused"))
    oldest = timezone.now().replace(microsecond=0) - timedelta(minutes=90)
    OutboxMessageFactory(due_at=oldest)
    OutboxMessageFactory(due_at=oldest + timedelta(minutes=30))
    OutboxMessageFactory(due_at=timezone.now() + timedelta(hours=1))  # not due yet

    with time_machine.travel(oldest + timedelta(minutes=90), tick=False):
        payload = client.get("/healthz").json()

    assert payload["outbox"] == {
        "circuit": "open",
        "since": opened.isoformat(),
        "due": 2,
        "oldest_due": oldest.isoformat(),
        "lag_seconds": 5400,
    }
    assert "refused" not in str(payload)  # the error text is for staff, not for the world


def test_healthz_503_with_broker_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_healthz_reports_when_a_worker_last_answered(client):
    ping("beat:2026-11-23T10:00")
    row = WorkerPing.objects.get()
    assert client.get("/healthz").json()["worker_last_seen"] == row.created_at.isoformat()


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_keeps_one_broker_connection_between_requests(client, settings):
    """The broker check no longer connects per request: the same Redis connection (its
    server-side client id) answers every /healthz, and it is held between them."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("the broker is not Redis")
    require_redis()
    server = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    db = server.connection_pool.connection_kwargs.get("db", 0)

    def broker_clients() -> set[str]:
        mine = str(server.client_id())
        return {c["id"] for c in server.client_list() if c["db"] == str(db) and c["id"] != mine}

    selectors._forget_broker()  # an earlier test's kept connection
    before = broker_clients()
    assert client.get("/healthz").status_code == 200
    held = broker_clients() - before
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert len(held) == 1
    assert broker_clients() - before == held
