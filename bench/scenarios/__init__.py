"""Benchmark scenarios: each ``run(context)`` returns its figures, each with its baseline."""

from . import coalescing, feed, festival, listing, memory, outbox, reminders, rsvp_http, takeaways

SCENARIOS = {
    "outbox": outbox.run,
    "memory": memory.run,
    "listing": listing.run,
    "rsvp_http": rsvp_http.run,
    "feed": feed.run,
    "reminders": reminders.run,
    "takeaways": takeaways.run,
    "festival": festival.run,
    "coalescing": coalescing.run,
}
