"""Benchmark scenarios: each ``run(context)`` returns its figures, each with its baseline."""

from . import listing, memory, outbox, rsvp_http, takeaways

SCENARIOS = {
    "outbox": outbox.run,
    "memory": memory.run,
    "listing": listing.run,
    "rsvp_http": rsvp_http.run,
    "takeaways": takeaways.run,
}
