"""Logging filter that keeps secrets carried in URLs out of every log line.

Feed tokens (/calendar/<token>...), allauth keys (password reset, e-mail confirmation) and signed
query parameters are replaced by a marker before a record is formatted (ARCHITECTURE.md rule 10).
"""

import logging
import re

REDACTED = "[redacted]"
SECRET_PATTERNS = [
    (re.compile(r"(/calendar/)[^/\s\"?]+"), r"\1" + REDACTED),
    (re.compile(r"(/accounts/password/reset/key/)[^/\s\"?]+"), r"\1" + REDACTED),
    (re.compile(r"(/invitations/)[^/\s\"?]+"), r"\1" + REDACTED),
    (re.compile(r"(/rsvp/)[^/\s\"?]+"), r"\1" + REDACTED),
    # One-click unsubscribe links in digests and announcements.
    (re.compile(r"(/unsubscribe/)[^/\s\"?]+"), r"\1" + REDACTED),
    # The verification links of learning statements (their QR codes).
    (re.compile(r"(/statements/)[^/\s\"?]+"), r"\1" + REDACTED),
    (re.compile(r"(/accounts/confirm-email/)[^/\s\"?]+"), r"\1" + REDACTED),
    (
        re.compile(r"([?&](?:token|key|sig|signature|code)=)[^&\s\"]+", re.IGNORECASE),
        r"\1" + REDACTED,
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites the record's message with secrets removed; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def logging_config(
    *, loggers: dict, root_level: str | None = None, stream: str | None = None
) -> dict:
    """The one logging configuration (Django's ``LOGGING``, gunicorn's ``logconfig_dict``): a
    single console handler behind the redaction filter, so no way out of the process skips it.
    ``root_level`` sends everything else to that handler too; ``stream`` names its stream
    (default: stderr)."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "filters": ["redact_secrets"],
    }
    if stream:
        handler["stream"] = stream
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": {"()": "config.logging.RedactSecretsFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"console": handler},
        "loggers": loggers,
    }
    if root_level:
        config["root"] = {"handlers": ["console"], "level": root_level}
    return config
