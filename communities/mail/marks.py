"""The statements that record a delivery on a claimed outbox row, written as SQL.

They run once per message (sent) or per batch (skipped) on the send path, where the ORM's query
building cost more than the statements themselves. Each changes a row only while the caller's
lease still holds it.
"""

import uuid

from django.db import connection
from django.utils import timezone

from communities.mail.models import OutboxMessage

State = OutboxMessage.State


def _db_value(field: str, value):
    """``value`` as the database driver takes it for the outbox's ``field`` (raw SQL)."""
    return OutboxMessage._meta.get_field(field).get_db_prep_value(value, connection)


def mark_skipped(messages, reasons: dict[int, str], token: uuid.UUID) -> list[int]:
    """Mark rows ``skipped`` with their reason while our lease holds them: one statement per
    distinct reason. Returns the ids marked."""
    marked: list[int] = []
    by_reason: dict[str, list[int]] = {}
    for message in messages:
        by_reason.setdefault(reasons[message.id], []).append(message.id)
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    for reason, ids in by_reason.items():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET state = %s, skip_reason = %s, updated_at = %s,"  # noqa: S608
                " lease_token = NULL, lease_expires_at = NULL"
                f" WHERE id IN ({', '.join(['%s'] * len(ids))}) AND lease_token = %s"
                " AND state = %s RETURNING id",
                [
                    State.SKIPPED.value,
                    reason,
                    _db_value("updated_at", timezone.now()),
                    *ids,
                    _db_value("lease_token", token),
                    State.SENDING.value,
                ],
            )
            marked.extend(sorted(row[0] for row in cursor.fetchall()))
    return marked


_MARK_SENT = (
    "UPDATE {table} SET state = %s, sent_at = %s, updated_at = %s, attempts = attempts + 1,"
    " last_error = '', lease_token = NULL, lease_expires_at = NULL"
    " WHERE id = %s AND lease_token = %s AND state = %s"
)


def mark_sent(message: OutboxMessage, token: uuid.UUID) -> bool:
    """The server accepted the message: mark its row ``sent`` while our lease still holds it.

    One statement (its own transaction, committed before the next message goes out), written
    as SQL because it runs once per message on the send path: the ORM's query building cost
    more than the statement itself."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _MARK_SENT.format(table=connection.ops.quote_name(OutboxMessage._meta.db_table)),
            [
                State.SENT.value,
                _db_value("sent_at", now),
                _db_value("updated_at", now),
                message.id,
                _db_value("lease_token", token),
                State.SENDING.value,
            ],
        )
        return cursor.rowcount == 1
