"""The outbox and the worker heartbeat move to the communities app (the base layer), step 2 of 3.

State only: the tables already carry these names (events 0010 renamed them); this makes Django
know the models under the ``communities`` label. Nothing runs in the database.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0006_user_show_contributions"),
        ("events", "0010_outbox_and_heartbeat_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WorkerPing',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('marker', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('dedupe_key', models.CharField(max_length=255, unique=True)),
                        ('kind', models.CharField(max_length=64)),
                        ('to_email', models.EmailField(max_length=254)),
                        ('language', models.CharField(max_length=8)),
                        ('subject', models.CharField(max_length=255)),
                        ('body_text', models.TextField()),
                        ('body_html', models.TextField(blank=True)),
                        ('headers', models.JSONField(blank=True, default=dict)),
                        ('calendar', models.TextField(blank=True)),
                        ('calendar_method', models.CharField(blank=True, max_length=16)),
                        ('message_id', models.CharField(max_length=255, unique=True)),
                        ('state', models.CharField(choices=[('pending', 'waiting to be sent'), ('sending', 'being sent'), ('sent', 'sent'), ('failed', 'failed'), ('skipped', 'skipped')], default='pending', max_length=16)),
                        ('due_at', models.DateTimeField()),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('lease_token', models.UUIDField(blank=True, null=True)),
                        ('lease_expires_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'outgoing message',
                        'verbose_name_plural': 'outgoing messages',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['state', 'due_at'], name='outbox_due_idx'), models.Index(fields=['state', 'lease_expires_at'], name='outbox_lease_idx'), models.Index(fields=['lease_token'], name='outbox_lease_token_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'sending', 'sent', 'failed', 'skipped'])), name='outbox_state_valid'), models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', False), ('state', 'sent')), models.Q(models.Q(('state', 'sent'), _negated=True), ('sent_at__isnull', True)), _connector='OR'), name='outbox_sent_at_iff_sent'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'sending'), _negated=True), models.Q(('lease_expires_at__isnull', False), ('lease_token__isnull', False)), _connector='OR'), name='outbox_sending_has_lease')],
                    },
                ),
            ],
        ),
    ]
