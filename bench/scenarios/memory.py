"""Peak memory (tracemalloc) of a sweep claiming and delivering 2,000 messages, vs building the
same e-mails and sending them through one locmem connection.

Both sides end with the same 2,000 e-mails kept in ``mail.outbox`` (that is what the locmem
backend does), so the ratio shows what the sweep itself adds: rows, querysets, leases. tracemalloc slows
Python down several times over and the peak hardly varies between runs, so this scenario
measures one round after a small untraced warm-up (imports, compiled queries).
"""

import gc
import random
import tracemalloc
from collections.abc import Callable

from django.core import mail
from django.core.mail import get_connection
from django.utils import timezone

from bench.generators import make_outbox_rows, make_people
from bench.measure import Context, Figure
from communities.mail.models import OutboxMessage
from communities.mail.services import build_email

from .common import check_all_sent, render_welcome, reset_outbox, sweep_until_empty

MESSAGES = 2_000
WARM_UP = 20
MIB = 1024 * 1024


def peak_bytes(function: Callable[[], object]) -> tuple[int, int]:
    """Peak and still-held bytes allocated while ``function`` runs (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, current


def run(context: Context) -> list[Figure]:
    rng = random.Random(context.seed + 2)
    people = make_people(MESSAGES, rng=rng, prefix="memory")
    rendered = render_welcome(people)
    context.log(f"memory: {MESSAGES:,} messages, peak under tracemalloc")

    def measure(recipients, *, prefix: str, trace: bool) -> dict[str, int]:
        reset_outbox()
        make_outbox_rows(
            prefix=prefix, recipients=recipients, rendered=rendered, due_at=timezone.now()
        )
        # The rows are read before tracing starts: the baseline pays only for the e-mails.
        rows = list(OutboxMessage.objects.order_by("due_at", "id"))

        def build_and_send() -> None:
            emails = [build_email(row) for row in rows]
            connection = get_connection(backend="django.core.mail.backends.locmem.EmailBackend")
            connection.send_messages(emails)

        mail.outbox = []
        figures = {}
        if trace:
            figures["baseline_peak"], figures["baseline_held"] = peak_bytes(build_and_send)
        else:
            build_and_send()
        mail.outbox = []
        if trace:
            figures["sweep_peak"], figures["sweep_held"] = peak_bytes(sweep_until_empty)
        else:
            sweep_until_empty()
        check_all_sent(expected=len(recipients))
        reset_outbox()
        return figures

    measure(people[:WARM_UP], prefix="memory-warm-up", trace=False)
    figures = measure(people, prefix="memory", trace=True)
    context.log(
        f"  sweep peak {figures['sweep_peak'] / MIB:.2f} MiB,"
        f" baseline peak {figures['baseline_peak'] / MIB:.2f} MiB"
    )

    return [
        Figure(
            "memory.sweep_peak",
            figures["sweep_peak"] / MIB,
            figures["baseline_peak"] / MIB,
            "MiB",
            note=f"sweep of {MESSAGES:,} vs building + locmem-sending them",
            details={
                "messages": MESSAGES,
                "held_after_sweep_mib": figures["sweep_held"] / MIB,
                "held_after_baseline_mib": figures["baseline_held"] / MIB,
            },
        )
    ]
