"""/healthz: JSON with database and broker status, 200 when both answer, 503 otherwise."""

import pytest

from communities.health.models import WorkerPing
from communities.health.tasks import ping
from config.celery import app as celery_app
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
    }
    assert "no-cache" in response["Cache-Control"]


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
