"""Celery tasks of the events app: thin, idempotent, ids (JSON) in, a service call, done."""

import logging

from celery import shared_task

from communities.retries import RETRY_OPTIONS
from events.calendar.inbound.imap import imap_poll
from events.reminders.services.planner import reminders_plan
from events.series.services.scheduling import series_extend_all
from events.sessions.services.rsvp import waitlist_repair
from events.takeaways.services import takeaway_review_nudge as nudge

logger = logging.getLogger(__name__)


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

    return nudge()
