"""The outbox and the worker heartbeat move to the communities app (the base layer), step 3 of 3.

State only: the calendar ledger's link to its message now points at ``communities.OutboxMessage``
(same table, same column, same constraint), and the events label forgets both models. Their
content types follow them, so permissions and admin history stay attached.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("outboxmessage", "workerping")


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_types.objects.filter(app_label="communities", model=model).exists():
            content_types.objects.filter(app_label="events", model=model).update(
                app_label="communities"
            )


def restore_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_types.objects.filter(app_label="events", model=model).exists():
            content_types.objects.filter(app_label="communities", model=model).update(
                app_label="events"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("communities", "0007_outbox_and_heartbeat"),
        ("events", "0010_outbox_and_heartbeat_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="calendardelivery",
                    name="outbox_message",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="communities.outboxmessage",
                    ),
                ),
                migrations.DeleteModel(name="WorkerPing"),
                migrations.DeleteModel(name="OutboxMessage"),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
