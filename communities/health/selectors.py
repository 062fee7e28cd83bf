"""Is the stack up? Used by /healthz."""

import logging
import threading

from celery import current_app
from django.db import connection

from communities.health.models import WorkerPing

logger = logging.getLogger(__name__)
# One broker connection per process and thread, kept between health checks: opening one per
# request cost more than the rest of /healthz.
_local = threading.local()


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_connection():
    """This thread's kept broker connection (a new one when the broker URL changed)."""
    url = current_app.conf.broker_url
    kept = getattr(_local, "broker", None)
    if kept is None or kept[0] != url:
        _forget_broker()
        kept = (url, current_app.connection_for_write())
        _local.broker = kept
    return kept[1]


def _forget_broker() -> None:
    kept = getattr(_local, "broker", None)
    _local.broker = None
    if kept is not None:
        try:
            kept[1].release()
        except Exception:
            logger.debug("healthz: closing the broker connection failed", exc_info=True)


def broker_ok(timeout: float = 2.0) -> bool:
    """Whether the broker answers, over a connection kept between calls: connected once, then
    one round trip (a PING on Redis) per call; a failure drops it, so the next call reconnects."""
    try:
        conn = _broker_connection()
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        # A connection object may be lazy; touching the default channel proves the transport,
        # and on Redis a PING proves a kept connection still answers.
        client = getattr(conn.default_channel, "client", None)
        if callable(getattr(client, "ping", None)):
            client.ping()
        return True
    except Exception:
        logger.warning("healthz: broker unreachable", exc_info=True)
        _forget_broker()
        return False


def worker_last_seen():
    ping = WorkerPing.objects.order_by("-created_at").only("created_at").first()
    return ping.created_at if ping else None
