"""Scheduling series: occurrences materialised as rows up to a rolling horizon, edits of the
whole series, "this and following", cancelling the rest.

The rule itself is pure (``events.series.recurrence``). Each occurrence is a Session row keeping its original start as
``recurrence_id`` (the calendar's RECURRENCE-ID) and its own RSVPs. "This and following" ends
the series before the chosen occurrence and starts a new series (new UID) from it, moving the
later occurrences (and their RSVPs) across.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import changed
from communities.models import Community, User
from events.calendar.services.invitations import invitations_sync_series, invitations_sync_session
from events.models import Series, Session
from events.reminders.services.changes import reminders_session_moved
from events.series.extensions import occurrences_made
from events.series.recurrence import (
    HORIZON,
    Recurrence,
    _rule_without_end,
    _wall_end,
    build_rrule,
    occurrence_starts,
)
from events.series.services.rsvp import standing_answers_apply, standing_answers_copy
from events.sessions.permissions import can_create_session, can_manage_session
from events.sessions.selectors import seats_taken
from events.sessions.services.rsvp import capacity_below_going, promote_waitlist
from events.sessions.services.scheduling import (
    SessionDetails,
    _hosts,
    session_cancel,
    validate_details,
)


def _occurrence(series: Series, start: datetime) -> Session:
    return Session(
        community=series.community,
        series=series,
        recurrence_id=start,
        format=series.format,
        title=series.title,
        description=series.description,
        start=start,
        end=_wall_end(start, series.duration),
        timezone=series.timezone,
        location=series.location,
        online_url=series.online_url,
        capacity=series.capacity,
        online_capacity=series.online_capacity,
        members_only=series.members_only,
        max_guests=series.max_guests,
        created_by=series.created_by,
    )


def series_materialise(*, series: Series, until: datetime | None = None) -> int:
    """Create the occurrence rows up to ``until`` (default: now + 120 days) that do not exist
    yet, and give the upcoming ones the series' standing answers ("going to all upcoming",
    through rsvp_set: capacity and the waitlist apply). Transaction: caller's (or autocommit per
    insert); the caller holds the series lock when the series already exists. The apps above
    hear of the new occurrences (``events.series.extensions``). Idempotent: an occurrence
    exists once per (series, recurrence id), enforced by a unique constraint. Returns how many
    were made."""
    until = until or timezone.now() + HORIZON
    if series.materialised_until and series.materialised_until >= until:
        return 0
    starts = occurrence_starts(
        series.rrule,
        first_start=series.first_start,
        zone=series.timezone,
        after=series.materialised_until - timedelta(seconds=1)
        if series.materialised_until
        else None,
        before=until,
    )
    existing = set(
        Session.objects.filter(series=series, recurrence_id__in=starts).values_list(
            "recurrence_id", flat=True
        )
    )
    hosts = list(series.hosts.all())
    made = []
    for start in starts:
        if start in existing:
            continue
        occurrence = _occurrence(series, start)
        occurrence.save()
        occurrence.hosts.set(hosts)
        made.append(occurrence)
        changed("session.created", object_id=occurrence.pk, community_id=series.community_id)
    series.materialised_until = until
    series.save(update_fields=["materialised_until"])
    standing_answers_apply(series=series, occurrences=made)
    occurrences_made(series, made)
    return len(made)


def series_occurrence_exists(series: Series, start: datetime) -> bool:
    """Whether ``start`` is an occurrence of the series' rule (materialised or not)."""
    return occurrence_starts(
        series.rrule,
        first_start=series.first_start,
        zone=series.timezone,
        after=start - timedelta(seconds=1),
        before=start + timedelta(seconds=1),
    ) == [start]


def series_materialise_one(*, series: Series, start: datetime) -> Session:
    """The occurrence of ``series`` starting at ``start`` (an occurrence of its rule), made now
    if it lies beyond the horizon, with the series' hosts and standing answers, as
    ``series_materialise`` would make it later (which then finds it made: the unique
    (series, recurrence id) constraint). Transaction: the caller's, the series row locked.
    Idempotent."""
    Series.objects.select_for_update().filter(pk=series.pk).first()
    occurrence = Session.objects.filter(series=series, recurrence_id=start).first()
    if occurrence is not None:
        return occurrence
    if not series_occurrence_exists(series, start):
        raise DomainError(_("This is not a session of the series."), code="no_occurrence")
    occurrence = _occurrence(series, start)
    occurrence.save()
    occurrence.hosts.set(series.hosts.all())
    standing_answers_apply(series=series, occurrences=[occurrence])
    occurrences_made(series, [occurrence])
    return occurrence


