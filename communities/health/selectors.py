"""Is the stack up? Used by /healthz."""

import logging

from celery import current_app
from django.db import connection

from communities.health.models import WorkerPing

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def broker_ok(timeout: float = 2.0) -> bool:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=timeout
            )
            # A connection object may be lazy; touching the default channel proves the transport.
            conn.default_channel  # noqa: B018
        return True
    except Exception:
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


def worker_last_seen():
    ping = WorkerPing.objects.order_by("-created_at").only("created_at").first()
    return ping.created_at if ping else None
