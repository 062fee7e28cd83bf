"""When a reminder is due: pure functions on aware datetimes (ARCHITECTURE.md rule 6).

"N days before" keeps the wall-clock time in the session's timezone: a reminder 1 day before a
session on Sunday 25 October 2026 at 09:00 Europe/Amsterdam (winter time, UTC+1) is due on
Saturday at 09:00 summer time (UTC+2), i.e. 07:00 UTC, not 08:00 UTC. Offsets under a day are
plain elapsed time. Quiet hours hold a message until the morning in the recipient's timezone.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 1440


def _wall_clock_shift(moment: datetime, tz_name: str, days: int) -> datetime:
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    # A wall-clock time that does not exist (spring forward) is read with the offset from
    # before the change (fold=0), as zoneinfo does; an ambiguous one takes the first occurrence.
    return local.replace(tzinfo=zone).astimezone(UTC)


def before(start: datetime, *, tz_name: str, minutes: int) -> datetime:
    """The moment ``minutes`` before ``start``; whole days keep the wall-clock time."""
    if minutes > 0 and minutes % DAY_MINUTES == 0:
        return _wall_clock_shift(start, tz_name, -(minutes // DAY_MINUTES))
    # Elapsed time: subtract in UTC (aware arithmetic in one zone would be wall-clock time).
    return start.astimezone(UTC) - timedelta(minutes=minutes)


def next_day(moment: datetime, *, tz_name: str) -> datetime:
    """The same wall-clock time on the next day in ``tz_name``."""
    return _wall_clock_shift(moment, tz_name, 1)


def in_quiet_hours(moment: datetime, *, tz_name: str, start_hour: int, end_hour: int) -> bool:
    local = moment.astimezone(ZoneInfo(tz_name)).time()
    if start_hour == end_hour:
        return False
    if start_hour > end_hour:  # over midnight, e.g. 22:00–07:00
        return local >= time(start_hour) or local < time(end_hour)
    return time(start_hour) <= local < time(end_hour)


def hold_for_quiet_hours(
    moment: datetime, *, tz_name: str, start_hour: int, end_hour: int
) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (the morning) in ``tz_name``."""
    if not in_quiet_hours(moment, tz_name=tz_name, start_hour=start_hour, end_hour=end_hour):
        return moment.astimezone(UTC)
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    morning = datetime.combine(local.date(), time(end_hour), tzinfo=zone)
    if local.time() >= time(end_hour):
        morning = datetime.combine(local.date() + timedelta(days=1), time(end_hour), tzinfo=zone)
    return morning.astimezone(UTC)


def monday_at(moment: datetime, *, tz_name: str, hour: int) -> datetime:
    """Monday ``hour``:00 of the ISO week ``moment`` falls in, in ``tz_name``."""
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(hour), tzinfo=zone).astimezone(UTC)
