"""Recurring sessions: RRULEs built from a simple form, occurrences materialised as rows.

Recurrence is expanded in the session's own time zone, so 12:00 Europe/Amsterdam stays 12:00
across daylight-saving changes. Each occurrence is a Session row keeping its original start as
``recurrence_id`` (the calendar's RECURRENCE-ID) and its own RSVPs. "This and following" ends
the series before the chosen occurrence and starts a new series (new UID) from it, moving the
later occurrences (and their RSVPs) across.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.errors import DomainError
from communities.models import Community, User
from events.models import Series, Session
from events.permissions import can_create_session, can_manage_session
from events.services.invitations import invitations_sync_series, invitations_sync_session
from events.services.reminders import reminders_session_moved
from events.services.rsvp import capacity_below_going, promote_waitlist, seats_taken
from events.services.series_rsvp import standing_answers_apply, standing_answers_copy
from events.services.sessions import SessionDetails, _hosts, session_cancel, validate_details

MAX_OCCURRENCES = 500
HORIZON = timedelta(days=120)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(TextChoices):
    WEEKLY = "weekly", gettext_lazy("every N weeks")
    MONTHLY_WEEKDAY = "monthly_weekday", gettext_lazy("monthly on the Nth weekday")
    MONTHLY_DAY = "monthly_day", gettext_lazy("monthly on a day of the month")


@dataclass(frozen=True)
class Recurrence:
    frequency: str
    interval: int = 1
    weekday: int | None = None  # 0 = Monday; defaults to the first start's weekday
    nth: int | None = None  # 1..4, or -1 for the last
    day: int | None = None  # 1..28, or -1 for the last day of the month
    until: date | None = None
    count: int | None = None


def build_rrule(recurrence: Recurrence, *, first_start: datetime, zone: str) -> str:
    """The RRULE for a form's choices; raises DomainError on anything out of range."""
    r = recurrence
    if r.frequency not in Frequency.values:
        raise DomainError(_("Choose how often the session repeats."), code="frequency")
    if not 1 <= r.interval <= 12:
        raise DomainError(_("Repeat every 1 to 12 weeks or months."), code="interval")
    if (r.until is None) == (r.count is None):
        raise DomainError(_("Say until when, or how many times, the session repeats."), code="end")
    if r.count is not None and not 1 <= r.count <= MAX_OCCURRENCES:
        raise DomainError(
            _("A series has at most %(max)d sessions.") % {"max": MAX_OCCURRENCES}, code="count"
        )
    local_start = first_start.astimezone(ZoneInfo(zone))
    weekday = r.weekday if r.weekday is not None else local_start.weekday()
    if not 0 <= weekday <= 6:
        raise DomainError(_("Choose a day of the week."), code="weekday")
    if r.frequency == Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY", f"INTERVAL={r.interval}", f"BYDAY={WEEKDAYS[weekday]}"]
    elif r.frequency == Frequency.MONTHLY_WEEKDAY:
        if r.nth not in (1, 2, 3, 4, -1):
            raise DomainError(_("Choose the first to fourth, or the last, weekday."), code="nth")
        parts = ["FREQ=MONTHLY", f"INTERVAL={r.interval}", f"BYDAY={r.nth}{WEEKDAYS[weekday]}"]
    else:
        if r.day is None or not (1 <= r.day <= 28 or r.day == -1):
            raise DomainError(_("Choose a day from 1 to 28, or the last day."), code="day")
        parts = ["FREQ=MONTHLY", f"INTERVAL={r.interval}", f"BYMONTHDAY={r.day}"]
    if r.until is not None:
        if r.until < local_start.date():
            raise DomainError(_("The series must end after it starts."), code="until")
        end_of_day = datetime.combine(r.until, time(23, 59, 59), tzinfo=ZoneInfo(zone))
        parts.append("UNTIL=" + end_of_day.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    else:
        parts.append(f"COUNT={r.count}")
    rule = ";".join(parts)
    starts = occurrence_starts(rule, first_start=first_start, zone=zone, limit=MAX_OCCURRENCES + 1)
    if len(starts) > MAX_OCCURRENCES:
        raise DomainError(
            _("A series has at most %(max)d sessions.") % {"max": MAX_OCCURRENCES}, code="count"
        )
    if not starts:
        raise DomainError(_("This pattern gives no sessions at all."), code="empty")
    return rule


def occurrence_starts(
    rule: str,
    *,
    first_start: datetime,
    zone: str,
    after: datetime | None = None,
    before: datetime | None = None,
    limit: int | None = None,
) -> list[datetime]:
    """Aware occurrence starts, wall-clock fixed in ``zone`` (DST-safe)."""
    tz = ZoneInfo(zone)
    local_first = first_start.astimezone(tz)
    naive_first = local_first.replace(tzinfo=None)
    result = []
    for naive in rrulestr(_with_local_until(rule, tz), dtstart=naive_first):
        occurrence = naive.replace(tzinfo=tz)
        if before is not None and occurrence >= before:
            break
        if after is None or occurrence > after:
            result.append(occurrence)
        if limit is not None and len(result) >= limit:
            break
    return result


def _with_local_until(rule: str, tz: ZoneInfo) -> str:
    """dateutil wants a floating UNTIL with a floating DTSTART: turn the UTC UNTIL (as iCalendar
    requires it) into the same instant's wall-clock time in the series' zone."""
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and part.endswith("Z"):
            instant = datetime.strptime(part[6:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            part = "UNTIL=" + instant.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        parts.append(part)
    return ";".join(parts)


def _wall_end(start: datetime, duration: timedelta) -> datetime:
    """The end at the same wall-clock distance from the start, in the start's zone."""
    return (start.replace(tzinfo=None) + duration).replace(tzinfo=start.tzinfo)


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
    insert); the caller holds the series lock when the series already exists. Idempotent: an
    occurrence exists once per (series, recurrence id), enforced by a unique constraint.
    Returns how many were made."""
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
    series.materialised_until = until
    series.save(update_fields=["materialised_until"])
    standing_answers_apply(series=series, occurrences=made)
    return len(made)


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


def _rule_without_end(rule: str) -> str:
    return ";".join(part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT=")))


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
