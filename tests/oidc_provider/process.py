"""Start the test OpenID Connect provider in a second process and sign in on it.

``OidcProvider`` generates an RS256 key, writes the people and their claims, starts
``python -m tests.oidc_provider.serve <port>`` on a free loopback port with its own settings
module and SQLite database, and waits for its discovery document. ``sign_in`` plays the
person's browser on the provider's side with ``requests``: from the authorisation URL Kennisplein
redirected to, through the provider's login form, back to the callback URL on our side.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.services import ROOT, free_port

CLIENT_ID = "kennisplein-tests"
CLIENT_SECRET = "kennisplein-tests-secret"
CALLBACK = "http://testserver/accounts/oidc/sso/login/callback/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def rsa_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()


class OidcProvider:
    def __init__(self, *, workdir: Path, people: list[dict], redirect_uris: list[str]):
        self.workdir = workdir
        self.people = {person["username"]: person for person in people}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base_url}/o"
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        people_file = workdir / "people.json"
        people_file.write_text(json.dumps(people))
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
            "OIDC_PROVIDER_RSA_KEY": rsa_private_key_pem(),
            "OIDC_PROVIDER_ISSUER": self.issuer,
            "OIDC_PROVIDER_PEOPLE": str(people_file),
            "OIDC_PROVIDER_CLIENT_ID": CLIENT_ID,
            "OIDC_PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_REDIRECT_URIS": " ".join(redirect_uris),
        }
        self.log_path = workdir / "provider.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> OidcProvider:
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"OIDC provider exited early:\n{self.output()}")
            try:
                if requests.get(self.discovery_url, timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"OIDC provider not ready after {timeout}s:\n{self.output()}")

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Log in as ``username`` at the provider, starting from the authorisation URL; return
        the URL the provider sends the browser back to (our callback with code and state)."""
        assert authorize_url.startswith(self.base_url), authorize_url
        browser = requests.Session()
        url = authorize_url
        for _hop in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "csrfmiddlewaretoken" in response.text:
                token = CSRF_INPUT.search(response.text).group(1)
                query = dict(
                    part.split("=", 1) for part in urlsplit(url).query.split("&") if "=" in part
                )
                response = browser.post(
                    url,
                    data={
                        "csrfmiddlewaretoken": token,
                        "username": username,
                        "password": self.people[username]["password"],
                        "next": requests.utils.unquote(query.get("next", "")),
                    },
                    allow_redirects=False,
                    timeout=10,
                )
            if response.status_code not in (301, 302, 303):
                raise AssertionError(
                    f"provider answered {response.status_code} at {url}:\n{response.text[:2000]}"
                )
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.base_url):
                return url
        raise AssertionError("too many redirects at the provider")
