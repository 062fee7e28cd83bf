"""Test settings: fast hashing, eager nothing (real workers are started by integration tests).

DATABASE_URL/REDIS_URL from the environment are honoured, so CI runs the suite on PostgreSQL and
Redis; without them the unit tests run on SQLite and the integration tests are skipped (or fail
when CI=true).
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="test-only-key-kennisplein-not-secret-0123456789abcdef"
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_TIMEOUT = 10
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "nl"

# Unit tests run tasks in-process at commit; integration tests switch this off and start a real
# worker, which reads CELERY_TASK_ALWAYS_EAGER=false from its environment.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
if REDIS_URL:  # noqa: F405
    # Tests use their own Redis database so wiping it (fault tests) never touches anything else.
    CELERY_BROKER_URL = env("TEST_BROKER_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/15")  # noqa: F405
# A real SMTP server (aiosmtpd) is handed to a worker through EMAIL_URL.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))

# whitenoise warns about a missing STATIC_ROOT on every request otherwise.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

# Webhook tests post to a receiver on loopback over http; the SSRF tests switch this off.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=True)
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=True)
# The throttle has its own test (on Redis); the other tests make many requests per minute.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", default="100000/min")},
}
