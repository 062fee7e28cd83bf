"""The design system's template tags: icons from the vendored sprite, avatars, the current
navigation link, date badges."""

import re
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SPRITE = "icons/sprite.svg"
TONES = 8


@lru_cache(maxsize=1)
def sprite_icons() -> frozenset[str]:
    """The icon names the vendored sprite holds (read once)."""
    path = finders.find(SPRITE)
    with open(path, encoding="utf-8") as sprite:
        return frozenset(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite.read()))


@register.simple_tag
def icon(name: str, extra_class: str = "") -> SafeString:
    """``{% icon "calendar" %}``: a decorative icon (hidden from assistive technology; the text
    beside it says what it means). An unknown name is a programming error."""
    if name not in sprite_icons():
        raise template.TemplateSyntaxError(f"no icon {name!r} in {SPRITE}")
    classes = f"icon {extra_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        classes,
        static(SPRITE),
        name,
    )


@register.simple_tag
def nav_current(request, prefix: str, exact: bool = False) -> SafeString:
    """``aria-current="page"`` on the navigation link of the section the page belongs to."""
    path = getattr(request, "path", "")
    if path == prefix or (not exact and path.startswith(prefix)):
        return mark_safe('aria-current="page"')
    return mark_safe("")


def initials(name: str) -> str:
    """Up to two letters: first and last word of the name (of the e-mail's local part)."""
    words = [w for w in re.split(r"[\s._-]+", name.split("@")[0]) if w and w[0].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def tone(key: int | str) -> int:
    """A stable colour for a person or community (the same one on every page)."""
    if isinstance(key, int):
        return key % TONES
    return sum(key.encode()) % TONES


@register.filter
def tone_of(key) -> str:
    return f"tone-{tone(key if isinstance(key, int) else str(key))}"


@register.inclusion_tag("components/avatar.html")
def avatar(person, size: str = "", label: bool = False) -> dict:
    """A person's photo, else their initials on their colour. Decorative unless ``label``:
    the person's name is always written next to it, or counted in the text beside the faces."""
    name = getattr(person, "name", "") or getattr(person, "email", "")
    photo = None
    if getattr(person, "photo_updated", None):
        photo = (
            reverse("person_photo", args=[person.pk])
            + f"?v={int(person.photo_updated.timestamp())}"
        )
    return {
        "name": name,
        "initials": initials(name),
        "tone": tone(person.pk or 0),
        "size": size,
        "photo": photo,
        "label": label,
    }


@register.inclusion_tag("components/date_badge.html")
def date_badge(start) -> dict:
    """A tear-off calendar leaf: month, day, weekday (in the current time zone and language)."""
    return {"start": start}
