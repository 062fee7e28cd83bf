"""Reminders and notifications (issue 8): planned as outbox rows, re-checked when sent.

A beat task (``reminders_plan``, every minute) makes the outbox rows that fall due within the
next few minutes, with deterministic dedupe keys ``reminder:<session>:<user>:<kind>`` (and
``digest:<user>:<iso week>``, ``announcement:<id>:<user>``), so two beats running at once, or a
beat that runs again, make each row once (DESIGN.md rules 2 and 5). A beat that was down catches
up on what fell due in the last ``REMINDER_LOOKBACK_MINUTES`` (never after the session started).
Nothing is sent at night in the recipient's timezone: due times falling in the quiet hours are
held until the morning. Because rows are made only minutes ahead, what a reminder says is what
is true when it is sent; a session that moves deletes its pending rows (the next plan makes them
again with the new time) and the send checks registered here skip a row when the session was
cancelled, the person no longer goes, or the preference was switched off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, Membership, User
from communities.permissions import can_manage_community
from events.models import (
    Announcement,
    OutboxMessage,
    ReminderPreference,
    Rsvp,
    Session,
    Takeaway,
)
from events.models.reminders import BEFORE_VALUES
from events.notifications import timing
from events.notifications.send_checks import register_send_check
from events.selectors.takeaways import contributors_to_thank, takeaways_visible_to

logger = logging.getLogger(__name__)

# Outbox kinds made here.
KIND_BEFORE = "reminder_before"
KIND_RSVP_NUDGE = "rsvp_nudge"
KIND_NEW_SESSION = "new_session"
KIND_TAKEAWAY = "takeaway_prompt"
KIND_DIGEST = "digest"
KIND_ANNOUNCEMENT = "announcement"
REMINDER_KINDS = (
    KIND_BEFORE,
    KIND_RSVP_NUDGE,
    KIND_NEW_SESSION,
    KIND_TAKEAWAY,
    KIND_DIGEST,
    KIND_ANNOUNCEMENT,
)
# Session-bound rows that describe the session's time: deleted when it moves.
TIMED_KINDS = (KIND_BEFORE, KIND_RSVP_NUDGE, KIND_TAKEAWAY)
UNSUBSCRIBE_SALT = "kennisplein.unsubscribe"
# What a List-Unsubscribe link switches off.
UNSUBSCRIBABLE = ("digest", "new_sessions", "announcements")
QUIET_SLACK = timedelta(hours=12)


# --- Preferences -------------------------------------------------------------------------------


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


# --- Unsubscribe links (RFC 8058) --------------------------------------------------------------


def unsubscribe_token(*, user: User, preference: str) -> str:
    return signing.dumps({"u": user.pk, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


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


def reminder_unsubscribe(*, user: User, preference: str) -> Preferences:
    """Switch one kind of bulk mail off (the one-click link). Transaction: one. Idempotent."""
    if preference not in UNSUBSCRIBABLE:
        raise DomainError(_("This link is not valid."), code="invalid")
    value = ReminderPreference.NewSessions.OFF if preference == "new_sessions" else False
    return reminder_preferences_set(user=user, **{preference: value})


def _list_headers(user: User, preference: str) -> dict[str, str]:
    url = settings.SITE_URL + reverse(
        "unsubscribe", args=[unsubscribe_token(user=user, preference=preference)]
    )
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Enqueueing --------------------------------------------------------------------------------


def _hold(moment: datetime, user: User) -> datetime:
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


def _enqueue_all(planned: list[Planned]) -> int:
    from events.services.outbox import outbox_enqueue

    made = 0
    preferences_url = settings.SITE_URL + reverse("reminder_preferences")
    existing = _existing([p.key for p in planned])
    for item in planned:
        if item.key in existing:
            continue
        existing.add(item.key)
        outbox_enqueue(
            dedupe_key=item.key,
            kind=item.kind,
            template=item.template,
            recipient=item.user,
            due_at=item.due_at,
            headers=_list_headers(item.user, item.unsubscribe) if item.unsubscribe else None,
            context={"preferences_url": preferences_url, **item.context},
        )  # fmt: skip
        made += 1
    return made


def session_key(session_id: int, user_id: int, code: str) -> str:
    return f"reminder:{session_id}:{user_id}:{code}"


@lru_cache(maxsize=4096)
def _session_url(session_id: int) -> str:
    return settings.SITE_URL + reverse("session_detail", args=[session_id])


def _session_context(session: Session) -> dict:
    url = _session_url(session.pk)
    # The capture form of issue 11 (prefilled with the session).
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
            due = _hold(nominal, rsvp.user)
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
            due = _hold(moment, rsvp.user)
            if low <= due <= high:
                planned.append(
                    Planned(
                        key=session_key(session.pk, rsvp.user_id, code),
                        kind=KIND_TAKEAWAY,
                        template="takeaway_prompt",
                        user=rsvp.user,
                        due_at=due,
                        context={**_session_context(session), "again": code != "takeaway"},
                    )
                )
    return planned


def _members(community_ids) -> list[Membership]:
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
    for membership in _members({s.community_id for s in sessions}):
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
            due = _hold(nominal, membership.user)
            if low <= due <= high and due < session.rsvp_deadline:
                planned.append(
                    Planned(
                        key=session_key(session.pk, membership.user_id, "rsvp_nudge"),
                        kind=KIND_RSVP_NUDGE,
                        template="rsvp_nudge",
                        user=membership.user,
                        due_at=due,
                        context=_session_context(session),
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
    for membership in _members({s.community_id for s in sessions}):
        members.setdefault(membership.community_id, []).append(membership)
    prefs = preferences_for({m.user_id for group in members.values() for m in group})
    planned = []
    for session in sessions:
        for membership in members.get(session.community_id, []):
            if membership.user_id == session.created_by_id:
                continue
            if prefs[membership.user_id].new_sessions != ReminderPreference.NewSessions.IMMEDIATE:
                continue
            due = _hold(session.created_at, membership.user)
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
                    )
                )
    return planned


def digest_key(user: User, moment: datetime) -> str:
    year, week, _day = moment.astimezone(timezone.get_default_timezone()).isocalendar()
    return f"digest:{user.pk}:{year}-W{week:02d}"


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
    # Only what the person may read (issue 11's rule), and nothing hidden, archived or replaced.
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
    # (issue 11, DESIGN.md rule 11).
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
    return {"new_sessions": new_sessions, "takeaways": takeaways, "thanks": thanks}


def _plan_digests(now: datetime, low: datetime, high: datetime) -> list[Planned]:
    zones = set(User.objects.filter(is_active=True).values_list("timezone", flat=True).distinct())
    due_by_zone = {}
    for zone in zones:
        due = timing.monday_at(now, tz_name=zone, hour=settings.REMINDER_DIGEST_HOUR)
        if low <= due <= high:
            due_by_zone[zone] = due
    if not due_by_zone:
        return []
    users = list(User.objects.filter(is_active=True, timezone__in=list(due_by_zone)))
    prefs = preferences_for({u.pk for u in users})
    keys = {u.pk: digest_key(u, due_by_zone[u.timezone]) for u in users}
    existing = _existing(list(keys.values()))
    planned, nothing_new = [], []
    for user in users:
        if not prefs[user.pk].digest or keys[user.pk] in existing:
            continue
        due = due_by_zone[user.timezone]
        content = digest_content(user=user, until=due, prefs=prefs[user.pk])
        if not (content["new_sessions"] or content["takeaways"]):
            # Nothing to tell this week: a skipped row under the same key, so the next
            # minutes' plans do not look again.
            nothing_new.append(
                OutboxMessage(
                    dedupe_key=keys[user.pk], kind=KIND_DIGEST, recipient=user,
                    to_email=user.email, language=user.language, subject="", body_text="",
                    message_id=OutboxMessage.new_message_id(), due_at=due,
                    state=OutboxMessage.State.SKIPPED, last_error="nothing new this week",
                )
            )  # fmt: skip
            continue
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
    OutboxMessage.objects.bulk_create(nothing_new, ignore_conflicts=True)
    return planned


PLANNERS = (_plan_before, _plan_rsvp_nudge, _plan_new_sessions, _plan_takeaway, _plan_digests)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Make the outbox rows of every reminder due within the next few minutes (beat: every
    minute); returns how many rows it made.

    Transaction: one per planner; each row's insert in its own savepoint (outbox_enqueue).
    Idempotent: every row has a deterministic dedupe key, so running it again (or two beats at
    once) makes nothing twice; a beat that was down catches up on what fell due in the last
    REMINDER_LOOKBACK_MINUTES."""
    now = now or timezone.now()
    low, high = _window(now)
    made = 0
    for planner in PLANNERS:
        with transaction.atomic():
            made += _enqueue_all(planner(now, low, high))
    return made


