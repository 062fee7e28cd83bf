# ruff: noqa: F811 -- the permission matrix's world fixture is imported, then requested by name
"""No input gives a 500 (ARCHITECTURE.md rule 8): generated values against every URL × role.

For every case of the permission matrix (``tests/test_permission_matrix.py``, its prefixes
included) and every role, the test finds the parameters the URL takes:

- the fields of every ``<form>`` on the pages of the matrix that submits to it (crawled as each
  role: text inputs, selects with their options, checkboxes, hidden fields, file inputs),
- the ``request.GET`` / ``request.POST`` names its view reads (from the view's source),
- the data the matrix case itself sends,

and sends hypothesis-generated values for them: Unicode digits (``"²".isdigit()`` is true,
``int("²")`` fails), NUL bytes, huge and negative numbers, dates at the ends of the calendar,
long strings, garbage uploads, next to the form's own valid values so that validation gets
past the first field. The integers in the path are fuzzed too. Any 5xx (or an exception
escaping the view) fails the test; the failures are collected so one run names all of them.

Per URL and role, four requests are fixed (request k gives field i ``ATTACKS[(i + k) % 4]``, so
every field meets a Unicode digit, a NUL, a 25-digit number and 9999-12-31 once) and
``FUZZ_EXAMPLES`` more are drawn by hypothesis. A signed-out request to a signed-in page sends
one request only: nothing is read before the login redirect.

Each request runs inside a savepoint that is rolled back, so the matrix's world stays as it was
and one example cannot change what the next one sees. ``FUZZ_EXAMPLES`` defaults to 1 (keeps
the test near two minutes on two cores; raise it for a deeper run); the run prints how many
requests it sent to how many routes.
"""

from __future__ import annotations

import inspect
import os
import re
import traceback
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import LOGIN, MATRIX, PREFIXES, ROLES, world  # noqa: F401

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
# Sent deterministically: request k gives field i ATTACKS[(i + k) % 4], so every field meets
# every one of them once, whatever hypothesis draws.
ATTACKS = ("²", "a\x00b", "9" * 25, "9999-12-31")

# Values people (or attackers) type that code reading request.POST by hand gets wrong.
UNICODE_DIGITS = ["²", "³", "٣", "०", "𝟗", "①", "⁹⁹", "١٢"]
NUMBERS = ["0", "-1", "1e3", "99999999999999999999999", "2147483648", "9" * 40, " 7 ", "0x1f"]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "9999-12-31 23:59",
    "0001-01-01T00:00",
    "2026-02-30",
    "99999-01-01",
    "9999-12",
    "23:59",
    "25:61",
]
TEXTS = ["", " ", "\x00", "a\x00b", "x" * 5000, "<script>", "%00", "🙂" * 300, "\r\n", "'\""]

