"""The retry policy every thin Celery task shares (ARCHITECTURE.md rule 4).

Only temporary database trouble is retried, with exponential backoff capped at 300 s: Redis
redelivers unacknowledged ETA tasks after its visibility timeout, so no task may wait longer.
Anything else fails the task; the work it stands for is a row that the next beat picks up.
"""

from django.db import OperationalError

RETRY_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}
