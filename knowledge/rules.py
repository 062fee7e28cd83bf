"""Rules of "wie weet wat" without the database: the routing cap, poll sizes, medians."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median

# A person gets at most this many questions routed to them in any seven days (in the app, in
# the digest and, when they chose it, by mail): routing must never become a flood.
ROUTING_WEEKLY_CAP = 3
ROUTING_WINDOW = timedelta(days=7)
# How many people one question is routed to at most (besides the community's coordinators).
ROUTING_FAN_OUT = 10
# An unanswered question this old can be turned into a wish for a session.
WISH_AFTER = timedelta(days=14)
POLL_MIN_OPTIONS = 2
POLL_MAX_OPTIONS = 6
TITLE_MAX = 200
BODY_MAX = 4000


def under_cap(
    routed_times: list[datetime], now: datetime, *, cap: int = ROUTING_WEEKLY_CAP
) -> bool:
    """May one more question be routed to a person who got questions at ``routed_times``?"""
    recent = [moment for moment in routed_times if now - moment < ROUTING_WINDOW]
    return len(recent) < cap


def may_become_wish(*, created_at: datetime, answer_count: int, now: datetime) -> bool:
    return answer_count == 0 and now - created_at >= WISH_AFTER


def median_hours(durations: list[timedelta]) -> float | None:
    """The median of durations in hours (one decimal), None without any."""
    if not durations:
        return None
    return round(median(d.total_seconds() for d in durations) / 3600, 1)


def poll_winner(tallies: list[tuple[int, int, int]]) -> int | None:
    """The index of the best option from (yes, maybe, no) counts: most yes, then most maybe,
    then the earliest (the options come sorted by start). None without options."""
    if not tallies:
        return None
    best = max(range(len(tallies)), key=lambda i: (tallies[i][0], tallies[i][1], -i))
    return best


SURVEY_MIN_TOPICS = 2
SURVEY_MAX_TOPICS = 12
# A rating of this or more counts as "I want to learn this".
SCORE_WANTED = 4


def survey_topic_names(text: str) -> list[str]:
    """The topics of a survey from one per line: trimmed, inner spaces collapsed, empty lines
    and repeats (case-insensitive) dropped, in the order given."""
    names: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def mean_score(scores: list[int]) -> float | None:
    """The mean of ratings, one decimal; None without any."""
    if not scores:
        return None
    return round(sum(scores) / len(scores), 1)