evil = st.one_of(
    st.sampled_from(UNICODE_DIGITS + NUMBERS + DATES + TEXTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
)


class FormParser(HTMLParser):
    """The forms of a page: action, method and each field's name with a valid-looking value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form
        name = attrs.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form["files"].add(name)
            elif kind not in ("submit", "button", "image", "reset"):
                form["fields"].setdefault(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            form["fields"].setdefault(name, "")
        elif tag == "select" and name:
            self._select = name
            form["fields"].setdefault(name, "")
        elif tag == "option" and self._select and not form["fields"][self._select]:
            form["fields"][self._select] = attrs.get("value") or ""
        elif tag == "button" and name:
            form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


READS = re.compile(r"""(?:GET|POST|FILES)\.get(?:list)?\(\s*f?["']([\w-]+)["']""")


def _view_reads(path: str) -> set[str]:
    """The request parameter names the view behind ``path`` reads in its own source."""
    try:
        func = resolve(urlsplit(path).path).func
    except Resolver404:
        return set()
    func = getattr(func, "view_class", func)
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    try:
        return set(READS.findall(inspect.getsource(func)))
    except (OSError, TypeError):
        return set()


def _cases():
    for url in MATRIX:
        for case in url.cases:
            yield url.route, case
    for prefix, cases in PREFIXES.items():
        for case in cases:
            yield prefix, case


def _request(client, method: str, path: str, data: dict):
    """One request in a savepoint that is rolled back; returns (status, error or None)."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(path, data=data)
            status = response.status_code
            transaction.set_rollback(True)
    except Exception:
        return 500, traceback.format_exc(limit=-4)
    return status, None


def _huge_path_ints(path: str) -> list[str]:
    """The path with each integer segment replaced by one beyond every integer column."""
    parts = path.split("/")
    return [
        "/".join([*parts[:i], "9" * 25, *parts[i + 1 :]])
        for i, part in enumerate(parts)
        if part.isdigit()
    ]


@pytest.mark.django_db
def test_no_input_gives_a_server_error(client, world):
    values = world["values"]
    cases = [(route, case, case.path.format(**values)) for route, case in _cases()]

    # Crawl: every page of the matrix as every role, and the forms on it by where they post.
    forms: dict[tuple[str, str], dict] = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        for _route, case, path in cases:
            if case.method != "get":
                continue
            with transaction.atomic():
                response = client.get(path)
                transaction.set_rollback(True)
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode("utf-8", "replace"))
            for form in parser.forms:
                action = urlsplit(urljoin(path, form["action"] or path))
                key = (action.path, form["method"])
                known = forms.setdefault(key, {"fields": {}, "files": set()})
                known["fields"].update(
                    (name, value) for name, value in parse_qsl(action.query, keep_blank_values=True)
                )
                for name, value in form["fields"].items():
                    known["fields"].setdefault(name, value)
                known["files"] |= form["files"]

    failures: list[str] = []
    requests = 0
    routes: set[str] = set()

    def send(method, path, data, role):
        nonlocal requests
        requests += 1
        status, error = _request(client, method, path, data)
        if status >= 500:
            shown = {k: (v if not hasattr(v, "read") else "<upload>") for k, v in data.items()}
            raise AssertionError(f"{method.upper()} {path} as {role}: {status} {shown!r}\n{error}")

    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        for route, case, path in cases:
            routes.add(route)
            bare = urlsplit(path).path
            method = case.method
            form = forms.get((bare, method if method == "post" else "get"), {})
            fields = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
            fields.update(form.get("fields", {}))
            fields.update({k: str(v) for k, v in case.data.items()})
            for name in _view_reads(bare):
                fields.setdefault(name, "1")
            files = set(form.get("files", set()))
            try:
                for huge in _huge_path_ints(bare):
                    send(method, huge, {}, role)
            except AssertionError as failure:
                failures.append(str(failure))
            if not fields and not files:
                try:
                    send(method, bare, {}, role)
                except AssertionError as failure:
                    failures.append(str(failure))
                continue

            names = sorted(fields)
            for k in range(len(ATTACKS)):
                attack = {name: ATTACKS[(i + k) % len(ATTACKS)] for i, name in enumerate(names)}
                try:
                    send(method, bare, attack, role)
                except AssertionError as failure:
                    failures.append(str(failure))
                if case.expect.get(role) == LOGIN:
                    break  # Signed out of a signed-in page: nothing is read before the login.
            if case.expect.get(role) == LOGIN:
                continue

            strategy = st.fixed_dictionaries(
                {name: st.one_of(st.just(valid), evil) for name, valid in fields.items()},
                optional={
                    name: st.builds(
                        lambda content, n=name: SimpleUploadedFile(
                            f"{n}.png", content, content_type="image/png"
                        ),
                        st.binary(max_size=64),
                    )
                    for name in files
                },
            )

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            @given(data=strategy)
            def fuzz(data):
                send(method, bare, data, role)  # noqa: B023 -- called right here, in this loop

            try:
                fuzz()
            except AssertionError as failure:
                failures.append(str(failure).split("\nFalsifying")[0])

    print(f"\nfuzz: {requests} requests to {len(routes)} routes as {len(ROLES)} roles")
    assert failures == [], f"{len(failures)} server errors:\n\n" + "\n\n".join(failures)
