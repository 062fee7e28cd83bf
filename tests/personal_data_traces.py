"""Search the whole database for traces of a person: every text column of every table.

``traces(needles)`` looks in every character, text and JSON column of every table the
database has (not only the ones Django models describe) for any of the needles,
case-insensitively, and decodes ``django_session`` rows (their data is signed and compressed,
so a text search would miss the user id they carry). A needle that is a number is matched as a
whole word, so id 123 does not match 1234.
"""

import re

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection

TEXT_TYPES = {"character varying", "text", "jsonb", "json", "character"}


def _text_columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        columns: dict[str, list[str]] = {}
        for table, column, data_type in cursor.fetchall():
            if data_type in TEXT_TYPES:
                columns.setdefault(table, []).append(column)
    return columns


def _pattern(needle: str) -> str:
    if needle.isdigit():
        return rf"\m{needle}\M"  # PostgreSQL word boundaries
    return re.escape(needle)


def traces(needles: list[str]) -> list[tuple[str, str, str, str]]:
    """(table, column, needle, excerpt) for every hit; an empty list when the person is gone."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, columns in _text_columns().items():
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f"SELECT {quote(column)}::text FROM {quote(table)} "
                        f"WHERE {quote(column)}::text ~* %s",
                        [_pattern(needle)],
                    )
                    for (value,) in cursor.fetchall():
                        at = value.lower().find(needle.lower())
                        found.append((table, column, needle, value[max(at - 40, 0) : at + 60]))
    for session in Session.objects.all():
        data = session.get_decoded()
        for needle in needles:
            if needle.lower() in repr(data).lower() or str(data.get(SESSION_KEY)) == needle:
                found.append(("django_session", "session_data", needle, repr(data)[:100]))
    return found
