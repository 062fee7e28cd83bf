"""Production: every secret and address comes from the environment, with no default.

Missing DJANGO_SECRET_KEY, DATABASE_URL, REDIS_URL, EMAIL_URL, SITE_URL or DJANGO_ALLOWED_HOSTS
stops the process at start-up with ImproperlyConfigured, rather than running half-configured.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, tune_database

DEBUG = False
REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SITE_URL",
    "DJANGO_ALLOWED_HOSTS",
)
missing = [name for name in REQUIRED if not env.str(name, default="")]
if missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(missing)
    )

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": tune_database(env.db("DATABASE_URL"))}
EMAIL_CONFIG = env.email_url("EMAIL_URL")
globals().update(EMAIL_CONFIG)

# HTTPS everywhere, behind a TLS-terminating proxy that sets X-Forwarded-Proto. The same proxy
# must tell the app who the client is, or login limits count everyone as one address: set
# ALLAUTH_TRUSTED_PROXY_COUNT (proxies appending to X-Forwarded-For) or
# ALLAUTH_TRUSTED_CLIENT_IP_HEADER (base.py), and cap request bodies at the proxy (README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
