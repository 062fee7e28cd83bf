"""Celery tasks of the events app: thin, idempotent, ids (JSON) in, a service call, done."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from events.services.health import health_ping_record
from events.services.outbox import outbox_claim_due, outbox_deliver_batch
from events.services.reminders import reminders_plan
from events.services.rsvp import waitlist_repair
from events.services.series import series_extend_all

logger = logging.getLogger(__name__)

RETRY_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(name="events.tasks.ping")
def ping(marker: str = "") -> str:
    """Proves the path web → broker → worker → database: records ``marker`` as a health ping.

    Beat sends one every five minutes (marker: the minute); /healthz shows when a worker last
    answered. Idempotent: a second run with the same marker changes nothing.
    """
    marker = marker or "beat:" + timezone.now().strftime("%Y-%m-%dT%H:%M")
    health_ping_record(marker=marker)
    return marker


@shared_task(name="events.tasks.outbox_sweep", **RETRY_OPTIONS)
def outbox_sweep() -> int:
    """Claim due outbox rows in batches and hand each batch to a send task (beat: every minute).

    Idempotent: rows are claimed under a lease; a second sweep skips claimed rows until their
    lease expires. The claims are committed before the send tasks are published.
    """
    tokens = outbox_claim_due()
    for token in tokens:
        outbox_send_batch.delay(token)
    return len(tokens)


@shared_task(name="events.tasks.outbox_send_batch", **RETRY_OPTIONS)
def outbox_send_batch(lease_token: str) -> dict:
    """Deliver the rows claimed under one lease over one SMTP connection.

    Idempotent: rows already sent or reclaimed by a newer lease are left alone.
    """
    report = outbox_deliver_batch(lease_token=lease_token)
    return {
        "sent": len(report.sent),
        "retrying": len(report.retrying),
        "failed": len(report.failed),
        "skipped": len(report.skipped),
    }


@shared_task(name="events.tasks.waitlist_repair", **RETRY_OPTIONS)
def waitlist_repair_task() -> int:
    """Promote waiting people on any session that has free seats (beat: every 5 minutes).

    Idempotent: each session is repaired under its lock; with nothing to repair it does nothing.
    """
    return waitlist_repair()


@shared_task(name="events.tasks.series_extend", **RETRY_OPTIONS)
def series_extend_task() -> int:
    """Keep every open series materialised up to the rolling horizon (beat: hourly).

    Idempotent: an occurrence exists once per (series, recurrence id).
    """
    return series_extend_all()


@shared_task(name="events.tasks.inbound_imap_poll", **RETRY_OPTIONS)
def inbound_imap_poll() -> int:
    """Read calendar replies from the IMAP mailbox (beat: every minute; nothing to do unless
    INBOUND_IMAP_URL is set). Idempotent: handled mail is moved away, and a mail seen twice is
    skipped by the reply log. Connection errors are logged; the next run tries again."""
    from events.inbound.imap import imap_poll

    try:
        return imap_poll()
    except (OSError, EOFError) as error:
        logger.warning("imap poll failed: %s", error)
        return 0
    except Exception as error:  # imaplib.IMAP4.error and the like: try again next minute
        logger.warning("imap poll failed: %s", type(error).__name__)
        return 0


@shared_task(name="events.tasks.reminders_plan", **RETRY_OPTIONS)
def reminders_plan_task() -> int:
    """Make the outbox rows of reminders due in the next few minutes (beat: every minute).

    Idempotent: every row has a deterministic dedupe key; two beats at once make each row once.
    """
    return reminders_plan()


@shared_task(name="events.tasks.takeaway_review_nudge", **RETRY_OPTIONS)
def takeaway_review_nudge() -> int:
    """Nudge owners of takeaways past their review date: one outbox message per owner per day
    (beat: hourly). Idempotent: each due takeaway is marked as nudged for its review date, and
    the message's dedupe key is ``takeaway-review:<owner>:<date>``."""
    from events.services.takeaways import takeaway_review_nudge as nudge

    return nudge()
