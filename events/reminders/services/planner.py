"""The planner: the outbox rows of reminders that fall due within the next few minutes.

Beat runs it every minute. Every row has a deterministic dedupe key, so two beats at once or
a repeated run make nothing twice; a beat that was down catches up on the last hours."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.rendering import SharedRenderer, html_from_text, render_message
from communities.models import Membership, User
from events.models import DigestWeek, ReminderPreference, Rsvp, Session, Takeaway
from events.reminders import timing
from events.reminders.kinds import (
    KIND_BEFORE,
    KIND_DIGEST,
    KIND_NEW_SESSION,
    KIND_RSVP_NUDGE,
    KIND_TAKEAWAY,
)
from events.reminders.models import BEFORE_VALUES
from events.reminders.selectors import digest_content, preferences_for
from events.reminders.services.preferences import list_headers

logger = logging.getLogger(__name__)
QUIET_SLACK = timedelta(hours=12)
INSERT_BATCH = 500


# --- Enqueueing --------------------------------------------------------------------------------


def held_out_of_quiet_hours(moment: datetime, user: User) -> datetime:
    return timing.hold_for_quiet_hours(
        moment,
        tz_name=user.timezone,
        start_hour=settings.REMINDER_QUIET_START_HOUR,
        end_hour=settings.REMINDER_QUIET_END_HOUR,
    )


def _existing(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 1000):
        found.update(
            OutboxMessage.objects.filter(dedupe_key__in=keys[start : start + 1000]).values_list(
                "dedupe_key", flat=True
            )
        )
    return found


@dataclass
class Planned:
    key: str
    kind: str
    template: str
    user: User
    due_at: datetime
    context: dict
    unsubscribe: str = ""
    # What, besides the recipient's name, language and timezone, makes this message differ
    # from the others of its template (the session, the offset): messages with the same key
    # are rendered once. None: the context is this person's own (a digest).
    share_key: Hashable | None = None


def _row(item: Planned, renderer: SharedRenderer, preferences_url: str) -> OutboxMessage:
    language = item.user.language or settings.LANGUAGE_CODE
    context = {"preferences_url": preferences_url, **item.context}
    if item.share_key is None:
        rendered = render_message(
            template=item.template, context={"recipient": item.user, **context}, language=language
        )
    else:
        rendered = renderer.render(
            template=item.template,
            context=context,
            recipient=item.user,
            language=language,
            share_key=item.share_key,
        )
    return OutboxMessage(
        dedupe_key=item.key,
        kind=item.kind,
        recipient=item.user,
        to_email=item.user.email,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html
        or html_from_text(text=rendered.text, subject=rendered.subject, language=language),
        headers=list_headers(item.user, item.unsubscribe) if item.unsubscribe else {},
        message_id=OutboxMessage.new_message_id(),
        due_at=item.due_at,
    )


def enqueue_planned(planned: list[Planned]) -> int:
    """Insert the rows of ``planned`` that are not in the outbox yet; returns how many.

    Each (template, language, timezone, share key) is rendered once and the names filled in;
    the rows go in with multi-row inserts that skip a dedupe key another beat inserted
    meanwhile (``ON CONFLICT DO NOTHING``), so a concurrent beat makes nothing twice."""
    preferences_url = settings.SITE_URL + reverse("reminder_preferences")
    existing = _existing([p.key for p in planned])
    renderer = SharedRenderer()
    rows: list[OutboxMessage] = []
    for item in planned:
        if item.key in existing:
            continue
        existing.add(item.key)
        rows.append(_row(item, renderer, preferences_url))
    OutboxMessage.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(rows)


def session_key(session_id: int, user_id: int, code: str) -> str:
    return f"reminder:{session_id}:{user_id}:{code}"


@lru_cache(maxsize=4096)
def _session_url(session_id: int) -> str:
    return settings.SITE_URL + reverse("session_detail", args=[session_id])


def _session_context(session: Session) -> dict:
    url = _session_url(session.pk)
    # The takeaway capture form, prefilled with the session.
    capture = settings.SITE_URL + reverse("takeaway_capture", args=[session.pk])
    return {"session": session, "session_url": url, "takeaway_url": capture}


# --- The planner -------------------------------------------------------------------------------


def _window(now: datetime) -> tuple[datetime, datetime]:
    return (
        now - timedelta(minutes=settings.REMINDER_LOOKBACK_MINUTES),
        now + timedelta(minutes=settings.REMINDER_PLAN_AHEAD_MINUTES),
    )


def _plan_before(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    horizon = high + timedelta(minutes=max(BEFORE_VALUES)) + timedelta(days=1)
    rsvps = list(
        Rsvp.objects.filter(
            status=Rsvp.Status.GOING,
            session__state=Session.State.SCHEDULED,
            session__start__gt=now,
            session__start__lte=horizon,
            user__is_active=True,
        ).select_related("session", "user")
    )
    prefs = preferences_for({r.user_id for r in rsvps})
    planned = []
    for rsvp in rsvps:
        session = rsvp.session
        for minutes in prefs[rsvp.user_id].befores:
            nominal = timing.before(session.start, tz_name=session.timezone, minutes=minutes)
            due = held_out_of_quiet_hours(nominal, rsvp.user)
            # Not after the session started; not for an answer given after it fell due.
            if low <= due <= high and due < session.start and due >= rsvp.updated_at:
                planned.append(
                    Planned(
                        key=session_key(session.pk, rsvp.user_id, f"before_{minutes}"),
                        kind=KIND_BEFORE,
                        template="reminder_before",
                        user=rsvp.user,
                        due_at=due,
                        context={**_session_context(session), "minutes": minutes},
                        share_key=(session.pk, minutes),
                    )
                )
    return planned


def _plan_takeaway(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    wrote = Takeaway.objects.filter(session=OuterRef("session"), author=OuterRef("user"))
    rsvps = list(
        Rsvp.objects.filter(
            session__state=Session.State.SCHEDULED,
            session__end__gte=low - timedelta(days=1) - QUIET_SLACK,
            session__end__lte=high,
            user__is_active=True,
        )
        .filter(Q(attended=True) | Q(attended__isnull=True, status=Rsvp.Status.GOING))
        .exclude(session__format=Session.Format.INTERVISION)
        .annotate(wrote=Exists(wrote))
        .filter(wrote=False)
        .select_related("session", "user")
    )
    prefs = preferences_for({r.user_id for r in rsvps})
    planned = []
    for rsvp in rsvps:
        if not prefs[rsvp.user_id].takeaway_prompts:
            continue
        session = rsvp.session
        moments = {
            "takeaway": session.end,
            "takeaway_again": timing.next_day(session.end, tz_name=session.timezone),
        }
        for code, moment in moments.items():
            if code == "takeaway_again" and rsvp.attended is not True and rsvp.attended is not None:
                continue
            due = held_out_of_quiet_hours(moment, rsvp.user)
            if low <= due <= high:
                planned.append(
                    Planned(
                        key=session_key(session.pk, rsvp.user_id, code),
                        kind=KIND_TAKEAWAY,
                        template="takeaway_prompt",
                        user=rsvp.user,
                        due_at=due,
                        context={**_session_context(session), "again": code != "takeaway"},
                        share_key=(session.pk, code),
                    )
                )
    return planned


def active_memberships(community_ids) -> list[Membership]:
    return list(
        Membership.objects.filter(
            community_id__in=community_ids,
            state=Membership.State.ACTIVE,
            user__is_active=True,
        ).select_related("user")
    )


def _plan_rsvp_nudge(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    sessions = list(
        Session.objects.filter(
            state=Session.State.SCHEDULED,
            community__isnull=False,
            rsvp_deadline__gt=now,
            rsvp_deadline__lte=high + timedelta(days=1) + QUIET_SLACK,
        )
    )
    if not sessions:
        return []
    answered = set(Rsvp.objects.filter(session__in=sessions).values_list("session_id", "user_id"))
    members: dict[int, list[Membership]] = {}
    for membership in active_memberships({s.community_id for s in sessions}):
        members.setdefault(membership.community_id, []).append(membership)
    prefs = preferences_for({m.user_id for group in members.values() for m in group})
    planned = []
    for session in sessions:
        nominal = timing.before(session.rsvp_deadline, tz_name=session.timezone, minutes=1440)
        for membership in members.get(session.community_id, []):
            if (session.pk, membership.user_id) in answered:
                continue
            if not prefs[membership.user_id].rsvp_nudge:
                continue
            due = held_out_of_quiet_hours(nominal, membership.user)
            if low <= due <= high and due < session.rsvp_deadline:
                planned.append(
                    Planned(
                        key=session_key(session.pk, membership.user_id, "rsvp_nudge"),
                        kind=KIND_RSVP_NUDGE,
                        template="rsvp_nudge",
                        user=membership.user,
                        due_at=due,
                        context=_session_context(session),
                        share_key=session.pk,
                    )
                )
    return planned


def _announced_as_new(session: Session) -> bool:
    """One-off sessions, and the first occurrence of a series (not every materialised one)."""
    return session.series_id is None or session.recurrence_id == session.series.first_start


def _plan_new_sessions(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    sessions = [
        s
        for s in Session.objects.filter(
            state=Session.State.SCHEDULED,
            community__isnull=False,
            community__archived=False,
            start__gt=now,
            created_at__gte=low - QUIET_SLACK,
        ).select_related("series")
        if _announced_as_new(s)
    ]
    if not sessions:
        return []
    members: dict[int, list[Membership]] = {}
    for membership in active_memberships({s.community_id for s in sessions}):
        members.setdefault(membership.community_id, []).append(membership)
    prefs = preferences_for({m.user_id for group in members.values() for m in group})
    planned = []
    for session in sessions:
        for membership in members.get(session.community_id, []):
            if membership.user_id == session.created_by_id:
                continue
            if prefs[membership.user_id].new_sessions != ReminderPreference.NewSessions.IMMEDIATE:
                continue
            due = held_out_of_quiet_hours(session.created_at, membership.user)
            if low <= due <= high and due < session.start:
                planned.append(
                    Planned(
                        key=session_key(session.pk, membership.user_id, "new_session"),
                        kind=KIND_NEW_SESSION,
                        template="new_session",
                        user=membership.user,
                        due_at=due,
                        context=_session_context(session),
                        unsubscribe="new_sessions",
                        share_key=session.pk,
                    )
                )
    return planned


def digest_key(user: User, moment: datetime) -> str:
    year, week, _day = moment.astimezone(timezone.get_default_timezone()).isocalendar()
    return f"digest:{user.pk}:{year}-W{week:02d}"


def _plan_digests(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    zones = set(User.objects.filter(is_active=True).values_list("timezone", flat=True).distinct())
    due_by_zone = {}
    for zone in zones:
        due = timing.monday_at(now, tz_name=zone, hour=settings.REMINDER_DIGEST_HOUR)
        if low <= due <= high:
            due_by_zone[zone] = due
    weeks = {zone: _iso_week(due) for zone, due in due_by_zone.items()}
    done = {
        (row.timezone, row.week)
        for row in DigestWeek.objects.filter(timezone__in=list(weeks), week__in=weeks.values())
    }
    due_by_zone = {z: due for z, due in due_by_zone.items() if (z, weeks[z]) not in done}
    if not due_by_zone:
        return []
    users = list(User.objects.filter(is_active=True, timezone__in=list(due_by_zone)))
    prefs = preferences_for({u.pk for u in users})
    keys = {u.pk: digest_key(u, due_by_zone[u.timezone]) for u in users}
    existing = _existing(list(keys.values()))
    planned = []
    for user in users:
        if not prefs[user.pk].digest or keys[user.pk] in existing:
            continue
        due = due_by_zone[user.timezone]
        content = digest_content(user=user, until=due, prefs=prefs[user.pk])
        if not (content["new_sessions"] or content["takeaways"] or content["sections"]):
            continue  # Nothing to tell this week: no mail, and no row about this person.
        planned.append(
            Planned(
                key=keys[user.pk],
                kind=KIND_DIGEST,
                template="digest",
                user=user,
                due_at=due,
                context=content,
                unsubscribe="digest",
            )
        )
    # One row per zone and week says "planned": the next minutes' plans skip the zone.
    DigestWeek.objects.bulk_create(
        [DigestWeek(timezone=z, week=weeks[z], planned_at=now) for z in due_by_zone],
        ignore_conflicts=True,
    )
    DigestWeek.objects.filter(planned_at__lt=now - timedelta(weeks=3)).delete()
    return planned


def _iso_week(moment: datetime) -> str:
    year, week, _day = moment.astimezone(timezone.get_default_timezone()).isocalendar()
    return f"{year}-W{week:02d}"


PLANNERS = (_plan_before, _plan_rsvp_nudge, _plan_new_sessions, _plan_takeaway, _plan_digests)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Make the outbox rows of every reminder due within the next few minutes (beat: every
    minute); returns how many rows it made.

    Transaction: one per planner; its rows go in with multi-row inserts that skip existing
    dedupe keys. Idempotent: every row has a deterministic dedupe key, so running it again (or
    two beats at once) makes nothing twice; a beat that was down catches up on what fell due in the last
    REMINDER_LOOKBACK_MINUTES."""
    now = now or timezone.now()
    low, high = _window(now)
    made = 0
    for planner in PLANNERS:
        with transaction.atomic():
            made += enqueue_planned(planner(now, low, high))
    return made
