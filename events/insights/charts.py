"""Server-drawn SVG charts (no JavaScript, no CDN, CSP-clean: colours come from the stylesheet).

Each function takes (label, value) points and returns SVG markup with a title and description
for screen readers; the page shows the same data as a table beside it. Head counts get whole
ticks (0, 1, 2 … never 0.5 people), numbers are written with the language's decimal mark, a
chart of a few categories is drawn as horizontal bars so that every label is readable whole,
and a single value is not drawn at all (the table says it better).
"""

import math
import re

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 720
HEIGHT = 260
LEFT = 44
BOTTOM = 36
TOP = 14
RIGHT = 14
# Horizontal bars: room for the labels on the left, one row per category.
LABEL_WIDTH = 230
ROW = 38
MOST_HORIZONTAL = 12
LABEL_CHARS = 30
TIME_LABEL = re.compile(r"^\d{4}-\d{2}")


def n(value: float) -> str:
    """A coordinate as text (SVG wants a dot, whatever the language)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def shown(value: float) -> str:
    """A value as a person reads it: whole numbers plain, others with one decimal in the
    language's own mark (0,5 in Dutch, 0.5 in English)."""
    if float(value).is_integer():
        return number_format(int(value))
    return number_format(round(value, 1), decimal_pos=1)


def _whole(points) -> bool:
    return all(float(value).is_integer() for _label, value in points)


def nice_ticks(top: float, *, whole: bool, most: int = 5) -> list[float]:
    """Tick values from 0 to at least ``top`` on a 1-2-5 step; whole steps for counts."""
    if top <= 0:
        return [0, 1]
    raw = top / (most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, math.ceil(step))
    count = math.ceil(top / step - 1e-9)
    return [step * index for index in range(count + 1)]


def _frame(
    chart_id: str, title: str, description: str, body: SafeString, height: int
) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def _description(points) -> str:
    return "; ".join(f"{label}: {shown(value)}" for label, value in points[:40])


def _short(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _y_axis(ticks: list[float]) -> tuple[SafeString, float]:
    plot_height = HEIGHT - TOP - BOTTOM
    top = ticks[-1]
    lines = [(LEFT, n(TOP + plot_height * (1 - value / top)), WIDTH - RIGHT) for value in ticks]
    markup = format_html_join(
        "",
        '<line class="chart-grid" x1="{0}" y1="{1}" x2="{2}" y2="{1}"></line>'
        '<text class="chart-tick" x="{3}" y="{4}" text-anchor="end">{5}</text>',
        (
            (x1, y, x2, LEFT - 6, n(float(y) + 4), shown(value))
            for (x1, y, x2), value in zip(lines, ticks, strict=True)
        ),
    )
    return markup, top


def _x_labels(points, x_of) -> SafeString:
    every = max(1, math.ceil(len(points) / 8))
    room = (WIDTH - LEFT - RIGHT) / max(1, min(len(points), 8))
    chars = max(6, int(room / 7))
    return format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (n(x_of(index)), HEIGHT - BOTTOM + 18, _short(label, chars))
            for index, (label, _value) in enumerate(points)
            if index % every == 0
        ),
    )


def _label_lines(label: str) -> list[str]:
    """A category's label on one line, or two split at a space (each at most LABEL_CHARS)."""
    if len(label) <= LABEL_CHARS:
        return [label]
    cut = label.rfind(" ", 0, LABEL_CHARS + 1)
    if cut <= 0:
        return [_short(label, LABEL_CHARS)]
    return [label[:cut], _short(label[cut + 1 :], LABEL_CHARS)]


def _category_label(label: str, y: float) -> SafeString:
    lines = _label_lines(label)
    if len(lines) == 1:
        return format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LABEL_WIDTH - 8,
            n(y + 4),
            label,
        )
    return format_html(
        '<text class="chart-label" x="{0}" y="{1}" text-anchor="end">'
        '<tspan x="{0}" dy="0">{2}</tspan><tspan x="{0}" dy="15">{3}</tspan></text>',
        LABEL_WIDTH - 8,
        n(y - 3),
        lines[0],
        lines[1],
    )


