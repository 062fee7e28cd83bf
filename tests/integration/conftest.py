"""Integration fixtures: a real Celery worker on real Redis, PostgreSQL and a real SMTP server.

The test process publishes tasks for real (eager mode off); workers are separate processes
that use the same test database and a Redis database of their own (db 15 by default).
"""

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.services import CeleryWorker

pytestmark = pytest.mark.integration


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker(redis_url):
    """The test broker (a Redis database of its own), empty at the start and end of the test."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def real_tasks(broker):
    """Publish tasks to the broker instead of running them in-process."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def start_worker(transactional_db, postgres, real_tasks, smtp_server, tmp_path):
    """Start real worker processes; every one still running is stopped at the end."""
    workers: list[CeleryWorker] = []

    def start(name: str = "worker") -> CeleryWorker:
        worker = CeleryWorker(
            database_url=database_url(),
            broker_url=settings.CELERY_BROKER_URL,
            email_url=smtp_server.url,
            log_path=tmp_path / f"{name}-{len(workers)}.log",
        )
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
