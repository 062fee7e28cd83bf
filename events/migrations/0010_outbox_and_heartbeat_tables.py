"""The outbox and the worker heartbeat move to the communities app (the base layer), step 1 of 3.

Their tables are renamed to the names Django gives them under their new label, with every row
and every index and constraint kept. Steps 2 and 3 (communities 0007, events 0011) only move
the models in Django's state: no data is copied.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_festivals"),
    ]

    operations = [
        migrations.AlterModelTable(name="outboxmessage", table="communities_outboxmessage"),
        migrations.AlterModelTable(name="workerping", table="communities_workerping"),
    ]
