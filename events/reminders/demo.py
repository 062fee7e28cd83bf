"""Demo reminder choices (called from seed_demo): a few people's own settings, so
/me/reminders/ shows more than the defaults, and the reminders the planner makes right now.
Idempotent: preferences are upserted, planned rows have dedupe keys."""

from communities.models import User
from events.reminders.services.planner import reminders_plan
from events.reminders.services.preferences import reminder_preferences_set

CHOICES = {
    # Two reminders of their own, new sessions only in the weekly digest.
    0: {"first_before": 2880, "second_before": 30, "new_sessions": "digest"},
    # Only the hour before; no takeaway prompts, no digest.
    1: {"first_before": None, "second_before": 60, "takeaway_prompts": False, "digest": False},
}


def seed(people: dict[str, User]) -> int:
    """Give the first two demo people their own choices; plan what is due now. Returns rows."""
    for index, person in enumerate(sorted(people.values(), key=lambda user: user.email)):
        if index in CHOICES:
            reminder_preferences_set(user=person, **CHOICES[index])
    return reminders_plan()
