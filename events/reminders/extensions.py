"""Where the layers above add to the weekly digest without events importing them: an app
registers a section at start-up (its ``AppConfig.ready``); registering twice replaces.

A section is ``section(user, since, until)`` returning ``None`` (nothing this week) or a dict
``{"heading": <lazy translated text>, "items": [{"title": ..., "url": ...}, ...]}``; it may only
hold what ``user`` may see.
"""

from collections.abc import Callable
from datetime import datetime

from communities.models import User

DigestSection = Callable[[User, datetime, datetime], dict | None]

_digest_sections: dict[str, DigestSection] = {}


def register_digest_section(name: str, section: DigestSection) -> None:
    _digest_sections[name] = section


def digest_sections(*, user: User, since: datetime, until: datetime) -> list[dict]:
    """The registered sections with something to tell this person this week, in name order."""
    sections = []
    for name in sorted(_digest_sections):
        section = _digest_sections[name](user, since, until)
        if section and section.get("items"):
            sections.append(section)
    return sections
