"""Settings shared by every environment; all deployment-specific values come from the environment.

Each environment module (dev, test, production) imports this one and overrides only what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Secrets and hosts ---------------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
# Encryption at rest (communities/crypto.py): TOTP secrets, the OIDC client secret and the keys
# of intervision case text are sealed under this key, the fallbacks still open older ones.
# Unset: derived from DJANGO_SECRET_KEY (and its fallbacks).
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
FIELD_ENCRYPTION_KEY_FALLBACKS = env.list("FIELD_ENCRYPTION_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", default="Kennisplein")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Applications --------------------------------------------------------------------------------
INSTALLED_APPS = [
    # The admin site requires MFA of staff (config.admin.AdminSite).
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form renderer (communities.forms.FormRenderer) finds the widget templates here.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "solo",
    "auditlog",
    "django_htmx",
    "template_partials",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "communities",
    "events",
    "intervision",
    "api",
    "knowledge",
    "learning",
    "directory",
    "search",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "communities.organisation.OrganisationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "communities.middleware.UserLanguageMiddleware",
    # A NUL byte in any query or form value: 400 before a view (PostgreSQL cannot store it).
    "communities.middleware.RejectNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent to set one up (after allauth's context is set).
    "communities.middleware.StaffMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    }
]

# Every form renders with the project's templates and one field template (forms/field.html).
FORM_RENDERER = "communities.forms.FormRenderer"

# Database ------------------------------------------------------------------------------------
# SQLite under var/ when DATABASE_URL is unset; PostgreSQL (psycopg 3) in production and CI.
SQLITE_DEFAULT_URL = f"sqlite:///{VAR_DIR / 'kennisplein.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=SQLITE_DEFAULT_URL)}


def tune_database(database: dict) -> dict:
    """Add the options each engine needs so web, worker and beat can share one database.

    SQLite: WAL lets readers and one writer work at once, the busy timeout waits for a lock
    instead of failing, and IMMEDIATE transactions take the write lock at BEGIN so two
    transactions never deadlock upgrading a read lock (Django 5.1+ ``transaction_mode``).
    """
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            }
        )
    elif database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        database.setdefault("CONN_HEALTH_CHECKS", True)
        # PostgreSQL's JIT compiles a query when its estimated cost is high; the app's queries
        # are short, index-driven reads where compiling costs more than it saves (a 54 ms
        # agenda took 694 ms with JIT at organisation scale). Off for the app's connections
        # unless DATABASE_JIT=on (behind PgBouncer, which refuses startup options, set
        # DATABASE_JIT=on and use ALTER DATABASE … SET jit = off instead).
        if not env.bool("DATABASE_JIT", default=False):
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    database["ATOMIC_REQUESTS"] = False
    return database


DATABASES["default"] = tune_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users and accounts --------------------------------------------------------------------------
AUTH_USER_MODEL = "communities.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "communities.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's defaults made explicit: failed logins are limited per client address and per
# account. They need a cache shared by all web processes: Redis in production (see CACHES).
# Behind a reverse proxy every request comes from the proxy's address: say how many proxies
# append to X-Forwarded-For (ALLAUTH_TRUSTED_PROXY_COUNT, usually 1), or which header the proxy
# sets to the client's address (ALLAUTH_TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP), or the
# limits are shared by everyone. See SECURE_PROXY_SSL_HEADER in production.py and the README.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# Security notifications (password, e-mail and MFA changes) go out through the outbox too.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True

# Who may create communities: "everyone" or "staff". This and SITE_NAME are only the defaults
# of the organisation settings row, which staff edit at /organisation/.
COMMUNITY_CREATION = env("COMMUNITY_CREATION", default="everyone")

# Single sign-on: one OpenID Connect provider (Microsoft Entra, Google Workspace, Keycloak, ...).
# Configured here from the environment, or by staff in the organisation settings; the
# environment wins. communities.adapters.SocialAccountAdapter builds the provider from either.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")
# Entra tenant ids (tid claim) / Google Workspace domains (hd claim) allowed to sign in.
OIDC_ALLOWED_TENANTS = env.list("OIDC_ALLOWED_TENANTS", default=[])
SOCIALACCOUNT_ADAPTER = "communities.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        # The identity provider vouches for its e-mail addresses only when it says so
        # (email_verified claim); then an existing account with that address is linked.
        "VERIFIED_EMAIL": False,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# Multi-factor authentication: optional for members, required for staff and the admin.
MFA_ADAPTER = "communities.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)

# The audit log (/organisation/audit/): entries, with who acted and from which address, are
# deleted after this many days.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
# django-auditlog: the admin's "Log entries" list is read-only; changes are stored as JSON.
AUDITLOG_STORE_JSON_CHANGES = True

# Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [Path(env("KENNISPLEIN_LOCALE_DIR", default=str(BASE_DIR / "locale")))]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kp_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache (allauth's rate limits live here) ----------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "kp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Mail ----------------------------------------------------------------------------------------
# All mail the app sends goes through the outbox (events.models.OutboxMessage); the backend
# below is what the outbox's send task talks to.
if env.str("EMAIL_URL", default=""):
    EMAIL_CONFIG = env.email_url("EMAIL_URL")
    globals().update(EMAIL_CONFIG)
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821
        # Django's, declaring BODY=8BITMIME (or sending quoted-printable): mail/backends.py
        EMAIL_BACKEND = "communities.mail.backends.EmailBackend"
else:
    # No mail server configured: write each sent message under var/mail/ (also readable at
    # /dev/mail/ while DEBUG is on).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <kennisplein@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# How long one send task keeps claiming and sending further due batches (well under the
# lease and the task time limit): the outbox rate grows with the number of workers.
OUTBOX_SEND_SECONDS = env.int("OUTBOX_SEND_SECONDS", default=50)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BACKOFF_MAX = 300
# A temporary refusal for one recipient fails the row only after OUTBOX_MAX_ATTEMPTS tries
# spread over at least this long; server trouble (no connection, timeouts, 421) opens the
# circuit instead, probing at most every OUTBOX_CIRCUIT_BACKOFF_MAX seconds.
OUTBOX_TEMPORARY_WINDOW = timedelta(hours=env.int("OUTBOX_TEMPORARY_WINDOW_HOURS", default=48))
OUTBOX_CIRCUIT_BACKOFF_MAX = env.int("OUTBOX_CIRCUIT_BACKOFF_MAX", default=600)

# Two-way RSVP: calendar clients send Accept/Decline to the invitation's ORGANIZER,
# which is INBOUND_EMAIL with a signed per-invitation +tag (default: DEFAULT_FROM_EMAIL's
# address). Replies are read by `manage.py ingest_mail` (an MTA pipe) or by polling
# INBOUND_IMAP_URL, e.g. imaps://user:password@imap.example.org:993/INBOX, or with
# ?auth=xoauth2 a token from the OAuth client-credentials flow below (Microsoft 365, Google).
INBOUND_EMAIL = env("INBOUND_EMAIL", default="")
INBOUND_IMAP_URL = env("INBOUND_IMAP_URL", default="")
INBOUND_IMAP_DONE_FOLDER = env("INBOUND_IMAP_DONE_FOLDER", default="Kennisplein")
INBOUND_OAUTH_TOKEN_URL = env("INBOUND_OAUTH_TOKEN_URL", default="")
INBOUND_OAUTH_CLIENT_ID = env("INBOUND_OAUTH_CLIENT_ID", default="")
INBOUND_OAUTH_CLIENT_SECRET = env("INBOUND_OAUTH_CLIENT_SECRET", default="")
INBOUND_OAUTH_SCOPE = env("INBOUND_OAUTH_SCOPE", default="")
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=5 * 1024 * 1024)
# Reminders: the organisation's defaults for people who never changed theirs on
# /me/reminders/, quiet hours (nothing is sent at night in the person's timezone: held until
# the end hour), and the planner's window (rows due up to AHEAD minutes from now are made; a beat
# that was down catches up on what fell due in the last LOOKBACK minutes, never after the session
# started).
REMINDER_DEFAULTS = {
    "first_before": 1440,
    "second_before": 60,
    "rsvp_nudge": True,
    "new_sessions": "immediate",
    "announcements": True,
    "takeaway_prompts": True,
    "digest": True,
}
REMINDER_QUIET_START_HOUR = env.int("REMINDER_QUIET_START_HOUR", default=22)
REMINDER_QUIET_END_HOUR = env.int("REMINDER_QUIET_END_HOUR", default=7)
REMINDER_PLAN_AHEAD_MINUTES = 5
REMINDER_LOOKBACK_MINUTES = 360
# The weekly digest goes out on Monday at this hour in the person's timezone.
REMINDER_DIGEST_HOUR = 8

# Celery --------------------------------------------------------------------------------------
# Redis is the broker in production; without REDIS_URL (dev) kombu's filesystem transport under
# var/ stands in so `make run` needs no server at all.
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "events.tasks.outbox_sweep", "schedule": 60.0},
    "reminders-plan": {"task": "events.tasks.reminders_plan", "schedule": 60.0},
    "worker-heartbeat": {"task": "events.tasks.ping", "schedule": 300.0},
    "waitlist-repair": {"task": "events.tasks.waitlist_repair", "schedule": 300.0},
    "series-extend": {"task": "events.tasks.series_extend", "schedule": 3600.0},
    # Does nothing unless INBOUND_IMAP_URL is set.
    "inbound-imap-poll": {"task": "events.tasks.inbound_imap_poll", "schedule": 60.0},
    "intervision-sweep": {"task": "intervision.tasks.intervision_sweep", "schedule": 300.0},
    "takeaway-review-nudge": {"task": "events.tasks.takeaway_review_nudge", "schedule": 3600.0},
    # Retention periods applied (outbox, intervision records, invitations, login sessions).
    "retention-nightly": {
        "task": "communities.tasks.retention_nightly",
        "schedule": crontab(hour=3, minute=17),
    },
    "audit-prune": {"task": "communities.tasks.audit_prune", "schedule": 86400.0},
    "webhooks-sweep": {"task": "api.tasks.webhooks_sweep", "schedule": 60.0},
    "journey-reminders": {"task": "learning.tasks.journey_reminders", "schedule": 300.0},
    "pairing-rounds": {"task": "learning.tasks.pairing_rounds", "schedule": 3600.0},
}

# REST API and webhooks (api) ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.rest.authentication.TokenAuthentication",
        "api.rest.authentication.ReadOnlySessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.rest.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.rest.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", default="600/min")},
    "DEFAULT_PAGINATION_CLASS": "api.rest.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.rest.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.rest.problems.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # "format" is a session filter here, not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kennisplein API",
    "DESCRIPTION": "Communities, sessions, RSVPs, festivals, takeaways. Authenticate with "
    "`Authorization: Bearer <token>` (a personal token from /me/tokens/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.rest.schema_hooks.add_problem_component",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SessionStateEnum": "events.models.Session.State",
        "MembershipStateEnum": "communities.models.Membership.State",
    },
    # The schema and the docs need a token or a signed-in browser, like the rest of the API.
    "SERVE_PERMISSIONS": ["api.rest.permissions.HasScope"],
    "SERVE_AUTHENTICATION": [
        "api.rest.authentication.TokenAuthentication",
        "api.rest.authentication.ReadOnlySessionAuthentication",
    ],
}
# Webhook targets must be public https addresses; tests and dev may allow loopback and http.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_BATCH_SIZE = 50
WEBHOOK_LEASE_SECONDS = 120

# Security headers (tightened further in production) ------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logging: secrets in URLs (feed tokens, signed links) never reach the logs -------------------
# Django's defaults give "django" an unfiltered console handler (DEBUG) and "django.server"
# propagate=False: their handlers are dropped here and both propagate to the root's filtered
# console, so request and runserver lines are redacted and written once.
LOGGING = logging_config(
    root_level=env("LOG_LEVEL", default="INFO"),
    loggers={
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"level": "WARNING"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
)

# Directory sync (directory): SCIM calls a directory token may make per minute, and how many
# people the directory may deactivate within an hour before staff confirm the rest (a share of
# the active people, at least the minimum).
DIRECTORY_SCIM_REQUESTS_PER_MINUTE = env.int("DIRECTORY_SCIM_REQUESTS_PER_MINUTE", default=1200)
DIRECTORY_DEPROVISION_SHARE = env.float("DIRECTORY_DEPROVISION_SHARE", default=0.1)
DIRECTORY_DEPROVISION_MINIMUM = env.int("DIRECTORY_DEPROVISION_MINIMUM", default=5)