def series_extend_all(*, now: datetime | None = None) -> int:
    """Keep every open series filled to the rolling horizon (periodic task). Idempotent."""
    until = (now or timezone.now()) + HORIZON
    made = 0
    for series in Series.objects.filter(ended=False).exclude(materialised_until__gte=until):
        with transaction.atomic():
            locked = Series.objects.select_for_update().get(pk=series.pk)
            made += series_materialise(series=locked, until=until)
    return made


def _copy_details(series: Series, details: SessionDetails) -> None:
    series.title = details.title.strip()
    series.format = details.format
    series.description = details.description
    series.location = details.location.strip()
    series.online_url = details.online_url.strip()
    series.capacity = details.capacity
    series.online_capacity = details.online_capacity
    series.members_only = details.members_only
    series.max_guests = details.max_guests


@transaction.atomic
def series_create(
    *, community: Community, actor: User, details: SessionDetails, recurrence: Recurrence
) -> Series:
    """Create a recurring session and materialise its occurrences up to the horizon.
    Transaction: one. Not idempotent (each call makes a new series)."""
    if not can_create_session(actor, community):
        raise DomainError(_("Only the coordinators can schedule sessions here."), code="forbidden")
    validate_details(details, community=community)
    if details.start <= timezone.now():
        raise DomainError(_("A new session must start in the future."), code="past")
    rule = build_rrule(recurrence, first_start=details.start, zone=details.timezone)
    series = Series(
        community=community,
        rrule=rule,
        timezone=details.timezone,
        first_start=details.start.astimezone(ZoneInfo(details.timezone)),
        duration=details.end.astimezone(ZoneInfo(details.timezone)).replace(tzinfo=None)
        - details.start.astimezone(ZoneInfo(details.timezone)).replace(tzinfo=None),
        created_by=actor,
    )
    _copy_details(series, details)
    series.save()
    series.hosts.set(_hosts(details, community) or [actor])
    series_materialise(series=series)
    return series


def _refuse_capacity_below_going(occurrence: Session, capacity: int | None) -> None:
    """Like session_update: a new capacity never silently drops people who are going."""
    taken = seats_taken(occurrence)
    if capacity is not None and capacity < taken:
        raise capacity_below_going(taken)


def _future_occurrences(series: Series, *, from_start: datetime):
    return (
        Session.objects.select_for_update()
        .filter(series=series, recurrence_id__gte=from_start)
        .order_by("recurrence_id")
    )


@transaction.atomic
def series_update_all(*, series_id: int, actor: User, details: SessionDetails) -> Series:
    """Edit the whole series: its pattern stays, its details (and time of day) change for
    every upcoming occurrence that was not edited on its own. Raises the series SEQUENCE.
    Transaction: one, series locked."""
    series = Series.objects.select_for_update().filter(pk=series_id).first()
    if series is None or not can_create_session(actor, series.community):
        raise DomainError(_("This series does not exist."), code="not_found")
    validate_details(details, community=series.community)
    tz = ZoneInfo(series.timezone)
    new_time = details.start.astimezone(tz).timetz().replace(tzinfo=None)
    duration = details.end.astimezone(tz).replace(tzinfo=None) - details.start.astimezone(
        tz
    ).replace(tzinfo=None)
    _copy_details(series, details)
    series.duration = duration
    # Occurrences materialised later follow the new time of day too.
    series.first_start = datetime.combine(
        series.first_start.astimezone(tz).date(), new_time, tzinfo=tz
    )
    series.sequence += 1
    series.save()
    now = timezone.now()
    changed = []
    for occurrence in _future_occurrences(series, from_start=now):
        if occurrence.edited_in_series or occurrence.is_cancelled:
            continue
        changed.append(occurrence)
        _refuse_capacity_below_going(occurrence, series.capacity)
        start = datetime.combine(occurrence.start.astimezone(tz).date(), new_time, tzinfo=tz)
        for field in ("title", "format", "description", "location", "online_url", "capacity",
                      "online_capacity", "members_only", "max_guests"):  # fmt: skip
            setattr(occurrence, field, getattr(series, field))
        if start != occurrence.start:
            occurrence.start = start
            occurrence.end = _wall_end(start, duration)
        occurrence.sequence += 1
        occurrence.save()
        reminders_session_moved(session_id=occurrence.pk)
        promote_waitlist(session=occurrence)
    # The whole series to those who have it as one entry, then each changed occurrence to
    # those who have it on its own.
    invitations_sync_series(series=series, now=now)
    for occurrence in changed:
        invitations_sync_session(session=occurrence, now=now)
    return series


