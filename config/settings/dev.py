"""Local development: DEBUG on, SQLite + filesystem broker by default, mail written to var/mail."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-key-kennisplein-do-not-use-in-production"
)
for folder in ("mail", "static", "broker/queue", "broker/control"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
# Passkeys on http://127.0.0.1 during development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=True)
# Webhooks to a receiver on this machine (http://127.0.0.1:…) while developing.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=True)
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=True)
