"""Takeaway rules without the database: lengths, tags, month arithmetic for review dates."""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.errors import DomainError

TIP_REVIEW_MONTHS = 6
MAX_TAGS = 8
MAX_TAG_LENGTH = 40
TITLE_MAX = 80
BODY_MAX = 1000


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (29 February + 12 → 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_tags(text: str | list[str] | None) -> list[str]:
    """Comma-separated tags, trimmed, without duplicates (case-insensitive), at most 8."""
    if not text:
        return []
    parts = text if isinstance(text, list) else re.split(r"[,;\n]", text)
    names: list[str] = []
    seen = set()
    for part in parts:
        name = " ".join(part.strip().lstrip("#").split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH or not slugify(name):
            raise DomainError(
                _("Tags are words of at most %(max)d characters.") % {"max": MAX_TAG_LENGTH},
                code="tags",
            )
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if len(names) > MAX_TAGS:
        raise DomainError(_("Give at most %(max)d tags.") % {"max": MAX_TAGS}, code="tags")
    return names


def freshness_status(
    *, archived: bool, superseded: bool, review_due: date | None, today: date
) -> str:
    """The freshness of anything kept fresh like a takeaway (takeaways, knowledge articles):
    archived, superseded, review due (its date reached) or published."""
    if archived:
        return "archived"
    if superseded:
        return "superseded"
    if review_due is not None and review_due <= today:
        return "review_due"
    return "published"
