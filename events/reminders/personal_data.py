"""What this topic holds about a person, for "download my data" and erasure (rule 9)."""

from communities.models import User
from communities.personal_data import iso, register
from events.models import (
    Announcement,
    ReminderPreference,
)


def _export_reminder_preferences(user: User) -> list[dict]:
    return [
        {
            "first_before_minutes": row.first_before,
            "second_before_minutes": row.second_before,
            "rsvp_nudge": row.rsvp_nudge,
            "new_sessions": row.new_sessions,
            "announcements": row.announcements,
            "takeaway_prompts": row.takeaway_prompts,
            "digest": row.digest,
            "changed_at": iso(row.updated_at),
        }
        for row in ReminderPreference.objects.filter(user=user)
    ]


def _export_announcements(user: User) -> list[dict]:
    return [
        {
            "to": a.community.name if a.community_id else a.session.title,
            "subject": a.subject,
            "message": a.body,
            "recipients": a.recipients,
            "sent_at": iso(a.created_at),
        }
        for a in Announcement.objects.filter(author=user)
        .select_related("community", "session")
        .order_by("id")
    ]


def register_personal_data() -> None:
    # Reminder preferences go with the person; messages they wrote to members stay
    # (the members received them), without their name.
    register(
        section="reminder_preferences",
        model=ReminderPreference,
        user_fields=("user",),
        export=_export_reminder_preferences,
        erasure="cascade",
    )
    register(
        section="messages_to_members",
        model=Announcement,
        user_fields=("author",),
        export=_export_announcements,
        erasure="set_null",
    )
