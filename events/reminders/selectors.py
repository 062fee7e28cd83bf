"""Reads of reminders: a person's preferences, unsubscribe links, a digest's content."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from communities.models import Community, Membership, User
from events.models import ReminderPreference, Rsvp, Session, Takeaway
from events.reminders.extensions import digest_sections
from events.reminders.kinds import UNSUBSCRIBABLE, UNSUBSCRIBE_SALT
from events.takeaways.selectors.reading import takeaways_visible_to
from events.takeaways.selectors.recognition import contributors_to_thank


@dataclass(frozen=True)
class Preferences:
    first_before: int | None
    second_before: int | None
    rsvp_nudge: bool
    new_sessions: str
    announcements: bool
    takeaway_prompts: bool
    digest: bool

    @property
    def befores(self) -> list[int]:
        return sorted({m for m in (self.first_before, self.second_before) if m}, reverse=True)


PREFERENCE_FIELDS = [f.name for f in fields(Preferences)]


def default_preferences() -> Preferences:
    return Preferences(**{name: settings.REMINDER_DEFAULTS[name] for name in PREFERENCE_FIELDS})


def _from_row(row: ReminderPreference | None) -> Preferences:
    if row is None:
        return default_preferences()
    return Preferences(**{name: getattr(row, name) for name in PREFERENCE_FIELDS})


def preferences_of(user: User) -> Preferences:
    return _from_row(ReminderPreference.objects.filter(user=user).first())


def preferences_for(user_ids) -> dict[int, Preferences]:
    """Everyone's preferences in one query; people without a row get the defaults."""
    rows = {row.user_id: row for row in ReminderPreference.objects.filter(user_id__in=user_ids)}
    default = default_preferences()
    return {uid: (_from_row(rows[uid]) if uid in rows else default) for uid in user_ids}


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The person and the preference a link names, or None for any bad token."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("p") not in UNSUBSCRIBABLE:
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    return None if user is None else (user, payload["p"])


def digest_content(*, user: User, until: datetime, prefs: Preferences) -> dict:
    """What a person's weekly digest holds: sessions scheduled in their communities in the
    week (when they chose the digest for those), and shared takeaways from sessions in their
    communities that they did not go to."""
    since = until - timedelta(days=7)
    community_ids = list(
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values_list(
            "community_id", flat=True
        )
    )
    new_sessions = []
    if prefs.new_sessions == ReminderPreference.NewSessions.DIGEST:
        new_sessions = list(
            Session.objects.filter(
                community_id__in=community_ids,
                community__archived=False,
                state=Session.State.SCHEDULED,
                created_at__gte=since,
                created_at__lt=until,
                start__gt=until,
            )
            .select_related("community")
            .order_by("start")[:20]
        )
    went = Rsvp.objects.filter(session=OuterRef("session"), user=user).filter(
        Q(attended=True) | Q(status=Rsvp.Status.GOING)
    )
    # Only what the person may read (the takeaways' rule), and nothing hidden, archived or replaced.
    takeaways = list(
        takeaways_visible_to(user)
        .filter(
            session__community_id__in=community_ids,
            session__end__gte=since,
            session__end__lt=until,
            visibility__in=[Takeaway.Visibility.COMMUNITY, Takeaway.Visibility.ORGANISATION],
            hidden_at__isnull=True,
            archived_at__isnull=True,
            superseded_by__isnull=True,
        )
        .exclude(session__format=Session.Format.INTERVISION)
        .exclude(author=user)
        .filter(~Exists(went))
        .select_related("session")
        .order_by("session__end", "id")[:20]
    )
    for item in new_sessions:
        item.url = settings.SITE_URL + reverse("session_detail", args=[item.pk])
    for item in takeaways:
        item.url = settings.SITE_URL + reverse("takeaway_detail", args=[item.pk])
    # Thanks to the people who shared in their communities this week and opted in to be named
    # (ARCHITECTURE.md rule 11).
    thanks = sorted(
        {
            person.name
            for community in Community.objects.filter(pk__in=community_ids, archived=False)
            .exclude(kind=Community.Kind.INTERVISION_GROUP)
            .order_by("pk")
            for person in contributors_to_thank(community=community, since=since, until=until)
            if person.pk != user.pk
        }
    )
    return {
        "new_sessions": new_sessions,
        "takeaways": takeaways,
        "thanks": thanks,
        # What the apps above add (questions routed to the person, ...).
        "sections": digest_sections(user=user, since=since, until=until),
    }