@transaction.atomic
def series_split(*, session_id: int, actor: User, details: SessionDetails) -> Series:
    """ "This and following": end the series before this occurrence and start a new series (new
    UID) from it with the new details and time of day. The occurrences from here on move to the
    new series with their RSVPs. Transaction: one, both series locked."""
    occurrence = Session.objects.select_for_update().filter(pk=session_id).first()
    if (
        occurrence is None
        or occurrence.series_id is None
        or not can_manage_session(actor, occurrence)
    ):
        raise DomainError(_("This session is not part of a series."), code="not_series")
    old = Series.objects.select_for_update().get(pk=occurrence.series_id)
    validate_details(details, community=old.community)
    tz = ZoneInfo(old.timezone)
    split_at = occurrence.recurrence_id
    earlier = occurrence_starts(
        old.rrule, first_start=old.first_start, zone=old.timezone, before=split_at
    )
    rule_tail = _rule_without_end(old.rrule)
    if "COUNT=" in old.rrule:
        total = int(old.rrule.split("COUNT=")[1].split(";")[0])
        new_end = f"COUNT={max(total - len(earlier), 1)}"
    else:
        new_end = "UNTIL=" + old.rrule.split("UNTIL=")[1].split(";")[0]
    if earlier:
        old.rrule = f"{rule_tail};UNTIL=" + (split_at - timedelta(seconds=1)).astimezone(
            UTC
        ).strftime("%Y%m%dT%H%M%SZ")
    old.ended = True
    old.sequence += 1
    old.save()

    new_time = details.start.astimezone(tz).timetz().replace(tzinfo=None)
    first = datetime.combine(split_at.astimezone(tz).date(), new_time, tzinfo=tz)
    new = Series(
        community=old.community,
        rrule=f"{rule_tail};{new_end}",
        timezone=old.timezone,
        first_start=first,
        duration=details.end.astimezone(tz).replace(tzinfo=None)
        - details.start.astimezone(tz).replace(tzinfo=None),
        created_by=actor,
    )
    _copy_details(new, details)
    new.save()
    new.hosts.set(_hosts(details, old.community) or list(old.hosts.all()))
    moved_all = []
    for moved in _future_occurrences(old, from_start=split_at):
        moved_all.append(moved)
        start = datetime.combine(moved.recurrence_id.astimezone(tz).date(), new_time, tzinfo=tz)
        moved.series = new
        moved.recurrence_id = start
        if not moved.is_cancelled:
            _refuse_capacity_below_going(moved, new.capacity)
            for field in ("title", "format", "description", "location", "online_url",
                          "capacity", "online_capacity", "members_only", "max_guests"):  # fmt: skip
                setattr(moved, field, getattr(new, field))
            moved.start = start
            moved.end = _wall_end(start, new.duration)
        moved.edited_in_series = False
        moved.sequence += 1
        moved.save()
        reminders_session_moved(session_id=moved.pk)
        if not moved.is_cancelled:
            promote_waitlist(session=moved)
    new.materialised_until = old.materialised_until
    new.save(update_fields=["materialised_until"])
    # "Going to all upcoming" carries over to the sessions the new series will add.
    standing_answers_copy(source=old, target=new)
    series_materialise(series=new)
    # Calendars: the old series ends (its UNTIL removes the rest, or it is cancelled when
    # nothing of it is left), the new one is invited, occurrences held on their own move.
    invitations_sync_series(series=old)
    invitations_sync_series(series=new)
    for moved in moved_all:
        invitations_sync_session(session=moved)
    return new


@transaction.atomic
def series_cancel_rest(*, session_id: int, actor: User, reason: str) -> int:
    """Cancel this occurrence and every later one, and end the series before it.
    Transaction: one. Idempotent. Returns how many occurrences were cancelled."""
    occurrence = Session.objects.filter(pk=session_id).first()
    if (
        occurrence is None
        or occurrence.series_id is None
        or not can_manage_session(actor, occurrence)
    ):
        raise DomainError(_("This session is not part of a series."), code="not_series")
    series = Series.objects.select_for_update().get(pk=occurrence.series_id)
    cancelled = []
    for later in _future_occurrences(series, from_start=occurrence.recurrence_id):
        if not later.is_cancelled:
            # One calendar mail per person for the whole series below, not one per occurrence.
            cancelled.append(
                session_cancel(
                    session_id=later.pk, actor=actor, reason=reason, sync_calendars=False
                )
            )
    split_at = occurrence.recurrence_id
    still_recurs = occurrence_starts(
        series.rrule,
        first_start=series.first_start,
        zone=series.timezone,
        after=split_at - timedelta(seconds=1),
        limit=1,
    )
    if not (cancelled or still_recurs):
        return 0  # already ended here or earlier: the rule is never extended again
    series.rrule = f"{_rule_without_end(series.rrule)};UNTIL=" + (
        split_at - timedelta(seconds=1)
    ).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    series.ended = True
    series.sequence += 1
    series.save()
    invitations_sync_series(series=series)
    for session in cancelled:
        invitations_sync_session(session=session)
    return len(cancelled)
