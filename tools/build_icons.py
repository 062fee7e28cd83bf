"""Write static/icons/sprite.svg: the subset of Lucide icons the templates use, as <symbol>s.

Lucide (ISC licence, static/icons/LICENSE) is vendored, never fetched at run time. To add an
icon: unpack the ``lucide-static`` package from the npm registry, add the name to ``ICONS`` and
run ``python tools/build_icons.py path/to/lucide-static/icons``. The template tag
``{% icon "name" %}`` (communities/templatetags/ui.py) refuses names missing from the sprite.
"""

import re
import sys
from pathlib import Path

ICONS = [
    "armchair",
    "bell",
    "book-open",
    "building-2",
    "calendar",
    "calendar-days",
    "calendar-plus",
    "chart-column",
    "check",
    "chevron-down",
    "chevron-right",
    "circle-help",
    "clock",
    "globe",
    "graduation-cap",
    "house",
    "inbox",
    "layers",
    "lightbulb",
    "log-out",
    "mail",
    "map-pin",
    "menu",
    "messages-square",
    "monitor",
    "plus",
    "repeat",
    "search",
    "settings",
    "sparkles",
    "tent",
    "ticket",
    "user",
    "user-plus",
    "users",
    "video",
    "x",
]

SPRITE = Path(__file__).resolve().parent.parent / "static" / "icons" / "sprite.svg"


def symbol(name: str, source: str) -> str:
    body = re.search(r"<svg[^>]*>(.*)</svg>", source, re.S).group(1)
    shapes = " ".join(line.strip() for line in body.strip().splitlines())
    return f'<symbol id="{name}" viewBox="0 0 24 24">{shapes}</symbol>'


def main(icons_dir: str) -> None:
    folder = Path(icons_dir)
    symbols = [symbol(name, (folder / f"{name}.svg").read_text()) for name in ICONS]
    SPRITE.write_text(
        "<!-- Lucide icons (ISC, see LICENSE); built by tools/build_icons.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )


if __name__ == "__main__":
    main(sys.argv[1])
