"""The outbox moved from the events app to the base layer (communities) without losing a row.

On PostgreSQL: the database is taken back to the schema before the move (events 0009,
communities 0006), outbox rows in every state are written there with the models of that time,
and the migrations run forward. Every row keeps its id, state, lease, attempts and Message-ID,
the calendar ledger still points at its message, the content type moved along, and the sweep
then delivers exactly the rows that were due.
"""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from events.models import CalendarDelivery

pytestmark = pytest.mark.integration
BEFORE = [("communities", "0006_user_show_contributions"), ("events", "0009_festivals")]
STATES = ("pending", "sending", "sent", "failed", "skipped")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db, postgres):
    """The database at the schema before the move; put back at the latest after the test."""
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        migrate(latest())


def test_outbox_rows_in_every_state_survive_the_move_and_the_due_ones_are_sent(old_schema):
    apps = old_schema
    now = timezone.now()
    User = apps.get_model("communities", "User")
    Outbox = apps.get_model("events", "OutboxMessage")
    Delivery = apps.get_model("events", "CalendarDelivery")
    assert Outbox._meta.db_table == "events_outboxmessage"
    anna = User.objects.create(email="anna@example.org", display_name="Anna", language="nl")
    written = {}
    for number, state in enumerate(STATES):
        leased = state == "sending"
        row = Outbox.objects.create(
            dedupe_key=f"move:{state}",
            kind="calendar_request" if state == "pending" else "test",
            recipient=anna,
            to_email="anna@example.org",
            language="nl",
            subject=f"Bericht {state}",
            body_text=f"Tekst {state}",
            body_html=f"<p>{state}</p>",
            message_id=f"<move-{state}@kennisplein.test>",
            state=state,
            due_at=now - timedelta(minutes=10 + number),
            attempts=number,
            # The lease of the row a killed worker left behind has expired: the sweep takes it.
            lease_token=uuid.uuid4() if leased else None,
            lease_expires_at=now - timedelta(minutes=1) if leased else None,
            sent_at=now - timedelta(minutes=5) if state == "sent" else None,
            last_error="550 no such user" if state == "failed" else "",
        )
        written[row.pk] = (state, row.message_id, row.attempts, row.lease_token)
    Session = apps.get_model("events", "Session")
    session = Session.objects.create(
        format="brown_bag",
        title="Verhuizing",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=1),
        timezone="Europe/Amsterdam",
    )
    ledger = Delivery.objects.create(
        user=anna,
        session=session,
        uid="move@kennisplein.test",
        recurrence_key="",
        method="REQUEST",
        sequence=0,
        object_sequence=0,
        outbox_message_id=min(written),
    )

    migrate(latest())

    assert OutboxMessage._meta.db_table == "communities_outboxmessage"
    assert {
        row.pk: (row.state, row.message_id, row.attempts, row.lease_token)
        for row in OutboxMessage.objects.all()
    } == written
    assert CalendarDelivery.objects.get(pk=ledger.pk).outbox_message_id == min(written)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label FROM django_content_type WHERE model = 'outboxmessage'")
        assert cursor.fetchall() == [("communities",)]

    for token in outbox_claim_due():
        outbox_deliver_batch(lease_token=token)

    assert sorted(message.extra_headers["Message-ID"] for message in mail.outbox) == [
        "<move-pending@kennisplein.test>",
        "<move-sending@kennisplein.test>",
    ]
    assert dict(OutboxMessage.objects.values_list("dedupe_key", "state")) == {
        "move:pending": "sent",
        "move:sending": "sent",
        "move:sent": "sent",
        "move:failed": "failed",
        "move:skipped": "skipped",
    }
