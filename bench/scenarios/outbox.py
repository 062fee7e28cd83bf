"""Outbox throughput: enqueue through the service vs a plain bulk insert, and claim + deliver
through the sweep vs sending the same e-mails over one locmem connection."""

import random
import statistics

from django.core import mail
from django.core.mail import get_connection
from django.utils import timezone

from bench.generators import build_outbox_rows, make_people
from bench.measure import Context, Figure, timed
from communities.mail.models import OutboxMessage
from communities.mail.services import build_email, outbox_enqueue

from .common import check_all_sent, render_welcome, reset_outbox, sweep_until_empty

MESSAGES_PER_SCALE = 200
WARM_UP = 20


def measure_round(*, round_: int, people: list, rendered: dict) -> dict[str, float]:
    """Seconds for each of the four ways to move ``people``'s welcome mail; leaves no rows."""
    reset_outbox()

    def bulk_insert() -> None:
        rows = build_outbox_rows(
            prefix=f"plain:{round_}", recipients=people, rendered=rendered, due_at=timezone.now()
        )
        OutboxMessage.objects.bulk_create(rows, batch_size=500)

    def enqueue() -> None:
        for person in people:
            outbox_enqueue(
                dedupe_key=f"welcome:{round_}:{person.pk}",
                kind="welcome",
                template="welcome",
                recipient=person,
            )

    seconds = {"bulk_insert": timed(bulk_insert)}
    OutboxMessage.objects.all().delete()
    seconds["enqueue"] = timed(enqueue)

    # The baseline sends the very e-mails the sweep will send, built up front.
    emails = [build_email(row) for row in OutboxMessage.objects.order_by("due_at", "id")]

    def send_directly() -> None:
        connection = get_connection(backend="django.core.mail.backends.locmem.EmailBackend")
        connection.open()
        connection.send_messages(emails)
        connection.close()

    mail.outbox = []
    seconds["send_directly"] = timed(send_directly)
    mail.outbox = []
    seconds["sweep"] = timed(sweep_until_empty)
    check_all_sent(expected=len(people))
    reset_outbox()
    return seconds


def run(context: Context) -> list[Figure]:
    count = MESSAGES_PER_SCALE * context.scale
    rng = random.Random(context.seed)
    people = make_people(count, rng=rng, prefix="outbox")
    rendered = render_welcome(people)
    context.log(f"outbox: {count} messages × {context.repeat} repetitions")

    enqueue, enqueue_base, deliver, deliver_base = [], [], [], []
    # Round 0 is an untimed warm-up on a few messages: template loading, translation catalogues,
    # query compilation and the mail backend's first import are not billed to round 1.
    for round_ in range(context.repeat + 1):
        batch = people if round_ else people[:WARM_UP]
        seconds = measure_round(round_=round_, people=batch, rendered=rendered)
        if round_:
            enqueue.append(count / seconds["enqueue"])
            enqueue_base.append(count / seconds["bulk_insert"])
            deliver.append(count / seconds["sweep"])
            deliver_base.append(count / seconds["send_directly"])
        context.log(
            f"  round {round_}{' (warm-up)' if not round_ else ''}: "
            + ", ".join(f"{name} {value:.3f}s" for name, value in seconds.items())
        )
    reset_outbox()

    details = {"messages": count, "repetitions": context.repeat}
    return [
        Figure(
            "outbox.enqueue",
            statistics.median(enqueue),
            statistics.median(enqueue_base),
            "msg/s",
            note="outbox_enqueue (renders 'welcome') vs bulk_create",
            details=details,
        ),
        Figure(
            "outbox.deliver",
            statistics.median(deliver),
            statistics.median(deliver_base),
            "msg/s",
            note="claim_due + deliver_batch vs one locmem send_messages",
            details=details,
        ),
    ]
