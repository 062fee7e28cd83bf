"""The Celery app: `celery -A config worker` and `celery -A config beat` find it here.

All Celery settings live in Django settings under the CELERY_ namespace (JSON only, acks_late,
prefetch 1, time limits, the beat schedule). Each task reads the organisation's settings at most
once (a batch of mail renders the site's name once, not once per message).
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("kennisplein")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_remembering: dict[str, object] = {}


@task_prerun.connect
def _remember_organisation_settings(task_id=None, **_kwargs) -> None:
    from communities.organisation import (  # noqa: PLC0415 -- startup
        organisation_settings_remembered,
    )

    block = organisation_settings_remembered()
    block.__enter__()
    _remembering[task_id] = block


@task_postrun.connect
def _forget_organisation_settings(task_id=None, **_kwargs) -> None:
    block = _remembering.pop(task_id, None)
    if block is not None:
        block.__exit__(None, None, None)
