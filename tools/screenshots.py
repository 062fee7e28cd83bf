"""Screenshots of the main pages for reviewers: desktop 1366x900 and mobile 390x844, Dutch and
English, written to var/screenshots/ (not committed). ``make screenshots`` seeds the demo first.

Runs the development server on its own port against the configured database (the demo data of
``manage.py seed_demo``), signs in demo people by a session cookie (as the browser tests do) and
drives Debian's Chromium through Playwright. The demo staff member gets an authenticator app
(staff pages need a second factor; a fixed demo secret, dev data only).

    .venv/bin/python tools/screenshots.py [--out DIR] [--only NAME ...] [--port N]
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from communities.models import Community, User  # noqa: E402
from communities.selectors import user_has_mfa  # noqa: E402
from events.models import Festival  # noqa: E402

MEMBER = "sanne@kennisplein.test"
STAFF = "beheer@kennisplein.test"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 -- demo data only
SIZES = {"desktop": (1366, 900), "mobile": (390, 844)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pages() -> list[tuple[str, str, str]]:
    """(name, who, path) of the main pages, found in the demo data."""
    # The busiest community: the longest page.
    community = (
        Community.objects.filter(archived=False)
        .exclude(kind=Community.Kind.INTERVISION_GROUP)
        .annotate(session_total=Count("sessions"))
        .order_by("-session_total", "name")
        .first()
    )
    intervision = Community.objects.filter(kind=Community.Kind.INTERVISION_GROUP).first()
    festival = Festival.objects.order_by("start").first() if hasattr(Festival, "start") else None
    festival = festival or Festival.objects.first()
    month = timezone.localdate().strftime("%Y-%m")
    found = [
        ("home", MEMBER, "/"),
        ("whats-on", MEMBER, "/sessions/"),
        ("agenda", MEMBER, "/agenda/"),
        ("agenda-month", MEMBER, f"/agenda/?month={month}"),
        ("communities", MEMBER, "/communities/"),
        ("takeaways", MEMBER, "/takeaways/"),
        ("profile", MEMBER, "/me/"),
        ("festivals", MEMBER, "/festivals/"),
        ("organisation", STAFF, "/organisation/"),
        ("insights", STAFF, "/insights/"),
        ("login", "", "/accounts/login/"),
    ]
    if community:
        found.append(("community", MEMBER, f"/communities/{community.slug}/"))
    if intervision:
        found.append(("intervision-group", MEMBER, f"/communities/{intervision.slug}/"))
    if festival:
        found.append(("festival", MEMBER, f"/festivals/{festival.slug}/"))
    return found


def session_cookie(email: str) -> str:
    user = User.objects.get(email=email)
    if user.is_staff and not user_has_mfa(user):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 -- our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--only", nargs="*", default=None, help="page names to take")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--languages", nargs="*", default=["nl", "en"])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    targets = [p for p in pages() if args.only is None or p[0] in args.only]
    cookies = {who: session_cookie(who) for who in {p[1] for p in targets} if who}
    server = subprocess.Popen(  # noqa: S603 -- our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written = 0
    try:
        wait_for(f"{base}/healthz", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for language in args.languages:
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale=language
                    )
                    for name, who, path in targets:
                        jar = [
                            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}
                        ]
                        if who:
                            jar.append(
                                {
                                    "name": settings.SESSION_COOKIE_NAME,
                                    "value": cookies[who],
                                    "url": base,
                                }
                            )
                        context.clear_cookies()
                        context.add_cookies(jar)
                        page = context.new_page()
                        page.goto(base + path, wait_until="networkidle")
                        target = out / f"{name}-{size}-{language}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written += 1
                        page.close()
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{written} screenshots in {out}")


if __name__ == "__main__":
    main()
