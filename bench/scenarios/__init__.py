"""Benchmark scenarios: each ``run(context)`` returns its figures, each with its baseline."""

from . import listing, memory, outbox

SCENARIOS = {
    "outbox": outbox.run,
    "memory": memory.run,
    "listing": listing.run,
}
