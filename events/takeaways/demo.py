"""Demo takeaways for ``manage.py seed_demo``: past sessions across communities and
formats with attendance, 36 takeaways in every visibility (organisation-wide, community-only,
private, inside the intervision group), tags, actions, a few past their review date, helpful
marks and a review. Idempotent: rows are found by their demo keys and updated.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from communities.models import Community, Membership, User
from events.models import Rsvp, Session, Takeaway, TakeawayHelpful, TakeawayReview
from events.takeaways.demo_data import HELPFUL, SESSIONS, TAKEAWAYS
from events.takeaways.rules import add_months
from events.takeaways.services import tags_from_names

DOMAIN = "kennisplein.test"


def seed() -> int:
    """Create or refresh the demo takeaways; returns how many there are."""
    people = {
        user.email.split("@")[0]: user for user in User.objects.filter(email__endswith=f"@{DOMAIN}")
    }
    communities = {c.slug: c for c in Community.objects.all()}
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    sessions = {}
    for key, slug, kind, title, days_ago, host, attendees in SESSIONS:
        day = today - timedelta(days=days_ago)
        start = datetime.combine(day, time(12, 0), tzinfo=zone)
        session, _created = Session.objects.update_or_create(
            uid=f"demo-tk-{key}@{DOMAIN}",
            defaults={
                "community": communities.get(slug) if slug else None,
                "format": kind,
                "title": title,
                "start": start,
                "end": start + timedelta(hours=1),
                "location": "Zaal 2",
                "created_by": people[host],
            },
        )
        session.hosts.set([people[host]])
        for index, name in enumerate(attendees):
            Rsvp.objects.update_or_create(
                session=session,
                user=people[name],
                defaults={"status": "going", "attended": index != len(attendees) - 1 or None},
            )
        sessions[key] = session
    made = {}
    for key, author, title, body, kind, visibility, tags, overdue in TAKEAWAYS:
        session = sessions[key]
        written = session.end
        due = add_months(timezone.localtime(written).date(), 6 if kind == "tip" else 12)
        if overdue is not None:
            due = today - timedelta(days=overdue)
        takeaway, _created = Takeaway.objects.update_or_create(
            session=session,
            author=people[author],
            title=title,
            defaults={
                "owner": people[author],
                "body": body,
                "kind": kind,
                "visibility": visibility,
                "language": people[author].language,
                "tags_text": " ".join(t.strip() for t in tags.split(",")),
                "review_due": due,
                "who_benefits": "Team " + people[author].team if kind == "tip" else "",
            },
        )
        takeaway.tags.set(tags_from_names([t.strip() for t in tags.split(",")]))
        # Written right after the session (auto_now_add would say "today"): the age shows.
        Takeaway.objects.filter(pk=takeaway.pk).update(created_at=written)
        made[title] = takeaway
    _members_joined_over_time(today)
    for title, names in HELPFUL:
        for name in names:
            TakeawayHelpful.objects.get_or_create(takeaway=made[title], user=people[name])
    reviewed = made["Korte talks werken"]
    if not reviewed.reviews.exists():
        TakeawayReview.objects.create(
            takeaway=reviewed, reviewer=reviewed.owner, outcome="reconfirmed"
        )
    return len(made)


def _members_joined_over_time(today) -> None:
    """seed_demo makes every membership "joined now"; spread them over the past 18 months so
    the insights' members-over-time chart shows a history (deterministic: by membership id)."""

    zone = ZoneInfo(settings.TIME_ZONE)
    for index, membership in enumerate(
        Membership.objects.filter(
            user__email__endswith=f"@{DOMAIN}", state=Membership.State.ACTIVE
        ).order_by("id")
    ):
        day = today - timedelta(days=30 + (index * 47) % 520)
        Membership.objects.filter(pk=membership.pk).update(
            joined_at=datetime.combine(day, time(9, 0), tzinfo=zone)
        )
