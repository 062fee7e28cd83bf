"""Benchmark scenarios: each ``run(context)`` returns its figures, each with its baseline."""

from . import (
    api,
    coalescing,
    feed,
    festival,
    listing,
    memory,
    outbox,
    pairing,
    questions,
    reminders,
    rsvp_http,
    scale,
    scim,
    takeaways,
)

SCENARIOS = {
    "outbox": outbox.run,
    "memory": memory.run,
    "listing": listing.run,
    "rsvp_http": rsvp_http.run,
    "feed": feed.run,
    "reminders": reminders.run,
    "takeaways": takeaways.run,
    "festival": festival.run,
    "scale": scale.run,
    "api": api.run,
    "questions": questions.run,
    "pairing": pairing.run,
    "coalescing": coalescing.run,
    "scim": scim.run,
}
