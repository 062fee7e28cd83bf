"""Server-drawn SVG charts (no JavaScript, no CDN, CSP-clean: colours come from app.css classes).

Each function takes (label, value) points and returns SVG markup with a title and description
for screen readers; the page shows the same data as a table next to it.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 240
LEFT = 48
BOTTOM = 40
TOP = 16
RIGHT = 12


def n(value: float) -> str:
    """A coordinate or value as text (format_html escapes its arguments to strings first)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _scale(points: list[tuple[str, float]]) -> float:
    top = max((value for _label, value in points), default=0)
    return top if top > 0 else 1


def _axis(top: float, chart_id: str) -> SafeString:
    plot_height = HEIGHT - TOP - BOTTOM
    ticks = []
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        label = f"{value:.0f}" if top >= 4 else f"{value:.1f}"
        ticks.append((LEFT, n(y), WIDTH - RIGHT, n(y), LEFT - 6, n(y + 4), label))
    return format_html_join(
        "",
        '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        ticks,
    )


def _frame(chart_id: str, title: str, description: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def _labels(points, x_of) -> SafeString:
    every = max(1, len(points) // 12)
    # As many characters as fit the space of one label (about 6.5 px each at 11 px).
    room = (WIDTH - LEFT - RIGHT) / max(1, min(len(points), 12))
    chars = max(5, int(room / 6.5))
    return format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (n(x_of(index)), HEIGHT - BOTTOM + 16, label[:chars])
            for index, (label, _value) in enumerate(points)
            if index % every == 0
        ),
    )


def _description(points) -> str:
    return "; ".join(f"{label}: {value:g}" for label, value in points[:40])


def bar_chart(chart_id: str, title: str, points: list[tuple[str, float]]) -> SafeString:
    top = _scale(points)
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
                n(value),
            )
            for index, (label, value) in enumerate(points)
        ),
    )
    body = format_html("{}{}{}", _axis(top, chart_id), bars, _labels(points, x_of))
    return _frame(chart_id, title, _description(points), body)


def line_chart(chart_id: str, title: str, points: list[tuple[str, float]]) -> SafeString:
    top = _scale(points)
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
        '<circle class="chart-dot" cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
        (
            (n(x), n(y), label, n(value))
            for (x, y), (label, value) in zip(coordinates, points, strict=True)
        ),
    )
    body = format_html(
        '{}<polyline class="chart-line" points="{}"></polyline>{}{}',
        _axis(top, chart_id),
        path,
        dots,
        _labels(points, x_of),
    )
    return _frame(chart_id, title, _description(points), body)


def draw(chart) -> SafeString:
    """The SVG of an ``events.selectors.insights.Chart``."""
    drawer = line_chart if chart.kind == "line" else bar_chart
    return drawer(f"chart-{chart.key}", chart.title, chart.points)
