"""Ship the method catalogue (nl + en) as data."""

from django.db import migrations


def load(apps, schema_editor):
    from intervision.catalogue import load_catalogue

    load_catalogue(apps.get_model("intervision", "Method"), apps.get_model("intervision", "Phase"))


class Migration(migrations.Migration):
    dependencies = [("intervision", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
