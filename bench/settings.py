"""Settings of the gunicorn the RSVP scenario starts: the test settings with ``bench.urls``."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