def _horizontal_bars(chart_id: str, title: str, points) -> SafeString:
    ticks = nice_ticks(max(value for _label, value in points), whole=_whole(points))
    top = ticks[-1]
    height = TOP + ROW * len(points) + BOTTOM
    plot_width = WIDTH - LABEL_WIDTH - RIGHT - 40
    grid = format_html_join(
        "",
        '<line class="chart-grid" x1="{0}" y1="{1}" x2="{0}" y2="{2}"></line>'
        '<text class="chart-tick" x="{0}" y="{3}" text-anchor="middle">{4}</text>',
        (
            (
                n(LABEL_WIDTH + plot_width * value / top),
                TOP,
                TOP + ROW * len(points),
                TOP + ROW * len(points) + 18,
                shown(value),
            )
            for value in ticks
        ),
    )
    rows = format_html_join(
        "",
        '{}<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text class="chart-value" x="{}" y="{}">{}</text>',
        (
            (
                _category_label(label, TOP + ROW * index + ROW / 2),
                LABEL_WIDTH,
                n(TOP + ROW * index + 7),
                n(max(plot_width * value / top, 1)),
                ROW - 14,
                label,
                shown(value),
                n(LABEL_WIDTH + plot_width * value / top + 6),
                n(TOP + ROW * index + ROW / 2 + 4),
                shown(value),
            )
            for index, (label, value) in enumerate(points)
        ),
    )
    return _frame(chart_id, title, _description(points), format_html("{}{}", grid, rows), height)


def _over_time(points) -> bool:
    """Labels that are months or dates (2026-05): a time axis, read left to right."""
    return all(TIME_LABEL.match(label) for label, _value in points)


def bar_chart(chart_id: str, title: str, points: list[tuple[str, float]]) -> SafeString:
    if len(points) <= MOST_HORIZONTAL and not _over_time(points):
        return _horizontal_bars(chart_id, title, points)
    axis, top = _y_axis(nice_ticks(max(v for _l, v in points), whole=_whole(points)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    bar = max(slot * 0.7, 1)

    def x_of(index: int) -> float:
        return LEFT + slot * index + slot / 2

    bars = format_html_join(
        "",
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                n(x_of(index) - bar / 2),
                n(TOP + plot_height - plot_height * value / top),
                n(bar),
                n(plot_height * value / top),
                label,
                shown(value),
            )
            for index, (label, value) in enumerate(points)
        ),
    )
    body = format_html("{}{}{}", axis, bars, _x_labels(points, x_of))
    return _frame(chart_id, title, _description(points), body, HEIGHT)


def line_chart(chart_id: str, title: str, points: list[tuple[str, float]]) -> SafeString:
    axis, top = _y_axis(nice_ticks(max(v for _l, v in points), whole=_whole(points)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points) - 1, 1)

    def x_of(index: int) -> float:
        return LEFT + step * index

    coordinates = [
        (x_of(index), TOP + plot_height - plot_height * value / top)
        for index, (_label, value) in enumerate(points)
    ]
    path = " ".join(f"{n(x)},{n(y)}" for x, y in coordinates)
    dots = format_html_join(
        "",
        '<circle class="chart-dot" cx="{}" cy="{}" r="4"><title>{}: {}</title></circle>',
        (
            (n(x), n(y), label, shown(value))
            for (x, y), (label, value) in zip(coordinates, points, strict=True)
        ),
    )
    body = format_html(
        '{}<polyline class="chart-line" points="{}"></polyline>{}{}',
        axis,
        path,
        dots,
        _x_labels(points, x_of),
    )
    return _frame(chart_id, title, _description(points), body, HEIGHT)


def draw(chart) -> SafeString:
    """The SVG of an ``events.insights.selectors.Chart``; nothing for fewer than two values (a
    chart of one bar says less than the table beside it)."""
    points = chart.points
    if len(points) < 2:
        return SafeString("")
    drawer = line_chart if chart.kind == "line" else bar_chart
    return drawer(f"chart-{chart.key}", chart.title, points)
