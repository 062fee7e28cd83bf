"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

The access log goes through the same filter as Django's logs, so feed tokens and signed links in
request paths never reach it (ARCHITECTURE.md rule 10).
"""

import os

from config.logging import logging_config

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
accesslog = "-"
logconfig_dict = logging_config(
    stream="ext://sys.stdout",
    loggers={
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
)
