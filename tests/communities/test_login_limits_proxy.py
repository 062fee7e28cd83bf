"""Login limits behind a reverse proxy: per real client and per account, never organisation-wide.

A real forwarding proxy runs on loopback in front of the live server and appends the address it
was reached from to ``X-Forwarded-For``, as nginx's ``$proxy_add_x_forwarded_for`` does. Two
people reach it from two loopback addresses (127.0.0.2 and 127.0.0.3). Without
``ALLAUTH_TRUSTED_PROXY_COUNT`` every request seems to come from the proxy, so one person's
failed logins lock the other out (the bug, shown first); with it, they do not.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOO_MANY = "Te veel inlogpogingen. Probeer het later nogmaals."
WRONG = "Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct."
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


class ForwardingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, backend: str):
        self.backend = urlsplit(backend)
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(BaseHTTPRequestHandler):
    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        forwarded = headers.pop("X-Forwarded-For", None)
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
        headers["X-Forwarded-Proto"] = "http"
        backend = self.server.backend
        upstream = http.client.HTTPConnection(backend.hostname, backend.port, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        content = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(live_server):
    cache.clear()
    server = ForwardingProxy(live_server.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    cache.clear()


class Person:
    """A browser on one loopback address, talking to the proxy."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, SimpleCookie()

    def request(self, method: str, path: str, data: dict | None = None, forged_xff: str = ""):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        if forged_xff:
            headers["X-Forwarded-For"] = forged_xff
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        connection.close()
        return response.status, content

    def log_in(self, email: str, password: str, **extra) -> str:
        """ "in" (302 onwards), "wrong" (the password was refused) or "limited" (too many)."""
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": email, "password": password},
            **extra,
        )
        if status == 302:
            return "in"
        if status == 429 or (status == 200 and TOO_MANY in page):
            return "limited"
        assert (status, WRONG in page) == (200, True), (status, page[:500])
        return "wrong"


def fail_ten_times(person: Person, emails: list[str]) -> list[str]:
    """Ten wrong passwords over three accounts (under the per-account limit of 5 each).

    allauth answers a limited login with the form and "too many attempts" (200), not 429."""
    return [person.log_in(emails[i % 3], "wrong-password") for i in range(10)]


@pytest.fixture
def people(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS}
    targets = [UserFactory(email=f"target{n}@example.org").email for n in range(3)]
    bea = UserFactory(email="bea@example.org")
    return targets, bea


def test_without_a_trusted_proxy_count_one_persons_failures_lock_out_everyone(
    proxy, people, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    targets, bea = people
    mallory, bea_browser = Person(proxy, "127.0.0.2"), Person(proxy, "127.0.0.3")

    assert fail_ten_times(mallory, targets) == ["wrong"] * 10
    assert bea_browser.log_in(bea.email, PASSWORD) == "limited"


def test_behind_the_proxy_failures_count_per_real_client(proxy, people, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    targets, bea = people
    mallory, bea_browser = Person(proxy, "127.0.0.2"), Person(proxy, "127.0.0.3")

    assert fail_ten_times(mallory, targets) == ["wrong"] * 10
    assert mallory.log_in(targets[0], "wrong-password") == "limited"
    # A forged X-Forwarded-For does not help: the proxy appends the real address last.
    assert mallory.log_in(targets[0], "wrong-password", forged_xff="10.9.8.7") == "limited"
    assert bea_browser.log_in(bea.email, PASSWORD) == "in"


def test_behind_the_proxy_an_account_is_still_limited_whoever_tries(proxy, people, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    targets, _bea = people
    first, second = Person(proxy, "127.0.0.2"), Person(proxy, "127.0.0.3")

    assert [first.log_in(targets[0], "wrong-password") for _ in range(5)] == ["wrong"] * 5
    assert second.log_in(targets[0], "wrong-password") == "limited"


def test_a_request_that_bypassed_the_proxy_is_no_server_error(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    cache.clear()
    user = UserFactory(email="direct@example.org")
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("env", "count", "header"),
    [
        ({}, 0, None),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": "1"}, 1, None),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, 0, "X-Real-IP"),
    ],
)
def test_the_proxy_settings_come_from_the_environment(env, count, header):
    script = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("ALLAUTH_TRUSTED_")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(count), str(header)]
