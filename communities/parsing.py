"""Reading numbers and text people typed, the one way: pure, no database.

``"²".isdigit()`` is true but ``int("²")`` fails, ``int("٣")`` is 3, and a 40-digit id
overflows every integer column: request values are parsed here, never with ``str.isdigit()``.
"""

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def ascii_int(value, *, max_digits: int = 18) -> int | None:
    """``value`` as an int when it is 1 to ``max_digits`` ASCII digits (no sign, no spaces),
    else None. 18 digits fit a 64-bit column."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > max_digits:
        return None
    return int(value) if _ASCII_DIGITS.fullmatch(value) else None


def has_nul(value) -> bool:
    """PostgreSQL text cannot hold NUL (0x00): such input is refused, never stored."""
    return isinstance(value, str) and "\x00" in value
