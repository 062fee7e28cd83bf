""" "Going to all upcoming sessions of a series", with per-occurrence exceptions.

A person's standing answer for a series is a ``SeriesRsvp`` row. Setting it answers every
upcoming, not cancelled occurrence through ``rsvp_set``, each occurrence in its own transaction
under its own session lock: never one transaction holding the locks of many sessions (that would
stall everyone's RSVPs for those sessions for the length of the loop, and invite deadlocks). So
the work, and the number of queries, grows linearly with the number of upcoming occurrences.

Occurrences materialised later get the standing answer too (``series_materialise`` calls
``standing_answers_apply``). Answers that came from the series are marked ``Rsvp.from_series``;
an answer the person gives one occurrence themselves (plain ``rsvp_set``) is an exception:
it keeps the standing answer for the others, and "stop going to the series" leaves it as it is.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from events.calendar.services.invitations import invitations_sync_series
from events.models import Rsvp, Series, SeriesRsvp, Session
from events.series.recurrence import occurrence_starts
from events.series.selectors import series_visible_to
from events.sessions.permissions import is_active_member
from events.sessions.selectors import waitlist_position
from events.sessions.services.rsvp import SessionNotFound, rsvp_set

Status = Rsvp.Status
SERIES_ANSWERS = (Status.GOING, Status.DECLINED)


class SeriesNotFound(SessionNotFound):
    """The series does not exist or the person may not see it (views answer 404)."""


class Outcome:
    GOING = "going"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    KEPT = "kept"  # the person's own answer for this occurrence, left as it is
    SKIPPED = "skipped"


@dataclass(frozen=True)
class OccurrenceOutcome:
    session_id: int
    start: datetime
    outcome: str
    position: int | None = None  # place on the waiting list (1 = next)
    reason: str = ""  # the DomainError code when skipped ("deadline", "members_only", ...)
    message: str = ""  # and its message, translated


@dataclass(frozen=True)
class SeriesRsvpResult:
    series_id: int
    status: str
    outcomes: list[OccurrenceOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    def skipped(self) -> list[OccurrenceOutcome]:
        return [item for item in self.outcomes if item.outcome == Outcome.SKIPPED]


def _upcoming(series_id: int, now: datetime) -> list[Session]:
    return list(
        Session.objects.filter(
            series_id=series_id, state=Session.State.SCHEDULED, start__gt=now
        ).order_by("start", "id")
    )


def series_rsvp_set(
    *, series_id: int, user: User, status: str, now: datetime | None = None
) -> SeriesRsvpResult:
    """Going to every upcoming occurrence of a series (and to those planned later), or stop.

    ``going``: remembers the standing answer and answers every upcoming, not cancelled occurrence
    "going" through ``rsvp_set`` (full → waitlisted with a position). Occurrences whose sign-up
    has closed are skipped, as is any occurrence ``rsvp_set`` refuses (reported with the reason).
    An answer the person gave an occurrence themselves is overruled, as in a calendar's "all
    events"; a place they already hold (going, waitlisted) is kept as it is.

    ``declined``: removes the standing answer and declines the upcoming occurrences the person
    was going to (or waiting for) because of the series; seats that free up go to the waitlist.
    Their own answers for single occurrences stay.

    Transactions: one short one that locks the series row (the same lock ``series_extend_all``
    holds while it materialises, so no new occurrence slips between the two) and writes the
    standing answer; then one per occurrence through ``rsvp_set``, each locking only its own
    session. Call it outside a transaction. Idempotent: the same answer again changes nothing.
    Refusals (bad status, members only, nothing left to go to) raise DomainError before any
    change; a series the person may not see raises SeriesNotFound.
    """
    now = now or timezone.now()
    if status not in SERIES_ANSWERS:
        raise DomainError(_("Answer going or not going for the series."), code="status")
    series = series_visible_to(user, series_id)
    if series is None:
        raise SeriesNotFound(_("This series does not exist."), code="not_found")
    with transaction.atomic():
        series = Series.objects.select_for_update().get(pk=series.pk)
        occurrences = _upcoming(series.pk, now)
        if status == Status.GOING:
            if series.members_only and not is_active_member(user, series.community):
                raise DomainError(
                    _("This series is only for members of the community."), code="members_only"
                )
            if not occurrences and not _recurs_after(series, now):
                raise DomainError(_("This series has no upcoming sessions."), code="no_upcoming")
            if not SeriesRsvp.objects.filter(series=series, user=user).exists():
                SeriesRsvp.objects.create(series=series, user=user, status=SeriesRsvp.Status.GOING)
        else:
            SeriesRsvp.objects.filter(series=series, user=user).delete()
    mine = {
        rsvp.session_id: rsvp
        for rsvp in Rsvp.objects.filter(user=user, session__in=[o.pk for o in occurrences])
    }
    if status == Status.GOING:
        outcomes = [
            _go(occurrence, user, mine.get(occurrence.pk), now) for occurrence in occurrences
        ]
    else:
        outcomes = [
            outcome
            for occurrence in occurrences
            if (outcome := _stop(occurrence, user, mine.get(occurrence.pk), now)) is not None
        ]
    with transaction.atomic():
        # One calendar mail for the whole series (or its cancellation), not one per occurrence.
        invitations_sync_series(series=series, users=[user], now=now)
    return SeriesRsvpResult(series_id=series.pk, status=status, outcomes=outcomes)


def _recurs_after(series: Series, now: datetime) -> bool:
    """Whether the series will still hold a session after ``now`` (not yet materialised)."""

    if series.ended:
        return False
    return bool(
        occurrence_starts(
            series.rrule, first_start=series.first_start, zone=series.timezone, after=now, limit=1
        )
    )


def _held(occurrence: Session, rsvp: Rsvp) -> OccurrenceOutcome:
    if rsvp.status == Status.WAITLISTED:
        return OccurrenceOutcome(
            occurrence.pk, occurrence.start, Outcome.WAITLISTED, position=waitlist_position(rsvp)
        )
    return OccurrenceOutcome(occurrence.pk, occurrence.start, Outcome.GOING)


def _go(occurrence: Session, user: User, mine: Rsvp | None, now: datetime) -> OccurrenceOutcome:
    if occurrence.rsvp_deadline and occurrence.rsvp_deadline <= now:
        if mine is not None and mine.status in (Status.GOING, Status.WAITLISTED):
            return _held(occurrence, mine)
        return OccurrenceOutcome(
            occurrence.pk,
            occurrence.start,
            Outcome.SKIPPED,
            reason="deadline",
            message=_("Sign-up has closed."),
        )
    try:
        # Its own transaction, locking this one session.
        rsvp = rsvp_set(
            session_id=occurrence.pk, user=user, status=Status.GOING, now=now, from_series=True
        )
    except DomainError as error:
        return OccurrenceOutcome(
            occurrence.pk,
            occurrence.start,
            Outcome.SKIPPED,
            reason=error.code,
            message=error.message,
        )
    return _held(occurrence, rsvp)


def _stop(
    occurrence: Session, user: User, mine: Rsvp | None, now: datetime
) -> OccurrenceOutcome | None:
    if mine is None:
        return None
    if not mine.from_series:
        if mine.status == Status.DECLINED:
            return None
        return OccurrenceOutcome(occurrence.pk, occurrence.start, Outcome.KEPT)
    if mine.status not in (Status.GOING, Status.WAITLISTED):
        return None
    try:
        rsvp = rsvp_set(
            session_id=occurrence.pk, user=user, status=Status.DECLINED, now=now, from_series=True
        )
    except DomainError as error:
        return OccurrenceOutcome(
            occurrence.pk,
            occurrence.start,
            Outcome.SKIPPED,
            reason=error.code,
            message=error.message,
        )
    if rsvp.status != Status.DECLINED:  # answered this occurrence themselves meanwhile
        return OccurrenceOutcome(occurrence.pk, occurrence.start, Outcome.KEPT)
    return OccurrenceOutcome(occurrence.pk, occurrence.start, Outcome.DECLINED)


def standing_answers_apply(*, series: Series, occurrences: list[Session]) -> int:
    """Give newly materialised occurrences the series' standing answers, through ``rsvp_set``
    (capacity respected; when full, waitlisted in the order people chose the series).

    Runs in the caller's transaction (``series_materialise``): the occurrences are new rows
    nobody else can lock yet. A refusal for one person (no longer a member, ...) skips that
    person for that occurrence; their standing answer stays. Returns how many answers were set.
    """
    now = timezone.now()
    upcoming = [o for o in occurrences if o.start > now and not o.is_cancelled]
    if not upcoming:
        return 0
    standing = list(
        SeriesRsvp.objects.filter(
            series=series, status=SeriesRsvp.Status.GOING, user__is_active=True
        )
        .select_related("user")
        .order_by("created_at", "id")
    )
    answered = 0
    for occurrence in upcoming:
        for answer in standing:
            try:
                rsvp_set(
                    session_id=occurrence.pk,
                    user=answer.user,
                    status=Status.GOING,
                    now=now,
                    from_series=True,
                )
            except DomainError:
                continue
            answered += 1
    return answered


def standing_answers_copy(*, source: Series, target: Series) -> int:
    """ "This and following" starts a new series: the standing answers carry over to it, in the
    same order. Caller's transaction. Returns how many were copied."""
    rows = [
        SeriesRsvp(series=target, user_id=user_id, status=status)
        for user_id, status in SeriesRsvp.objects.filter(series=source)
        .order_by("created_at", "id")
        .values_list("user_id", "status")
    ]
    SeriesRsvp.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
