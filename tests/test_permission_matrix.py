"""The permission matrix: every URL pattern of the project × every role (DESIGN.md rule 9).

HOW TO ADD YOUR URLS (every issue that adds a URL pattern must do this, or
``test_every_url_pattern_is_in_the_matrix`` fails and names the missing route):

1. Add a ``Url(route, name, cases)`` to ``MATRIX`` below. ``route`` is the pattern exactly as
   Django prints it, prefixes included (``"sessions/<int:session_id>/rsvp/"``), ``name`` is the
   URL name (with its namespace, ``"intervision:console"``).
2. Give it one ``Case`` per situation that answers differently: a public and a private object,
   GET and POST, an unknown id. ``path`` may use the placeholders that the ``world`` fixture
   fills in (``{public_slug}``, ``{private_session}``, ... see ``world``); add objects to
   ``world`` when you need new ones.
3. Say what each role gets with ``by_role(...)``: an HTTP status (``200``, ``404``, ``405``), or
   ``LOGIN`` (302 to the login page with ``?next=<path>``), or ``Redirect("/where/")``.
   ``signed_in=`` sets member, non_member, coordinator and staff at once; name a role to
   override it. Private things answer 404 to people who may not see them (DESIGN.md §6).

The roles:
- anonymous: not signed in.
- member: a plain signed-in person, an active (role ``member``) member of the public and of the
  private community; no special rights.
- non_member: a plain signed-in person who belongs to no community at all.
- coordinator: coordinator of the public and of the private community.
- staff: staff + superuser, member of no community (the admin is their door, not the pages).

The Django admin (``admin/``) and allauth (``accounts/``) are prefix entries in ``PREFIXES``:
a representative handful of their pages is checked instead of every route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OutboxMessageFactory,
    RsvpFactory,
    SessionFactory,
)

ROLES = ("anonymous", "member", "non_member", "coordinator", "staff")
SIGNED_IN = ("member", "non_member", "coordinator", "staff")


@dataclass(frozen=True)
class Redirect:
    """302 to this location (query compared decoded); ``{next}`` becomes the requested path."""

    to: str


LOGIN = Redirect("/accounts/login/?next={next}")
HEALTH = "health"  # /healthz: 200 when its JSON says "ok", 503 when it says "unavailable"


def by_role(*, anonymous=None, signed_in=None, **overrides) -> dict:
    """Expected answer per role; every role must end up with one."""
    expected = {"anonymous": anonymous}
    expected.update(dict.fromkeys(SIGNED_IN, signed_in))
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    expected.update(overrides)
    missing = [role for role in ROLES if expected.get(role) is None]
    assert not missing, f"no expectation for roles {missing}"
    return expected


@dataclass(frozen=True)
class Case:
    path: str
    expect: dict
    label: str = ""
    method: str = "get"
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Url:
    route: str
    name: str
    cases: list[Case]


# ---------------------------------------------------------------------------------------------
# THE MATRIX. One Url per URL pattern of the project (outside the prefixes below).
# ---------------------------------------------------------------------------------------------
MATRIX: list[Url] = [
    Url("", "home", [Case("/", by_role(anonymous=200, signed_in=200))]),
    Url(
        "healthz",
        "healthz",
        [
            Case("/healthz", by_role(anonymous=HEALTH, signed_in=HEALTH)),
            Case("/healthz", by_role(anonymous=405, signed_in=405), method="post"),
        ],
    ),
    Url(
        "communities/",
        "community_list",
        [Case("/communities/", by_role(anonymous=LOGIN, signed_in=200))],
    ),
    Url(
        "communities/<slug:slug>/",
        "community_detail",
        [
            Case("/communities/{public_slug}/", by_role(anonymous=LOGIN, signed_in=200), "public"),
            Case(
                "/communities/{private_slug}/",
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, staff=404),
                "private",
            ),
            Case(
                "/communities/{archived_slug}/", by_role(anonymous=LOGIN, signed_in=404), "archived"
            ),
            Case("/communities/no-such-thing/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url("me/", "me", [Case("/me/", by_role(anonymous=LOGIN, signed_in=200))]),
    Url(
        "me/data.json",
        "me_data_download",
        [Case("/me/data.json", by_role(anonymous=LOGIN, signed_in=200))],
    ),
    Url(
        "me/erase/",
        "me_erase",
        [
            Case("/me/erase/", by_role(anonymous=LOGIN, signed_in=405), "get"),
            # No confirmation typed: the form refuses (400) and nothing is erased.
            Case("/me/erase/", by_role(anonymous=LOGIN, signed_in=400), "empty", method="post"),
        ],
    ),
    Url(
        "language/",
        "set_language",
        [
            Case("/language/", by_role(anonymous=405, signed_in=405), "get"),
            Case(
                "/language/",
                by_role(anonymous=Redirect("/sessions/"), signed_in=Redirect("/sessions/")),
                "post",
                method="post",
                data={"language": "en", "next": "/sessions/"},
            ),
            Case(
                "/language/",
                by_role(anonymous=Redirect("/"), signed_in=Redirect("/")),
                "offsite-next",
                method="post",
                data={"language": "en", "next": "https://evil.example/"},
            ),
        ],
    ),
    Url(
        "sessions/",
        "session_list",
        [Case("/sessions/", by_role(anonymous=LOGIN, signed_in=200))],
    ),
    Url(
        "sessions/<int:session_id>/",
        "session_detail",
        [
            Case("/sessions/{public_session}/", by_role(anonymous=LOGIN, signed_in=200), "public"),
            Case(
                "/sessions/{private_session}/",
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, staff=404),
                "private",
            ),
            Case(
                "/sessions/{organisation_session}/",
                by_role(anonymous=LOGIN, signed_in=200),
                "organisation",
            ),
            Case(
                "/sessions/{archived_session}/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived-community",
            ),
            Case("/sessions/999999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    # The development mail viewer exists only with DEBUG on; the test settings have it off.
    Url("dev/mail/", "dev_mail_list", [Case("/dev/mail/", by_role(anonymous=404, signed_in=404))]),
    Url(
        "dev/mail/<int:message_id>/",
        "dev_mail_detail",
        [Case("/dev/mail/{mail}/", by_role(anonymous=404, signed_in=404))],
    ),
]

# Prefixes whose routes are not listed one by one (third-party URL sets); a representative
# handful of pages per prefix is checked instead. Do not add your own app's URLs here.
ADMIN_INDEX_LOGIN = Redirect("/admin/login/?next=/admin/")
PREFIXES: dict[str, list[Case]] = {
    "admin/": [
        Case(
            "/admin/", by_role(anonymous=ADMIN_INDEX_LOGIN, signed_in=ADMIN_INDEX_LOGIN, staff=200)
        ),
        # The admin signs in through allauth; signed-in people without staff rights are refused.
        Case(
            "/admin/login/",
            by_role(anonymous=LOGIN, signed_in=403, staff=Redirect("/admin/")),
            "login",
        ),
        Case(
            "/admin/communities/user/",
            by_role(
                anonymous=Redirect("/admin/login/?next=/admin/communities/user/"),
                signed_in=Redirect("/admin/login/?next=/admin/communities/user/"),
                staff=200,
            ),
            "users",
        ),
    ],
    "accounts/": [
        Case("/accounts/login/", by_role(anonymous=200, signed_in=Redirect("/")), "login"),
        Case("/accounts/signup/", by_role(anonymous=200, signed_in=Redirect("/")), "signup"),
        Case("/accounts/password/reset/", by_role(anonymous=200, signed_in=200), "reset"),
        Case("/accounts/email/", by_role(anonymous=LOGIN, signed_in=200), "email"),
        Case("/accounts/password/change/", by_role(anonymous=LOGIN, signed_in=200), "password"),
        Case("/accounts/logout/", by_role(anonymous=Redirect("/"), signed_in=200), "logout"),
    ],
}


# ---------------------------------------------------------------------------------------------
# Machinery
# ---------------------------------------------------------------------------------------------
def walk_patterns(resolver=None, prefix="", namespace=""):
    """(route, name) for every URL pattern, descending into include()s."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield prefix + str(pattern.pattern), name


