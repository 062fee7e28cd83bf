"""Figures, timing and query counting shared by the scenarios."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Skipped(Exception):
    """A scenario that cannot run here (e.g. it needs PostgreSQL); the message says why."""


@dataclass
class Figure:
    """One measured figure and its baseline from the same run.

    ``ratio`` is always ``value / baseline``: for rates (msg/s) below 1 means slower than the
    baseline; for times (ms) and memory (MiB) above 1 means costlier than the baseline.
    """

    name: str
    value: float
    baseline: float
    unit: str
    note: str = ""
    details: dict = field(default_factory=dict)
    goal: tuple[str, float] | None = None  # (">=" | "<=", ratio) from the issue that set it

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    @property
    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        operator, limit = self.goal
        return f"{'≥' if operator == '>=' else '≤'} {limit:g}"

    @property
    def verdict(self) -> str:
        """``met`` / ``MISSED`` against the goal; empty for a figure without one."""
        if self.goal is None:
            return ""
        operator, limit = self.goal
        ratio = self.ratio
        if ratio != ratio:  # NaN: nothing to compare
            return "MISSED"
        met = ratio >= limit if operator == ">=" else ratio <= limit
        return "met" if met else "MISSED"

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}


@dataclass
class Context:
    """What every scenario gets: the size multiplier, repetitions and a progress printer."""

    scale: int
    repeat: int
    seed: int
    log: Callable[[str], None]


def timed(function: Callable[[], object]) -> float:
    """Seconds one call takes (after a garbage collection, so earlier garbage is not billed)."""
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def median_seconds(function: Callable[[], object], *, repeat: int, warmup: int = 1) -> float:
    """Median of ``repeat`` timed calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        function()
    return statistics.median(timed(function) for _ in range(repeat))


def count_queries(function: Callable[[], object]) -> int:
    """How many SQL queries one call makes (measured apart from the timed calls)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def format_value(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "n/a"
    if unit in ("msg/s", "req/s"):
        return f"{value:,.0f}"
    if unit == "ms":
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:,.2f}"
    return f"{value:,.3g}"
