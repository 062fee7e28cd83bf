"""Reminders end to end: 10,000 due reminders (at the default scale) planned by the
beat's planner, claimed by the sweep and sent by two real Celery workers (solo pool) on real
Redis to a real SMTP sink (aiosmtpd) on loopback; against sending the same 10,000 pre-rendered
messages over one SMTP connection to the same sink in the same run (the floor).

Figures:
- ``reminders.deliver``: messages/s from the first sweep until the last row is ``sent``, vs the
  floor (one connection, ``send_messages`` of the 10,000 e-mails built up front).
- ``reminders.plan``: rows/s made by ``reminders_plan`` (query, render in the recipient's
  language and timezone, insert), vs a ``bulk_create`` of the same rows already rendered.
- ``reminders.sweep_memory``: the peak Python memory (tracemalloc) of the sweep's claim of all
  10,000 rows (in batches, ids only) in this process, vs the peak of loading the same rows as
  model objects.

The sweep is called again whenever the broker queue runs dry (the beat calls it every minute
and each call claims at most 20 batches of OUTBOX_BATCH_SIZE). Needs PostgreSQL and Redis
(REDIS_URL; the broker is TEST_BROKER_URL or db 13 of that server, emptied first).
Quiet hours are off for the run, so the figures do not depend on the hour it runs at.
"""

import logging
import os
import random
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import redis
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection
from django.utils import timezone

from bench.generators import make_people
from bench.measure import Context, Figure, Skipped
from communities.mail.models import OutboxMessage
from communities.mail.services import build_email, outbox_claim_due
from communities.mail.tasks import outbox_sweep
from communities.models import Community
from config.celery import app as celery_app
from events.models import Rsvp, Session
from events.reminders.services.planner import reminders_plan
from tests.services import CeleryWorker, SmtpSink

PER_SCALE = 1000
SESSIONS = 100
WORKERS = 2
DELIVERY_TIMEOUT = 600


def _require_services() -> str:
    if connection.vendor != "postgresql":
        raise Skipped(f"needs PostgreSQL, the database is {connection.vendor}")
    url = os.environ.get("REDIS_URL", "")
    if not url:
        raise Skipped("needs Redis: set REDIS_URL")

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise Skipped(f"Redis at {url} does not answer: {error}") from error
    return settings.CELERY_BROKER_URL


def _world(count: int, rng_seed: int) -> None:

    rng = random.Random(rng_seed)
    people = make_people(count, rng=rng, prefix="reminded")
    community = Community.objects.create(name="Bench reminders", slug="bench-reminders",
                                         kind="community_of_practice")  # fmt: skip
    start = timezone.now() + timedelta(minutes=62)
    sessions = Session.objects.bulk_create(
        Session(
            community=community,
            format="brown_bag",
            title=f"Reminder bench {n}",
            start=start,
            end=start + timedelta(hours=1),
            location="Zaal 1",
        )
        for n in range(SESSIONS)
    )
    Rsvp.objects.bulk_create(
        (Rsvp(session=sessions[n % SESSIONS], user=person, status="going")
         for n, person in enumerate(people)),
        batch_size=2000,
    )  # fmt: skip
    Rsvp.objects.update(updated_at=timezone.now() - timedelta(days=1))


def _plan_and_claim(count: int) -> tuple[float, float, int]:

    started = time.perf_counter()
    made = reminders_plan()
    plan_seconds = time.perf_counter() - started
    OutboxMessage.objects.filter(state="pending").update(due_at=timezone.now())
    tracemalloc.start()
    claimed = outbox_claim_due(max_batches=10**6)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if made != count:
        raise RuntimeError(f"planned {made} reminders, expected {count}")
    # Put them back: the workers' sweep claims them for real, timed below.
    OutboxMessage.objects.filter(state="sending").update(
        state="pending", lease_token=None, lease_expires_at=None
    )
    return plan_seconds, peak / 2**20, len(claimed)


def _rows_memory() -> float:
    tracemalloc.start()
    rows = list(OutboxMessage.objects.all())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del rows
    return peak / 2**20


