"""Secrets in URLs never reach a log line (ARCHITECTURE.md rule 10): config/logging.py and LOGGING."""

import io
import logging
import runpy
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.log import configure_logging

from config.logging import REDACTED, RedactSecretsFilter
from events.calendar.services.subscriptions import feed_token_reset
from events.reminders.services.preferences import unsubscribe_token

ROOT = Path(__file__).resolve().parent.parent


def _format(msg, *args, name="test") -> tuple[str, logging.LogRecord]:
    """The line a filtered handler writes for ``logger.info(msg, *args)``."""
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args or None, None)
    assert RedactSecretsFilter().filter(record) is True
    return logging.Formatter("%(name)s %(message)s").format(record), record


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "GET /calendar/3q2-x_AbCdEf0123456789.ics HTTP/1.1",
            f"GET /calendar/{REDACTED} HTTP/1.1",
        ),
        (
            "GET /calendar/3q2-x_AbCdEf0123456789/communities/python-gilde.ics HTTP/1.1",
            f"GET /calendar/{REDACTED}/communities/python-gilde.ics HTTP/1.1",
        ),
        ("GET /me/calendar/?token=s3cr3t&page=2", f"GET /me/calendar/?token={REDACTED}&page=2"),
        # The answer links in invitation mail.
        (
            "POST /rsvp/eJyrViopSy0qzszPU7IyMtRRKs7ILy0BAEAzBqo:1t2u3v/ HTTP/1.1",
            f"POST /rsvp/{REDACTED}/ HTTP/1.1",
        ),
        ("GET /x/?page=2&TOKEN=s3cr3t", f"GET /x/?page=2&TOKEN={REDACTED}"),
        # The one-click unsubscribe links of digests and announcements.
        (
            "POST /unsubscribe/eyJ1IjoxLCJwIjoiZGlnZXN0In0:1t2u3v:AbCd/ HTTP/1.1",
            f"POST /unsubscribe/{REDACTED}/ HTTP/1.1",
        ),
        # The verification link of a learning statement (its QR code).
        (
            "GET /statements/eJyrVipWslIqzcsoyExVslJKTcwqLcpMz1YCAF1xB1o:1t2u3v:AbCd/ HTTP/1.1",
            f"GET /statements/{REDACTED}/ HTTP/1.1",
        ),
        (
            "GET /unsubscribe/?sig=abc:def&key=k1",
            f"GET /unsubscribe/?sig={REDACTED}&key={REDACTED}",
        ),
        (
            "GET /accounts/password/reset/key/1z-c4r3f-4bc123/ HTTP/1.1",
            f"GET /accounts/password/reset/key/{REDACTED}/ HTTP/1.1",
        ),
        (
            "POST /accounts/confirm-email/MQ:1u2v3w:AbCdEfGh/ HTTP/1.1",
            f"POST /accounts/confirm-email/{REDACTED}/ HTTP/1.1",
        ),
        (
            'Not Found: "/calendar/abc.ics"',
            f'Not Found: "/calendar/{REDACTED}"',
        ),
    ],
    ids=[
        "personal-feed",
        "community-feed",
        "token-query",
        "rsvp-link",
        "token-query-uppercase",
        "unsubscribe-link",
        "statement-link",
        "sig-and-key",
        "password-reset-key",
        "confirm-email",
        "quoted",
    ],
)
def test_redact_filter_removes_secrets_from_urls(message, expected):
    line, _record = _format(message)
    assert line == f"test {expected}"


def test_redact_filter_handles_percent_args_like_django_server():
    line, record = _format(
        '"%s" %s %s', "GET /calendar/t0k3n.ics HTTP/1.1", "200", "1234", name="django.server"
    )
    assert line == f'django.server "GET /calendar/{REDACTED} HTTP/1.1" 200 1234'
    # The record now carries the cleaned text itself, for every later handler too.
    assert (record.msg, record.args) == (f'"GET /calendar/{REDACTED} HTTP/1.1" 200 1234', ())


def test_redact_filter_handles_mapping_args():
    line, _record = _format(
        "%(path)s answered %(status)d", {"path": "/calendar/t.ics", "status": 304}
    )
    assert line == f"test /calendar/{REDACTED} answered 304"


