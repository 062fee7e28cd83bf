"""Helpers for browser journeys: the accessibility check and navigation that is always checked.

``assert_accessible(page)``
    axe-core (bundled in ``axe_playwright_python``, never fetched) on the current document,
    restricted to WCAG 2.1 A and AA; any violation fails with rule id, impact, what the rule
    asks and the CSS selector of every offending element.

``visit(page, url, status=None)``
    Go to ``url`` (relative to the live server when the page came from the ``page`` or
    ``new_page`` fixture), require a 2xx answer (or exactly ``status``) and check the page.

``navigation(page, status=None)``
    ``with navigation(page): page.get_by_role("button", name="Opslaan").click()`` waits for the
    document the action leads to (a form post, a followed link), requires a 2xx answer (or
    exactly ``status``: a form with errors answers 400) and checks it.

The fixtures in ``conftest.py`` audit every page they hand out: when the test ends, a document
that loaded but was never checked fails it, and so does anything the browser reported as broken
(a Content-Security-Policy violation, a stylesheet or script answering 4xx/5xx, an uncaught
JavaScript error). Use ``visit`` and ``navigation`` and a journey checks every page it sees.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
# Chromium asks every site for /favicon.ico on its own; a missing one is not a broken page.
IGNORED_RESOURCE_SUFFIXES = ("/favicon.ico",)

_axe = Axe()


class AccessibilityViolation(AssertionError):
    """axe-core found WCAG 2.1 A/AA violations on a page."""


def _squash(text: str) -> str:
    return " ".join(text.split())


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, what the rule asks, then each offending element."""
    lines = [f"{len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append("    at " + " ".join(str(part) for part in node["target"]))
            if node.get("failureSummary"):
                lines.append("       " + _squash(node["failureSummary"]))
    return "\n".join(lines)


def prepare(context: BrowserContext) -> None:
    """Load axe-core into every document of ``context`` as it starts (faster than injecting it
    per check; init scripts are not subject to the page's Content-Security-Policy)."""
    context.add_init_script(script=_axe.axe_script)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page's current document; fail on any WCAG 2.1 A/AA violation."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    audit_of(page).checked.append(page.url)
    if violations:
        raise AccessibilityViolation(format_violations(page.url, violations))


def _require_status(url: str, response: Response | None, status: int | None) -> None:
    assert response is not None, f"no response for {url}"
    if status is None:
        assert response.ok, f"{url} answered {response.status}, expected 2xx"
    else:
        assert response.status == status, f"{url} answered {response.status}, expected {status}"


def visit(page: Page, url: str, *, status: int | None = None) -> Response:
    """Go to ``url``, require 2xx (or exactly ``status``) and check the page's accessibility."""
    response = page.goto(url)
    _require_status(url, response, status)
    assert_accessible(page)
    return response


@contextmanager
def navigation(page: Page, *, status: int | None = None) -> Iterator[None]:
    """Wait for the document the wrapped action leads to, require 2xx (or ``status``), check it."""
    with page.expect_navigation() as info:
        yield
    _require_status(page.url, info.value, status)
    assert_accessible(page)


# The audit: every loaded document checked, nothing broken ------------------------------------


@dataclass
class Audit:
    loaded: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = []
        unchecked = Counter(self.loaded) - Counter(self.checked)
        if unchecked:
            found.append(
                "pages loaded but never checked (use visit/navigation/assert_accessible): "
                + ", ".join(sorted(unchecked.elements()))
            )
        if self.errors:
            found.append("the browser reported problems:\n    " + "\n    ".join(self.errors))
        return found


_audits: weakref.WeakKeyDictionary[Page, Audit] = weakref.WeakKeyDictionary()


def audit_of(page: Page) -> Audit:
    if page not in _audits:
        _audits[page] = Audit()
    return _audits[page]


def watch(page: Page) -> Audit:
    """Start auditing ``page``: record loaded documents, broken resources and browser errors."""
    audit = audit_of(page)

    def ignored(url: str) -> bool:
        return url.split("?")[0].endswith(IGNORED_RESOURCE_SUFFIXES)

    def on_load(loaded: Page) -> None:
        audit.loaded.append(loaded.url)

    def on_response(response: Response) -> None:
        # A document's own status is the journey's business (see visit/navigation's status).
        request = response.request
        if (
            response.status >= 400
            and request.resource_type != "document"
            and not ignored(request.url)
        ):
            audit.errors.append(f"{request.resource_type} {request.url} answered {response.status}")

    def on_request_failed(request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure and not ignored(request.url):
            audit.errors.append(f"{request.resource_type} {request.url} failed: {failure}")

    def on_console(message: ConsoleMessage) -> None:
        # CSP violations ("Refused to apply inline style…") arrive here as errors.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            audit.errors.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Exception) -> None:
        audit.errors.append(f"uncaught JavaScript error on {page.url}: {error}")

    page.on("load", on_load)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return audit