def _bulk_insert_seconds() -> float:
    """The same rows, already rendered, inserted with bulk_create (then removed again)."""
    rows = [
        OutboxMessage(
            dedupe_key="copy:" + row.dedupe_key,
            kind=row.kind,
            recipient_id=row.recipient_id,
            to_email=row.to_email,
            language=row.language,
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
            headers=row.headers,
            message_id="<copy-" + row.message_id[1:],
            due_at=row.due_at + timedelta(days=365),
        )
        for row in OutboxMessage.objects.all()
    ]
    started = time.perf_counter()
    OutboxMessage.objects.bulk_create(rows, batch_size=1000)
    seconds = time.perf_counter() - started
    OutboxMessage.objects.filter(dedupe_key__startswith="copy:").delete()
    return seconds


def _floor(sink) -> float:
    """messages/s: the same e-mails, built up front, over one SMTP connection to the sink."""

    emails = [build_email(row) for row in OutboxMessage.objects.order_by("due_at", "id")]
    backend = get_connection(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host="127.0.0.1", port=sink.port, use_tls=False, timeout=30,
    )  # fmt: skip
    before = len(sink.messages)
    started = time.perf_counter()
    backend.open()
    backend.send_messages(emails)
    backend.close()
    seconds = time.perf_counter() - started
    if len(sink.messages) - before != len(emails):
        raise RuntimeError("the floor run lost messages")
    return len(emails) / seconds


def _deliver(count: int, sink, broker_url: str) -> tuple[float, int]:

    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    celery_app.conf.task_always_eager = False
    logs = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    workers = [
        CeleryWorker(
            database_url=os.environ["DATABASE_URL"],
            broker_url=broker_url,
            email_url=sink.url,
            log_path=logs / f"worker-{n}.log",
        )
        for n in range(WORKERS)
    ]
    try:
        for worker in workers:
            worker.start()
        before = len(sink.messages)
        started = time.perf_counter()
        deadline = started + DELIVERY_TIMEOUT
        sweeps = 0
        while time.perf_counter() < deadline:
            if OutboxMessage.objects.filter(state="sent").count() >= count:
                break
            if broker.llen("celery") < WORKERS:
                outbox_sweep()
                sweeps += 1
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.stop()
        celery_app.conf.task_always_eager = True
        broker.flushdb()
    sent = OutboxMessage.objects.filter(state="sent").count()
    received = len(sink.messages) - before
    if sent != count or received != count:
        raise RuntimeError(f"{sent} rows sent, {received} received, expected {count}")
    return count / seconds, sweeps


def run(context: Context) -> list[Figure]:
    broker_url = _require_services()

    count = PER_SCALE * context.scale
    settings.REMINDER_QUIET_START_HOUR = settings.REMINDER_QUIET_END_HOUR = 0
    settings.REMINDER_DEFAULTS = {**settings.REMINDER_DEFAULTS, "first_before": None,
                                  "second_before": 60}  # fmt: skip
    context.log(f"reminders: {count} people going to {SESSIONS} sessions")
    _world(count, context.seed)

    plan_seconds, sweep_peak, batches = _plan_and_claim(count)
    context.log(f"  planned {count} in {plan_seconds:.1f}s; claim took {batches} batches")
    rows_peak = _rows_memory()
    bulk_seconds = _bulk_insert_seconds()

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = SmtpSink()
    sink.start()
    try:
        floor = _floor(sink)
        context.log(f"  floor: {floor:.0f} msg/s over one connection")
        rate, sweeps = _deliver(count, sink, broker_url)
        context.log(f"  two workers: {rate:.0f} msg/s ({sweeps} sweeps)")
    finally:
        sink.stop()

    details = {"reminders": count, "sessions": SESSIONS, "workers": WORKERS, "correct": True}
    return [
        Figure("reminders.deliver", rate, floor, "msg/s",
               note=f"sweep + {WORKERS} workers + Redis + SMTP sink vs 1 SMTP connection",
               details={**details, "sweeps": sweeps}, goal=(">=", 0.5)),
        Figure("reminders.plan", count / plan_seconds, count / bulk_seconds, "msg/s",
               note="reminders_plan (query, render, insert) vs bulk_create of rendered rows",
               details=details, goal=(">=", 0.3)),
        Figure("reminders.sweep_memory", sweep_peak, rows_peak, "MiB",
               note="peak of claiming every row vs loading the rows as objects",
               details=details),
    ]  # fmt: skip