@pytest.mark.parametrize(
    "message",
    [
        "GET /communities/python-gilde/calendar.ics HTTP/1.1",
        "GET /festivals/kennisfestival/calendar.ics HTTP/1.1",
        "GET /me/calendar/ HTTP/1.1",
        "GET /sessions/12/?page=2 HTTP/1.1",
        "GET /accounts/login/?next=/me/ HTTP/1.1",
        "tokens and keys are words, not secrets",
    ],
)
def test_redact_filter_leaves_other_text_untouched(message):
    line, record = _format("%s", message)
    assert line == f"test {message}"
    assert (record.msg, record.args) == ("%s", (message,))


def test_redact_filter_keeps_every_record():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "/calendar/abc.ics", None, None)
    assert RedactSecretsFilter().filter(record) is True
    assert record.getMessage() == f"/calendar/{REDACTED}"


# --- the configured logging: every way out is filtered ---------------------------------------


def _handler_configs():
    gunicorn = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["logconfig_dict"]
    return [
        ("settings.LOGGING", django_settings.LOGGING),
        ("gunicorn logconfig_dict", gunicorn),
    ]


@pytest.mark.parametrize(("where", "config"), _handler_configs(), ids=["django", "gunicorn"])
def test_every_configured_handler_redacts(where, config):
    filters = {
        name
        for name, spec in config["filters"].items()
        if spec["()"].endswith("RedactSecretsFilter")
    }
    unfiltered = sorted(
        name
        for name, handler in config["handlers"].items()
        if not filters & set(handler.get("filters", []))
    )
    assert (where, unfiltered) == (where, [])


@pytest.fixture
def project_logging():
    """Django's logging set up from the project's settings, writing into a buffer.

    Handlers bind the stream when they are made, so the configuration is rebuilt around the
    buffer and rebuilt again afterwards against the real streams.
    """
    buffer = io.StringIO()
    real = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    try:
        configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
        yield buffer
    finally:
        sys.stdout, sys.stderr = real
        configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "no-debug"])
def test_django_request_and_server_logs_are_redacted_once(project_logging, settings, debug):
    settings.DEBUG = debug
    server = logging.getLogger("django.server")
    request = logging.getLogger("django.request")

    server.info('"%s" %s %s', "GET /calendar/S3CRET1.ics HTTP/1.1", "200", "10")
    server.warning('"%s" %s %s', "GET /calendar/S3CRET2.ics HTTP/1.1", "404", "0")
    request.warning("Not Found: %s", "/calendar/S3CRET3/communities/x.ics")
    request.error("Internal Server Error: %s", "/accounts/confirm-email/S3CRET4/")

    output = project_logging.getvalue()
    assert "S3CRET" not in output
    lines = [line.split(" ", 3)[-1] for line in output.splitlines()]
    assert lines == [
        f'django.server "GET /calendar/{REDACTED} HTTP/1.1" 200 10',
        f'django.server "GET /calendar/{REDACTED} HTTP/1.1" 404 0',
        f"django.request Not Found: /calendar/{REDACTED}/communities/x.ics",
        f"django.request Internal Server Error: /accounts/confirm-email/{REDACTED}/",
    ]


@pytest.mark.django_db
def test_feed_requests_never_log_the_token(project_logging, client, member):
    """a real feed token answered 404 (a community I am not in) and a wrong one."""

    token = feed_token_reset(user=member)
    assert client.get(f"/calendar/{token}/communities/nowhere.ics").status_code == 404
    assert (
        client.get("/calendar/WrongTokenOfTheRightLength_0123456789abcdef.ics").status_code == 404
    )
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    output = project_logging.getvalue()
    assert token not in output
    assert "WrongToken" not in output
    assert f"Not Found: /calendar/{REDACTED}/communities/nowhere.ics" in output


def test_unsubscribe_requests_never_log_the_token(project_logging, client, member):
    """a real one-click token (answered) and a forged one (404) stay out of the log."""

    token = unsubscribe_token(user=member, preference="digest")
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    assert client.get("/unsubscribe/ForgedTokenOfSomeLength:abc:def/").status_code == 404
    output = project_logging.getvalue()
    assert token not in output
    assert "ForgedToken" not in output
    assert f"Not Found: /unsubscribe/{REDACTED}/" in output