# --- Changes to sessions and answers -------------------------------------------------------------


def _pending_for_session(session_id: int, user_id: int | None = None):
    prefix = f"reminder:{session_id}:" + (f"{user_id}:" if user_id is not None else "")
    return OutboxMessage.objects.filter(
        dedupe_key__startswith=prefix, state=OutboxMessage.State.PENDING
    )


def reminders_session_moved(*, session_id: int) -> int:
    """A session's time changed: delete its pending timed reminders so the planner makes them
    again for the new time (their text names the old one). Transaction: joins the caller's.
    Idempotent."""
    deleted, _detail = _pending_for_session(session_id).filter(kind__in=TIMED_KINDS).delete()
    return deleted


def reminders_skip(*, session_id: int, user_id: int | None = None) -> int:
    """A session was cancelled (or a person stopped going): its pending reminders are skipped.
    Transaction: joins the caller's. Idempotent."""
    return _pending_for_session(session_id, user_id).update(
        state=OutboxMessage.State.SKIPPED, updated_at=timezone.now()
    )


# --- Coordinators' messages --------------------------------------------------------------------


def _check_message(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DomainError(_("Write a subject and a message."), code="empty")
    if len(subject) > 150 or len(body) > 5000:
        raise DomainError(_("Keep the subject under 150 and the message under 5,000 characters."),
                          code="too_long")  # fmt: skip
    return subject, body


@transaction.atomic
def announcement_send(
    *,
    actor: User,
    subject: str,
    body: str,
    community: Community | None = None,
    session: Session | None = None,
) -> Announcement:
    """A coordinator's message to a community's active members, or a session's hosts' message
    to the people going. One outbox row per recipient who wants such messages, keyed
    ``announcement:<id>:<user>``. Transaction: one. Not idempotent (each call is a new
    message)."""
    from events.permissions import can_manage_session

    subject, body = _check_message(subject, body)
    if session is not None:
        if not can_manage_session(actor, session):
            raise DomainError(_("Only the hosts and coordinators can write to the people going."),
                              code="forbidden")  # fmt: skip
        if session.is_cancelled:
            raise DomainError(_("This session is cancelled."), code="cancelled")
        people = [
            r.user
            for r in Rsvp.objects.filter(
                session=session, status=Rsvp.Status.GOING, user__is_active=True
            ).select_related("user")
        ]
        announcement = Announcement(session=session, author=actor, subject=subject, body=body)
        link = settings.SITE_URL + reverse("session_detail", args=[session.pk])
        audience = session.title
    else:
        if community is None or not can_manage_community(actor, community) or community.archived:
            raise DomainError(_("Only the coordinators can write to the members."),
                              code="forbidden")  # fmt: skip
        people = [m.user for m in _members([community.pk])]
        announcement = Announcement(community=community, author=actor, subject=subject, body=body)
        link = settings.SITE_URL + reverse("community_detail", args=[community.slug])
        audience = community.name
    people = [p for p in people if p.pk != actor.pk]
    prefs = preferences_for({p.pk for p in people})
    people = [p for p in people if prefs[p.pk].announcements]
    announcement.recipients = len(people)
    announcement.save()
    now = timezone.now()
    context = {"announcement": announcement, "author": actor, "link": link, "audience": audience}
    _enqueue_all(
        [
            Planned(
                key=f"announcement:{announcement.pk}:{person.pk}",
                kind=KIND_ANNOUNCEMENT,
                template="announcement",
                user=person,
                due_at=_hold(now, person),
                context=context,
                unsubscribe="announcements",
            )
            for person in people
        ]
    )
    return announcement


# --- Send checks: re-checked right before sending ------------------------------------------------


def _parse(key: str) -> tuple[int, int, str] | None:
    parts = key.split(":")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return int(parts[1]), int(parts[2]), parts[3]


def _session_and_rsvp(message: OutboxMessage):
    parsed = _parse(message.dedupe_key)
    if parsed is None:
        return None, None, ""
    session_id, user_id, code = parsed
    session = Session.objects.filter(pk=session_id).first()
    rsvp = Rsvp.objects.filter(session_id=session_id, user_id=user_id).first()
    return session, rsvp, code


@register_send_check(KIND_BEFORE)
def _still_before(message: OutboxMessage) -> bool:
    session, rsvp, code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or session.start <= timezone.now():
        return False
    if rsvp is None or rsvp.status != Rsvp.Status.GOING:
        return False
    minutes = int(code.removeprefix("before_")) if code.startswith("before_") else None
    return minutes in preferences_of(message.recipient).befores


@register_send_check(KIND_RSVP_NUDGE)
def _still_unanswered(message: OutboxMessage) -> bool:
    session, rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or rsvp is not None:
        return False
    if session.rsvp_deadline is None or session.rsvp_deadline <= timezone.now():
        return False
    member = Membership.objects.filter(
        user=message.recipient, community_id=session.community_id, state=Membership.State.ACTIVE
    ).exists()
    return member and preferences_of(message.recipient).rsvp_nudge


@register_send_check(KIND_NEW_SESSION)
def _still_new(message: OutboxMessage) -> bool:
    session, _rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or session.start <= timezone.now():
        return False
    member = Membership.objects.filter(
        user=message.recipient, community_id=session.community_id, state=Membership.State.ACTIVE
    ).exists()
    wanted = preferences_of(message.recipient).new_sessions
    return member and wanted == ReminderPreference.NewSessions.IMMEDIATE


@register_send_check(KIND_TAKEAWAY)
def _still_no_takeaway(message: OutboxMessage) -> bool:
    session, rsvp, _code = _session_and_rsvp(message)
    if session is None or session.is_cancelled or rsvp is None:
        return False
    if rsvp.attended is False or (rsvp.attended is None and rsvp.status != Rsvp.Status.GOING):
        return False
    if Takeaway.objects.filter(session=session, author=message.recipient).exists():
        return False
    return preferences_of(message.recipient).takeaway_prompts


@register_send_check(KIND_DIGEST)
def _still_digest(message: OutboxMessage) -> bool:
    return message.recipient is not None and preferences_of(message.recipient).digest


@register_send_check(KIND_ANNOUNCEMENT)
def _still_announcement(message: OutboxMessage) -> bool:
    return message.recipient is not None and preferences_of(message.recipient).announcements