def _params():
    params = []
    for url in MATRIX:
        for case in url.cases:
            label = f"{url.name}[{case.label}]" if case.label else url.name
            for role in ROLES:
                params.append(pytest.param(case, role, id=f"{label}-{case.method.upper()}-{role}"))
    for prefix, cases in PREFIXES.items():
        for case in cases:
            label = f"{prefix}[{case.label}]" if case.label else prefix
            for role in ROLES:
                params.append(pytest.param(case, role, id=f"{label}-{case.method.upper()}-{role}"))
    return params


@pytest.fixture
def world(db, member, other_user, staff, community, private_community, coordinator):
    """The objects the matrix's paths point at, and one signed-in user per role."""
    MembershipFactory(user=member, community=community)
    MembershipFactory(user=member, community=private_community)
    archived = CommunityFactory(name="Oud archief", slug="oud-archief", archived=True)
    return {
        "users": {
            "member": member,
            "non_member": other_user,
            "coordinator": coordinator,
            "staff": staff,
        },
        "values": {
            "public_slug": community.slug,
            "private_slug": private_community.slug,
            "archived_slug": archived.slug,
            "public_session": SessionFactory(community=community).pk,
            "private_session": SessionFactory(community=private_community).pk,
            "organisation_session": SessionFactory(community=None).pk,
            "archived_session": SessionFactory(community=archived).pk,
            "mail": OutboxMessageFactory().pk,
        },
    }


