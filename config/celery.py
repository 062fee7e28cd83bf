"""The Celery app: `celery -A config worker` and `celery -A config beat` find it here.

All Celery settings live in Django settings under the CELERY_ namespace (JSON only, acks_late,
prefetch 1, time limits, the beat schedule).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("kennisplein")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
