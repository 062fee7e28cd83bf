"""Recurrence rules, pure: an RRULE from a form's choices, and the starts it gives.

Expanded in the session's own time zone, so 12:00 Europe/Amsterdam stays 12:00 across
daylight-saving changes. No ORM here: data in, data out."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.errors import DomainError

MAX_OCCURRENCES = 500
HORIZON = timedelta(days=120)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY_WEEKDAY = "monthly_weekday"
    MONTHLY_DAY = "monthly_day"


FREQUENCY_CHOICES = [
    (Frequency.WEEKLY.value, gettext_lazy("every N weeks")),
    (Frequency.MONTHLY_WEEKDAY.value, gettext_lazy("monthly on the Nth weekday")),
    (Frequency.MONTHLY_DAY.value, gettext_lazy("monthly on a day of the month")),
]


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
    if r.frequency not in {frequency.value for frequency in Frequency}:
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


def _rule_without_end(rule: str) -> str:
    return ";".join(part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT=")))
