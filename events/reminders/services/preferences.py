"""Everyone's choice of reminders, and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.models import ReminderPreference
from events.reminders.kinds import UNSUBSCRIBABLE, UNSUBSCRIBE_SALT
from events.reminders.models import BEFORE_VALUES
from events.reminders.selectors import PREFERENCE_FIELDS, Preferences, preferences_of


def reminder_preferences_set(*, user: User, **values) -> Preferences:
    """Save a person's reminder preferences (missing values keep their current value).

    Transaction: one upsert. Idempotent. Raises DomainError on a value that is not offered."""
    current = preferences_of(user)
    merged = {name: values.get(name, getattr(current, name)) for name in PREFERENCE_FIELDS}
    for name in ("first_before", "second_before"):
        if merged[name] is not None and merged[name] not in BEFORE_VALUES:
            raise DomainError(_("Choose one of the offered reminder times."), code="invalid")
    if merged["new_sessions"] not in ReminderPreference.NewSessions.values:
        raise DomainError(_("Choose one of the offered options."), code="invalid")
    ReminderPreference.objects.update_or_create(user=user, defaults=merged)
    return Preferences(**merged)


def unsubscribe_token(*, user: User, preference: str) -> str:
    return signing.dumps({"u": user.pk, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def reminder_unsubscribe(*, user: User, preference: str) -> Preferences:
    """Switch one kind of bulk mail off (the one-click link). Transaction: one. Idempotent."""
    if preference not in UNSUBSCRIBABLE:
        raise DomainError(_("This link is not valid."), code="invalid")
    value = ReminderPreference.NewSessions.OFF if preference == "new_sessions" else False
    return reminder_preferences_set(user=user, **{preference: value})


def list_headers(user: User, preference: str) -> dict[str, str]:
    url = settings.SITE_URL + reverse(
        "unsubscribe", args=[unsubscribe_token(user=user, preference=preference)]
    )
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
