"""Real services for tests: detection with the CI rule, an SMTP sink, a Celery worker process."""

import asyncio
import imaplib
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str):
    """Fail in CI (a missing service is a failure there), skip elsewhere."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:

    if connection.vendor != "postgresql":
        unavailable("this test needs PostgreSQL: set DATABASE_URL=postgres://…")


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        unavailable("this test needs Redis: set REDIS_URL=redis://…")

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} does not answer: {error}")
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts mail and keeps it; ``mode`` makes it refuse temporarily or permanently."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[Envelope] = []
        self.mode = "accept"
        self.delay = 0.0
        self.data_started = False

    async def handle_DATA(self, server: SMTP, session, envelope: Envelope) -> str:
        self.data_started = True
        if self.mode == "hang":
            # Like a stalled server: the client waits; whatever happens, nothing is accepted.
            await asyncio.sleep(self.delay)
            return "451 4.4.2 Timeout"
        if self.mode == "temporary":
            return "451 4.3.0 Try again later"
        if self.mode == "permanent":
            return "550 5.1.1 No such user"
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 2.0.0 OK"


class SmtpSink:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        # aiosmtpd's readiness check connects to the given port, so it cannot be 0: pick one.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def restart(self) -> None:
        """Start again on the same port after ``stop()`` (a stopped controller cannot be
        restarted: its event loop is closed)."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} messages, SMTP server received {len(self.messages)}"
        )


class CeleryWorker:
    """A real `celery -A config worker` process on the test database and the test broker."""

    def __init__(self, *, database_url: str, broker_url: str, email_url: str, log_path: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "TEST_BROKER_URL": broker_url,
            "EMAIL_URL": email_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> "CeleryWorker":
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.output()}")
            if " ready." in self.output():
                return self
            time.sleep(0.1)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker: no clean shutdown, no acknowledgement, like a crashed machine."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()


DOVECOT = "/usr/sbin/dovecot"
DOVECOT_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


class DovecotServer:
    """A real IMAP server (Debian's dovecot-imapd) on a free loopback port, with one mailbox
    (``user`` / ``password``) under a temporary directory. Mail runs as the ``dovecot`` system
    user when the tests run as root (dovecot refuses uid 0), as the current user otherwise."""

    user = "kennisplein"
    password = "imap-test-secret"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:

        if not os.path.exists(DOVECOT):
            unavailable("this test needs Debian's dovecot-imapd (installed by .ci/run)")
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            account = pwd.getpwnam("dovecot")
            uid, gid = account.pw_uid, account.pw_gid
            os.chown(self.root / "mail", uid, gid)
        else:
            uid, gid = os.getuid(), os.getgid()
        (self.root / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        config = self.root / "dovecot.conf"
        config.write_text(DOVECOT_CONFIG.format(root=self.root, uid=uid, gid=gid, port=self.port))
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not start; see {self.root / 'dovecot.log'}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def client(self):

        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(self.user, self.password)
        return client
