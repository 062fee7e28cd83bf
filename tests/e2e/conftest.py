"""Fixtures for browser journeys: Playwright driving Debian's Chromium against the live server.

``browser``
    One headless Chromium for the whole session, ``/usr/bin/chromium`` (Playwright never
    downloads a browser here). Without it the test is skipped, or fails when ``CI=true``
    (``tests.services.unavailable``).

``page``
    A fresh page in a fresh browser context (own cookies and storage) per test, in Dutch
    (``nl-NL``, so ``Accept-Language: nl-NL``) like most people who use Kennisplein, with
    ``base_url`` set to pytest-django's ``live_server``: ``visit(page, "/sessions/")`` works.
    Asking for ``page`` brings in ``live_server`` and with it ``transactional_db``.

``new_page(locale="en-GB", **context_options)``
    Another page in its own context: a second person, another browser language, a small
    viewport (``viewport={"width": 320, "height": 640}``); options go to
    ``Browser.new_context``.

``sign_in(page, user)``
    Signs ``user`` in without the login form (a session cookie made by Django's test client),
    for journeys that are not about logging in.

``axe_check``
    ``axe_check(page)`` is ``tests.e2e.browser.assert_accessible`` as a fixture.

Every page from ``page``/``new_page`` is audited (see ``tests/e2e/browser.py``): at the end of
the test, a loaded document that was never axe-checked, a CSP violation, a failed stylesheet or
script, or an uncaught JavaScript error fails it. Navigate with ``visit`` and ``navigation`` from
``tests.e2e.browser`` and every page a journey sees is checked.

Mark browser tests with ``@pytest.mark.browser``. Playwright's sync API runs an event loop in
the test thread, which Django's ORM refuses unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set; the
suite's ``tests/conftest.py`` sets it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.browser import Audit, assert_accessible, prepare, watch
from tests.services import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_LOCALE = "nl-NL"
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"browser tests need Chromium at {CHROMIUM} (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Factory for pages in their own contexts; all are audited and closed after the test."""
    contexts: list[BrowserContext] = []
    audits: list[Audit] = []

    def make(locale: str = DEFAULT_LOCALE, **context_options: Any) -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale, **context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        prepare(context)
        contexts.append(context)
        page = context.new_page()
        audits.append(watch(page))
        return page

    yield make

    for context in contexts:
        context.close()
    problems = [problem for audit in audits for problem in audit.problems()]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A fresh Dutch (nl-NL) page on the live server, audited when the test ends."""
    return new_page()


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, Any], None]:
    """``sign_in(page, user)``: give the page's context a signed-in session for ``user``."""

    def sign_in(page: Page, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign_in


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """``axe_check(page)``: the WCAG 2.1 A/AA check as a fixture (``assert_accessible``)."""
    return assert_accessible