def _request(client, world, case: Case, role: str):
    if role != "anonymous":
        client.force_login(world["users"][role])
    path = case.path.format(**world["values"])
    return path, getattr(client, case.method)(path, data=case.data)


def _normal(location: str | None):
    """A redirect target as (path, query pairs): ``next=/a/`` and ``next=%2Fa%2F`` are equal."""
    if location is None:
        return None
    parts = urlsplit(location)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query))


def _check(response, path: str, expected) -> None:
    if expected == HEALTH:
        payload = response.json()
        assert set(payload) == {"status", "database", "broker", "worker_last_seen"}
        assert payload["database"] == "ok"
        assert response.status_code == (200 if payload["status"] == "ok" else 503)
        assert payload["status"] == ("ok" if payload["broker"] == "ok" else "unavailable"), payload
    elif isinstance(expected, Redirect):
        location = expected.to.format(next=quote(path))
        assert (response.status_code, _normal(response.get("Location"))) == (302, _normal(location))
    else:
        assert response.status_code == expected, response.get("Location")


@pytest.mark.parametrize(("case", "role"), _params())
def test_url_answers_role_as_the_matrix_says(client, world, case, role):
    path, response = _request(client, world, case, role)
    _check(response, path, case.expect[role])


def test_every_url_pattern_is_in_the_matrix():
    listed = {(url.route, url.name) for url in MATRIX}
    missing = sorted(
        (route, name)
        for route, name in walk_patterns()
        if not route.startswith(tuple(PREFIXES)) and (route, name) not in listed
    )
    assert missing == [], (
        f"URL patterns missing from tests/test_permission_matrix.py MATRIX: {missing}"
    )


def test_matrix_lists_no_url_pattern_that_is_gone():
    existing = set(walk_patterns())
    stale = sorted((url.route, url.name) for url in MATRIX if (url.route, url.name) not in existing)
    assert stale == []


def test_matrix_paths_resolve_to_their_own_url_name(world):
    for url in MATRIX:
        for case in url.cases:
            path = case.path.format(**world["values"])
            assert resolve(path).view_name == url.name, path


def test_prefix_entries_cover_real_routes():
    routes = [route for route, _name in walk_patterns()]
    for prefix, cases in PREFIXES.items():
        assert sum(route.startswith(prefix) for route in routes) >= len(cases), prefix


def test_dev_mail_viewer_opens_with_debug_on(client, settings, world):
    """The 404 above comes from DEBUG being off, not from a broken view."""
    settings.DEBUG = True
    mail = world["values"]["mail"]
    assert client.get("/dev/mail/").status_code == 200
    assert client.get(f"/dev/mail/{mail}/").status_code == 200


@pytest.mark.parametrize(
    "model",
    sorted(admin.site._registry, key=lambda model: model._meta.label),
    ids=lambda model: model._meta.label,
)
def test_admin_changelist_opens_for_staff(client, world, model):
    """Every registered admin list renders (with rows in it) for staff."""
    RsvpFactory(user=world["users"]["member"], session_id=world["values"]["public_session"])
    client.force_login(world["users"]["staff"])
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
