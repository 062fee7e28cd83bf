"""Give every pytest-xdist worker its own Redis databases, before Django reads its settings.

Loaded with ``-p tests.xdist_isolation`` (see ``[tool.pytest.ini_options]``), so it runs before
pytest-django imports the settings. Worker ``gwN`` uses Redis database ``base + N`` for
``REDIS_URL`` and ``broker - N`` for ``TEST_BROKER_URL`` (broker default 15): the integration and
fault tests empty their broker database, and one worker must never wipe the other's queue.
The environment is changed rather than the settings, so the Celery workers and servers the tests
start inherit the same databases. PostgreSQL needs nothing here: pytest-django already gives
each worker its own test database (``test_<name>_gwN``).
"""

import os
import re

REDIS_DATABASES = 16


def _with_database(url: str, database: int) -> str:
    return re.sub(r"/\d*$", "", url.rstrip("/")) + f"/{database}"


def _database_of(url: str, default: int) -> int:
    match = re.search(r"/(\d+)$", url)
    return int(match.group(1)) if match else default


def isolate(environ: dict[str, str]) -> None:
    worker = environ.get("PYTEST_XDIST_WORKER", "")
    redis_url = environ.get("REDIS_URL", "")
    if not worker.startswith("gw") or not redis_url:
        return
    index = int(worker[2:])
    cache_db = _database_of(redis_url, 0) + index
    broker_url = environ.get("TEST_BROKER_URL") or _with_database(redis_url, 15)
    broker_db = _database_of(broker_url, 15) - index
    if not (0 <= cache_db < REDIS_DATABASES and 0 <= broker_db < REDIS_DATABASES) or (
        cache_db >= broker_db
    ):
        raise RuntimeError(
            f"xdist worker {worker}: not enough Redis databases for REDIS_URL={redis_url} "
            f"and TEST_BROKER_URL={broker_url}; run fewer workers (-n)"
        )
    environ["REDIS_URL"] = _with_database(redis_url, cache_db)
    environ["TEST_BROKER_URL"] = _with_database(broker_url, broker_db)


isolate(os.environ)
