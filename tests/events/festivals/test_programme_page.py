"""The public programme: "now and next" only while the festival is on, no day without sessions."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from events.festivals.selectors import now_and_next, programme_days_with_sessions

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def talk(title: str, start: datetime, minutes: int = 30):
    return SimpleNamespace(
        title=title, session=SimpleNamespace(start=start, end=start + timedelta(minutes=minutes))
    )


FESTIVAL = SimpleNamespace(
    starts_on=date(2030, 3, 14), ends_on=date(2030, 3, 15), timezone="Europe/Amsterdam"
)
OPENING = talk("Opening", datetime(2030, 3, 14, 9, 30, tzinfo=AMSTERDAM))
KEYNOTE = talk("Keynote", datetime(2030, 3, 14, 10, 0, tzinfo=AMSTERDAM))


def test_now_and_next_is_empty_a_month_before_the_festival():
    a_month_before = datetime(2030, 2, 14, 9, 0, tzinfo=AMSTERDAM)

    assert now_and_next([OPENING, KEYNOTE], now=a_month_before, festival=FESTIVAL) == {
        "now": [],
        "next": [],
    }


def test_now_and_next_during_the_festival_in_its_own_time_zone():
    during = datetime(2030, 3, 14, 9, 40, tzinfo=AMSTERDAM)
    # 00:30 in Amsterdam on the first day is still the evening before in UTC.
    first_minutes = datetime(2030, 3, 13, 23, 30, tzinfo=ZoneInfo("UTC"))

    shown = now_and_next([OPENING, KEYNOTE], now=during, festival=FESTIVAL)
    early = now_and_next([OPENING, KEYNOTE], now=first_minutes, festival=FESTIVAL)

    assert [p.title for p in shown["now"]] == ["Opening"]
    assert [p.title for p in shown["next"]] == ["Keynote"]
    assert [p.title for p in early["next"]] == ["Opening"]


def test_a_day_of_empty_slots_is_left_out_of_the_programme():
    placed = {"proposal": OPENING}
    empty = {"proposal": None}
    grid = [
        {"day": date(2030, 3, 14), "rows": [{"cells": [placed, None]}, {"cells": [empty]}]},
        {"day": date(2030, 3, 15), "rows": [{"cells": [empty, None]}, {"cells": []}]},
    ]

    assert [day["day"] for day in programme_days_with_sessions(grid)] == [date(2030, 3, 14)]
