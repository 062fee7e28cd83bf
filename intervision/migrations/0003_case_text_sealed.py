"""Case text and live items are stored sealed under keys of their own (crypto-shredding).

Each existing case gets a data key, each session with live items one too; the text is sealed
under it and the plaintext columns are dropped."""

import django.db.models.deletion
from django.db import migrations, models

import communities.sealed
from communities.crypto import data_key_new, seal

CASE_FIELDS = ("title", "question", "pitch")


def seal_existing(apps, schema_editor):
    ContentKey = apps.get_model("intervision", "ContentKey")
    Case = apps.get_model("intervision", "Case")
    IntervisionSession = apps.get_model("intervision", "IntervisionSession")
    LiveItem = apps.get_model("intervision", "LiveItem")
    for case in Case.objects.all():
        key, wrapped = data_key_new()
        case.content_key = ContentKey.objects.create(wrapped=wrapped)
        for name in CASE_FIELDS:
            setattr(
                case,
                f"sealed_{name}",
                seal(key, getattr(case, name), purpose=f"intervision.case.{name}"),
            )
        case.save(update_fields=["content_key", *(f"sealed_{name}" for name in CASE_FIELDS)])
    keys = {}
    for item in LiveItem.objects.order_by("isession_id", "id"):
        if item.isession_id not in keys:
            key, wrapped = data_key_new()
            row = ContentKey.objects.create(wrapped=wrapped)
            IntervisionSession.objects.filter(pk=item.isession_id).update(content_key=row)
            keys[item.isession_id] = key
        item.sealed_text = seal(keys[item.isession_id], item.text, purpose="intervision.liveitem.text")
        item.save(update_fields=["sealed_text"])


class Migration(migrations.Migration):
    dependencies = [("intervision", "0002_method_catalogue")]

    operations = [
        migrations.CreateModel(
            name="ContentKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("wrapped", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "content key", "verbose_name_plural": "content keys"},
        ),
        migrations.AddField(
            model_name="case",
            name="content_key",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="intervision.contentkey",
            ),
        ),
        migrations.AddField(
            model_name="intervisionsession",
            name="content_key",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="intervision.contentkey",
            ),
        ),
        *[
            migrations.AddField(
                model_name="case", name=f"sealed_{name}", field=models.BinaryField(null=True)
            )
            for name in CASE_FIELDS
        ],
        migrations.AddField(
            model_name="liveitem", name="sealed_text", field=models.BinaryField(null=True)
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
        *[migrations.RemoveField(model_name="case", name=name) for name in CASE_FIELDS],
        migrations.RemoveField(model_name="liveitem", name="text"),
        *[
            migrations.RenameField(model_name="case", old_name=f"sealed_{name}", new_name=name)
            for name in CASE_FIELDS
        ],
        migrations.RenameField(model_name="liveitem", old_name="sealed_text", new_name="text"),
        migrations.AlterField(
            model_name="case",
            name="title",
            field=communities.sealed.SealedTextField(key_path="content_key", verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="case",
            name="question",
            field=communities.sealed.SealedTextField(
                key_path="content_key", verbose_name="your question, in the first person"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="pitch",
            field=communities.sealed.SealedTextField(
                key_path="content_key", verbose_name="pitch (at most three sentences)"
            ),
        ),
        migrations.AlterField(
            model_name="liveitem",
            name="text",
            field=communities.sealed.SealedTextField(key_path="isession.content_key"),
        ),
        migrations.AlterField(
            model_name="case",
            name="content_key",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="intervision.contentkey",
            ),
        ),
    ]
