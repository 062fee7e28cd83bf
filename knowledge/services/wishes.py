"""Topic wishes → sessions: wish, "I'd come" / "I can tell about this", date polls, and
scheduling. Once a session is scheduled for a wish, everyone who said "I'd come" gets the
new-session notice (the same mail and dedupe key the reminder planner uses, so nobody gets it
twice) and RSVPs as usual; going sends the calendar invitation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import available_timezones

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import Community, User
from events.models import Session
from events.reminders.services.planner import session_key
from events.sessions.selectors import sessions_visible_to
from events.sessions.services.scheduling import SessionDetails, session_create
from knowledge.models import DatePoll, Notification, PollOption, PollVote, Wish, WishInterest
from knowledge.permissions import leads, may_see_community
from knowledge.rules import POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, poll_winner
from knowledge.selectors.wishes import wishes_visible_to

KIND_WISH_SCHEDULED = "wish_scheduled"


class WishNotFound(DomainError):
    """The wish does not exist for this person: views answer 404."""


def _not_found() -> WishNotFound:
    return WishNotFound(_("This wish does not exist."), code="not_found")


def _visible(user: User, wish_id: int, *, lock: bool = False) -> Wish:
    queryset = wishes_visible_to(user)
    if lock:
        queryset = Wish.objects.select_for_update(of=("self",)).filter(pk__in=queryset.values("pk"))
    wish = queryset.select_related("community").filter(pk=wish_id).first()
    if wish is None:
        raise _not_found()
    return wish


def _managed(actor: User, wish_id: int) -> Wish:
    wish = _visible(actor, wish_id, lock=True)
    if not leads(actor, wish.community):
        raise _not_found()
    return wish


@transaction.atomic
def wish_create(*, author: User, community: Community, title: str, description: str = "") -> Wish:
    """Wish for a topic in a community the person may see; they say "I'd come" themselves.
    Transaction: one. Not idempotent."""
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Name the topic you would like a session on."), code="title")
    if len(title) > 200 or len(description or "") > 2000:
        raise DomainError(_("The wish is too long."), code="too_long")
    if community is None or not may_see_community(author, community):
        raise DomainError(_("Choose a community."), code="community")
    wish = Wish.objects.create(
        community=community,
        author=author,
        title=title,
        description=(description or "").strip(),
        created_at=timezone.now(),
    )
    WishInterest.objects.create(wish=wish, user=author, kind=WishInterest.Kind.ATTEND)
    return wish


@transaction.atomic
def wish_interest_set(*, wish_id: int, user: User, kind: str, on: bool) -> None:
    """Say (or take back) "I'd come" or "I can tell about this". Transaction: one.
    Idempotent: one row per person, wish and kind (unique)."""
    if kind not in WishInterest.Kind.values:
        raise DomainError(_("Choose “I'd come” or “I can tell about this”."), code="kind")
    wish = _visible(user, wish_id)
    if wish.state in (Wish.State.PLANNED, Wish.State.CLOSED):
        raise DomainError(_("This wish is no longer open."), code="closed")
    if on:
        try:
            with transaction.atomic():
                WishInterest.objects.get_or_create(wish=wish, user=user, kind=kind)
        except IntegrityError:
            pass
    else:
        WishInterest.objects.filter(wish=wish, user=user, kind=kind).delete()


def volunteer_ids(wish: Wish) -> tuple[int, ...]:
    return tuple(
        WishInterest.objects.filter(
            wish=wish, kind=WishInterest.Kind.VOLUNTEER, user__is_active=True
        )
        .order_by("created_at", "id")
        .values_list("user_id", flat=True)
    )


def _interested(wish: Wish) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            wish_interests__wish=wish,
            wish_interests__kind=WishInterest.Kind.ATTEND,
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def poll_create(
    *,
    wish_id: int,
    actor: User,
    options: list[tuple[datetime, datetime]],
    format: str,
    location: str = "",
    online_url: str = "",
    tz: str = settings.TIME_ZONE,
) -> DatePoll:
    """A coordinator offers 2–6 candidate dates to the people interested in a wish of their
    community; they are told in the app. Transaction: one. Not idempotent for a wish that has
    a poll already (refused)."""
    wish = _managed(actor, wish_id)
    if wish.state != Wish.State.OPEN or DatePoll.objects.filter(wish=wish).exists():
        raise DomainError(_("This wish has a date poll already."), code="exists")
    starts = sorted(set(options))
    if not POLL_MIN_OPTIONS <= len(starts) <= POLL_MAX_OPTIONS:
        raise DomainError(
            _("Offer between %(min)d and %(max)d dates.")
            % {"min": POLL_MIN_OPTIONS, "max": POLL_MAX_OPTIONS},
            code="options",
        )
    now = timezone.now()
    if any(start <= now or end <= start for start, end in starts):
        raise DomainError(
            _("Every date must be in the future and end after it starts."), code="dates"
        )
    if format not in Session.Format.values:
        raise DomainError(_("Choose a format."), code="format")
    if not (location or "").strip() and not (online_url or "").strip():
        raise DomainError(_("Give a location, an online meeting link, or both."), code="where")
    if tz not in available_timezones():
        raise DomainError(_("Unknown time zone."), code="timezone")
    poll = DatePoll.objects.create(
        wish=wish,
        created_by=actor,
        format=format,
        location=(location or "").strip(),
        online_url=(online_url or "").strip(),
        timezone=tz,
        created_at=now,
    )
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, start=start, end=end) for start, end in starts]
    )
    wish.state = Wish.State.POLLING
    wish.save(update_fields=["state"])
    for person in _interested(wish):
        Notification.objects.get_or_create(
            user=person,
            key=f"poll:{poll.pk}",
            defaults={"kind": Notification.Kind.WISH_POLL, "wish": wish, "created_at": now},
        )
    return poll


@transaction.atomic
def poll_vote(*, poll_id: int, user: User, answers: dict[int, str]) -> None:
    """A person's answer per candidate date (yes / if need be / no). Transaction: one.
    Idempotent: one answer per person and date, the last one counts."""
    poll = DatePoll.objects.select_related("wish").filter(pk=poll_id).first()
    if poll is None:
        raise _not_found()
    _visible(user, poll.wish_id)
    if poll.closed_at is not None:
        raise DomainError(_("This poll is closed."), code="closed")
    option_ids = set(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))
    for option_id, answer in answers.items():
        if option_id not in option_ids or answer not in PollVote.Answer.values:
            raise DomainError(_("Answer yes, if need be or no for each date."), code="answer")
    for option_id, answer in answers.items():
        PollVote.objects.update_or_create(
            option_id=option_id, user=user, defaults={"answer": answer}
        )


def poll_details(poll: DatePoll, option: PollOption) -> SessionDetails:
    wish = poll.wish
    return SessionDetails(
        title=wish.title,
        format=poll.format,
        start=option.start,
        end=option.end,
        timezone=poll.timezone,
        description=wish.description,
        location=poll.location,
        online_url=poll.online_url,
        host_ids=volunteer_ids(wish),
    )


@transaction.atomic
def poll_schedule(*, poll_id: int, actor: User, option_id: int | None = None) -> Session:
    """Schedule the winning date (or the one the coordinator chose) in one step: the session
    is created with the wish's title and the volunteers as hosts, and the interested people
    are told (``wish_scheduled``). Transaction: one. Idempotent: a planned wish returns its
    session."""
    poll = DatePoll.objects.select_related("wish").filter(pk=poll_id).first()
    if poll is None:
        raise _not_found()
    wish = _managed(actor, poll.wish_id)
    if wish.state == Wish.State.PLANNED and wish.session_id:
        return wish.session
    options = list(PollOption.objects.filter(poll=poll).order_by("start", "id"))
    if option_id is None:
        tallies = [
            (
                option.votes.filter(answer="yes").count(),
                option.votes.filter(answer="maybe").count(),
                option.votes.filter(answer="no").count(),
            )
            for option in options
        ]
        index = poll_winner(tallies)
        chosen = options[index] if index is not None else None
    else:
        chosen = next((option for option in options if option.pk == option_id), None)
    if chosen is None:
        raise DomainError(_("Choose one of the poll's dates."), code="option")
    poll.wish = wish
    session = session_create(
        community=wish.community, actor=actor, details=poll_details(poll, chosen)
    )
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    wish_scheduled(wish=wish, session=session)
    return session


def plan_details(wish: Wish, details: SessionDetails) -> SessionDetails:
    """What the prefilled session form gives, with the volunteers as hosts when none chosen."""
    if details.host_ids:
        return details
    return replace(details, host_ids=volunteer_ids(wish))


@transaction.atomic
def wish_plan(*, wish_id: int, actor: User, details: SessionDetails) -> Session:
    """ "Plan this": schedule a session for a wish from the prefilled session form.
    Transaction: one. Not idempotent for an open wish (each call schedules a session); a
    planned wish is refused."""
    wish = _managed(actor, wish_id)
    if wish.state in (Wish.State.PLANNED, Wish.State.CLOSED):
        raise DomainError(_("This wish is no longer open."), code="closed")
    session = session_create(community=wish.community, actor=actor, details=details)
    wish_scheduled(wish=wish, session=session)
    return session


def wish_scheduled(*, wish: Wish, session: Session) -> list[int]:
    """Mark the wish planned and tell everyone who said "I'd come" and may see the session:
    in the app, and by the new-session notice through the outbox (not a blind broadcast: the
    people asked for it, and they RSVP as usual). Transaction: the caller's. Idempotent: one
    notification and one mail per person (unique keys)."""
    now = timezone.now()
    wish.state = Wish.State.PLANNED
    wish.session = session
    wish.planned_at = now
    wish.save(update_fields=["state", "session", "planned_at"])
    url = settings.SITE_URL + reverse("session_detail", args=[session.pk])
    preferences_url = settings.SITE_URL + reverse("reminder_preferences")
    told = []
    for person in _interested(wish):
        if person.pk == session.created_by_id:
            continue
        if not sessions_visible_to(person).filter(pk=session.pk).exists():
            continue
        Notification.objects.get_or_create(
            user=person,
            key=f"scheduled:{wish.pk}",
            defaults={"kind": Notification.Kind.WISH_SCHEDULED, "wish": wish, "created_at": now},
        )
        outbox_enqueue(
            # The planner's key for the new-session notice: one notice per person and session.
            dedupe_key=session_key(session.pk, person.pk, "new_session"),
            kind=KIND_WISH_SCHEDULED,
            template="new_session",
            recipient=person,
            context={
                "session": session,
                "session_url": url,
                "preferences_url": preferences_url,
            },
        )
        told.append(person.pk)
    return told
