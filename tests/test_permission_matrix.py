"""The permission matrix: every URL pattern of the project × every role (ARCHITECTURE.md rule 9).

HOW TO ADD YOUR URLS (every change that adds a URL pattern must do this, or
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
   ``signed_in=`` sets member, non_member, pending, coordinator and staff at once; name a role
   to override it. Private things answer 404 to people who may not see them (ARCHITECTURE.md, private things answer 404).

The roles:
- anonymous: not signed in.
- member: a plain signed-in person, an active (role ``member``) member of the public and of the
  private community; no special rights.
- non_member: a plain signed-in person who belongs to no community at all.
- pending: a signed-in person whose request to join the public and the private community is
  still waiting for an answer (a pending membership grants nothing yet).
- coordinator: coordinator of the public and of the private community.
- staff: staff + superuser, member of no community (the admin is their door, not the pages).
- ambassador: active ambassador of the public and of the private community. Checked only on the
  cases that name it (``by_role(..., ambassador=...)``): the pages where the role means
  something (articles, the ambassador's page, the community's health page).

Every case runs on a fresh database, so a POST that changes something (joining, approving)
does not affect the next case.

The Django admin (``admin/``) and allauth (``accounts/``) are prefix entries in ``PREFIXES``:
a representative handful of their pages is checked instead of every route.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.accounts import profile_photo_set
from communities.services.invitations import invitation_create
from events.models import Series
from events.takeaways.services import tags_from_names
from knowledge.services.expertise import expertise_set
from knowledge.services.questions import question_ask
from tests.api.conftest import make_token
from tests.api.matrix_world import api_world
from tests.events.festivals.festival_matrix_world import festival_world
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OutboxMessageFactory,
    RsvpFactory,
    SeriesFactory,
    SessionFactory,
    TakeawayFactory,
    UserFactory,
)
from tests.intervision.matrix_world import intervision_world
from tests.knowledge.helpers import opt_in
from tests.knowledge.matrix_world import knowledge_world
from tests.learning.articles_matrix_world import ambassador_of, articles_world
from tests.learning.matrix_world import learning_world

ROLES = ("anonymous", "member", "non_member", "pending", "coordinator", "staff")
SIGNED_IN = ("member", "non_member", "pending", "coordinator", "staff")
OPTIONAL_ROLES = ("ambassador",)


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
    unknown = set(overrides) - set(ROLES) - set(OPTIONAL_ROLES)
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


# Where the communities' actions send people back to (the world's slugs are fixed).
PUBLIC_PAGE = Redirect("/communities/python-gilde/")
PRIVATE_PAGE = Redirect("/communities/security-champions/")
PUBLIC_MEMBERS = Redirect("/communities/python-gilde/members/")
PRIVATE_MEMBERS = Redirect("/communities/security-champions/members/")


# Intervision: who may see a group's pages, and where its actions lead.
def iv_group(expected) -> dict:
    """Members of the intervision group (member, coordinator = facilitator) get ``expected``."""
    return by_role(anonymous=LOGIN, signed_in=404, member=expected, coordinator=expected)


def iv_lead(expected) -> dict:
    """Only the group's facilitator (the matrix's coordinator) gets ``expected``."""
    return by_role(anonymous=LOGIN, signed_in=404, coordinator=expected)


SIGNED_IN_200 = by_role(anonymous=LOGIN, signed_in=200)
SIGNED_IN_405 = by_role(anonymous=LOGIN, signed_in=405)
IV_NONE = by_role(anonymous=LOGIN, signed_in=404)
IV_GROUP_200 = iv_group(200)
IV_GROUP_PAGE = Redirect("/intervision/groups/intervisie-matrix/")
IV_SESSION_PAGE = Redirect("/intervision/sessions/{iv_session}/")
FE_BUILDER = Redirect("/festivals/{fe_slug}/programme/")
FE_FEEDBACK = Redirect("/festivals/{fe_slug}/sessions/{fe_session}/feedback/")


# The API: a token per role; 401 without one.
API_200 = by_role(anonymous=401, signed_in=200)
API_400 = by_role(anonymous=401, signed_in=400)
API_404 = by_role(anonymous=401, signed_in=404)
API_405 = by_role(anonymous=401, signed_in=405)
API_PRIVATE = by_role(anonymous=401, signed_in=404, member=200, coordinator=200)
API_STAFF = by_role(anonymous=401, signed_in=404, staff=200)
API_FESTIVAL_RESTRICTED = by_role(
    anonymous=401, signed_in=404, member=200, coordinator=200, staff=200
)
SIGNED_IN_405_OR_404 = by_role(anonymous=LOGIN, signed_in=405)
SCIM_401 = by_role(anonymous=401, signed_in=401)


def STAFF_ONLY(expected) -> dict:
    return by_role(anonymous=LOGIN, signed_in=404, staff=expected)


def WEBHOOK_LEADS(expected) -> dict:
    """Staff and coordinators manage webhooks; everyone else gets 404."""
    return by_role(anonymous=LOGIN, signed_in=404, coordinator=expected, staff=expected)


# Workplace learning: who builds journeys and where actions lead.
LEAD_200 = by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200)
LJ_TEMPLATE_PAGE = Redirect("/journeys/templates/{lj_template}/")
LJ_OFFER_PAGE = Redirect("/shadowing/{lj_offer}/")
PAIRING_PAGE = Redirect("/pairing/")

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
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, pending=404, staff=404),
                "private",
            ),
            Case(
                "/communities/{archived_slug}/", by_role(anonymous=LOGIN, signed_in=404), "archived"
            ),
            Case("/communities/no-such-thing/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "communities/new/",
        "community_create",
        [
            Case("/communities/new/", by_role(anonymous=LOGIN, signed_in=200), "get"),
            # A form without a name: refused (400), nothing created.
            Case(
                "/communities/new/",
                by_role(anonymous=LOGIN, signed_in=400),
                "invalid",
                method="post",
                data={"name": ""},
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/join/",
        "community_join",
        [
            Case(
                "/communities/{public_slug}/join/", by_role(anonymous=LOGIN, signed_in=405), "get"
            ),
            # Joining, or "you are already a member": either way back to the page with a message.
            Case(
                "/communities/{public_slug}/join/",
                by_role(anonymous=LOGIN, signed_in=PUBLIC_PAGE),
                "public",
                method="post",
            ),
            Case(
                "/communities/{private_slug}/join/",
                by_role(
                    anonymous=LOGIN, signed_in=404, member=PRIVATE_PAGE, coordinator=PRIVATE_PAGE
                ),
                "private",
                method="post",
            ),
            Case(
                "/communities/{archived_slug}/join/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived",
                method="post",
            ),
            Case(
                "/communities/no-such-thing/join/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/leave/",
        "community_leave",
        [
            Case(
                "/communities/{public_slug}/leave/", by_role(anonymous=LOGIN, signed_in=405), "get"
            ),
            # Leaving, withdrawing a request, "not a member" or "last coordinator": back to the page.
            Case(
                "/communities/{public_slug}/leave/",
                by_role(anonymous=LOGIN, signed_in=PUBLIC_PAGE),
                "public",
                method="post",
            ),
            # A member who leaves a private community can no longer see it: to the directory.
            Case(
                "/communities/{private_slug}/leave/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/communities/"),
                    coordinator=PRIVATE_PAGE,
                ),
                "private",
                method="post",
            ),
            Case(
                "/communities/{archived_slug}/leave/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/edit/",
        "community_edit",
        [
            Case(
                "/communities/{public_slug}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            # Staff run public communities, archived ones included (to restore them).
            Case(
                "/communities/{archived_slug}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, staff=200),
                "archived",
            ),
            Case(
                "/communities/{public_slug}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400, staff=400),
                "public-invalid",
                method="post",
                data={"name": ""},
            ),
            Case(
                "/communities/{private_slug}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400),
                "private-invalid",
                method="post",
                data={"name": ""},
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/archive/",
        "community_archive",
        [
            Case(
                "/communities/{public_slug}/archive/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/communities/{public_slug}/archive/",
                by_role(
                    anonymous=LOGIN, signed_in=404, coordinator=PUBLIC_MEMBERS, staff=PUBLIC_MEMBERS
                ),
                "public",
                method="post",
            ),
            Case(
                "/communities/{private_slug}/archive/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PRIVATE_MEMBERS),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/restore/",
        "community_restore",
        [
            Case(
                "/communities/{archived_slug}/restore/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/communities/{archived_slug}/restore/",
                by_role(
                    anonymous=LOGIN, signed_in=404, staff=Redirect("/communities/oud-archief/")
                ),
                "archived",
                method="post",
            ),
            Case(
                "/communities/{public_slug}/restore/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PUBLIC_PAGE, staff=PUBLIC_PAGE),
                "public",
                method="post",
            ),
            Case(
                "/communities/{private_slug}/restore/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PRIVATE_PAGE),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/members/",
        "community_members",
        [
            Case(
                "/communities/{public_slug}/members/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/members/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{archived_slug}/members/",
                by_role(anonymous=LOGIN, signed_in=404, staff=200),
                "archived",
            ),
            Case(
                "/communities/no-such-thing/members/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
            ),
        ],
    ),
    *[
        Url(
            f"communities/<slug:slug>/members/<int:membership_id>/{action}/",
            f"membership_{action}",
            [
                Case(
                    f"/communities/{{public_slug}}/members/{{{target}_public}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=405),
                    "get",
                ),
                Case(
                    f"/communities/{{public_slug}}/members/{{{target}_public}}/{action}/",
                    by_role(
                        anonymous=LOGIN,
                        signed_in=404,
                        coordinator=PUBLIC_MEMBERS,
                        staff=PUBLIC_MEMBERS,
                    ),
                    "public",
                    method="post",
                    data={"role": "ambassador"},
                ),
                Case(
                    f"/communities/{{private_slug}}/members/{{{target}_private}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, coordinator=PRIVATE_MEMBERS),
                    "private",
                    method="post",
                    data={"role": "ambassador"},
                ),
                # An id that is not this community's: a message on the members page, no 500.
                Case(
                    f"/communities/{{public_slug}}/members/999999999/{action}/",
                    by_role(
                        anonymous=LOGIN,
                        signed_in=404,
                        coordinator=PUBLIC_MEMBERS,
                        staff=PUBLIC_MEMBERS,
                    ),
                    "unknown",
                    method="post",
                    data={"role": "ambassador"},
                ),
            ],
        )
        for action, target in [
            ("approve", "request"),
            ("decline", "request"),
            ("remove", "membership"),
            ("role", "membership"),
        ]
    ],
    Url(
        "communities/<slug:slug>/invitations/",
        "invitation_create",
        [
            Case(
                "/communities/{public_slug}/invitations/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/communities/{public_slug}/invitations/",
                by_role(
                    anonymous=LOGIN, signed_in=404, coordinator=PUBLIC_MEMBERS, staff=PUBLIC_MEMBERS
                ),
                "public",
                method="post",
                data={"emails": "new@example.org"},
            ),
            Case(
                "/communities/{private_slug}/invitations/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PRIVATE_MEMBERS),
                "private",
                method="post",
                data={"emails": "new@example.org"},
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        "invitation_revoke",
        [
            Case(
                "/communities/{public_slug}/invitations/{invitation_public}/revoke/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/communities/{public_slug}/invitations/{invitation_public}/revoke/",
                by_role(
                    anonymous=LOGIN, signed_in=404, coordinator=PUBLIC_MEMBERS, staff=PUBLIC_MEMBERS
                ),
                "public",
                method="post",
            ),
            Case(
                "/communities/{private_slug}/invitations/{invitation_private}/revoke/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PRIVATE_MEMBERS),
                "private",
                method="post",
            ),
        ],
    ),
    # The invitation link from the mail: the token is the key, so anyone holding it sees the
    # page (with buttons only for the address it was sent to); a wrong token is 404.
    Url(
        "invitations/<str:token>/",
        "invitation_detail",
        [
            Case("/invitations/{invitation_token}/", by_role(anonymous=200, signed_in=200)),
            Case("/invitations/no-such-token/", by_role(anonymous=404, signed_in=404), "unknown"),
            Case(
                "/invitations/{invitation_token}/",
                by_role(anonymous=405, signed_in=405),
                "post",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/invitations/people/",
        "invitation_people_picker",
        [
            Case(
                "/communities/{public_slug}/invitations/people/?q=pi",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/invitations/people/?q=pi&people=x",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{public_slug}/invitations/people/",
                by_role(anonymous=LOGIN, signed_in=405),
                "post",
                method="post",
            ),
        ],
    ),
    # The home page's pending invitation: only its addressee (non_member) sees it.
    Url(
        "invitations/mine/<int:invitation_id>/",
        "invitation_mine",
        [
            Case(
                "/invitations/mine/{invitation_mine}/",
                by_role(anonymous=LOGIN, signed_in=404, non_member=200),
            ),
            Case(
                "/invitations/mine/{invitation_public}/",
                by_role(anonymous=LOGIN, signed_in=404),
                "someone-else",
            ),
        ],
    ),
    Url(
        "invitations/mine/<int:invitation_id>/accept/",
        "invitation_mine_accept",
        [
            Case(
                "/invitations/mine/{invitation_mine}/accept/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/invitations/mine/{invitation_mine}/accept/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/"), non_member=PRIVATE_PAGE),
                "post",
                method="post",
            ),
        ],
    ),
    Url(
        "invitations/mine/<int:invitation_id>/decline/",
        "invitation_mine_decline",
        [
            Case(
                "/invitations/mine/{invitation_mine}/decline/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/")),
                "post",
                method="post",
            ),
        ],
    ),
    Url(
        "invitations/<str:token>/accept/",
        "invitation_accept",
        [
            Case(
                "/invitations/{invitation_token}/accept/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            # Sent to non_member's address: they become a member; anyone else gets a message.
            Case(
                "/invitations/{invitation_token}/accept/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/"), non_member=PRIVATE_PAGE),
                "post",
                method="post",
            ),
            Case(
                "/invitations/no-such-token/accept/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/")),
                "unknown",
                method="post",
            ),
        ],
    ),
    Url(
        "invitations/<str:token>/decline/",
        "invitation_decline",
        [
            Case(
                "/invitations/{invitation_token}/decline/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
            Case(
                "/invitations/{invitation_token}/decline/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/")),
                "post",
                method="post",
            ),
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
        "me/photo/",
        "me_photo",
        [
            Case("/me/photo/", by_role(anonymous=LOGIN, signed_in=405), "get"),
            # Nothing chosen: the form asks for a photo (400) and nothing changes.
            Case("/me/photo/", by_role(anonymous=LOGIN, signed_in=400), "empty", method="post"),
        ],
    ),
    Url(
        "people/<int:user_id>/photo",
        "person_photo",
        [
            Case("/people/{photo_person}/photo", by_role(anonymous=LOGIN, signed_in=200)),
            Case("/people/{person}/photo", by_role(anonymous=LOGIN, signed_in=404), "no photo"),
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
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, pending=404, staff=404),
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
    # --- Accounts and the organisation -------------------------------------------
    # Staff pages answer 404 to everyone else (they are not there for them); {person} is the
    # member's id. POSTs by staff answer 302 (back to the person or the list).
    Url(
        "organisation/",
        "organisation_settings",
        [
            Case("/organisation/", by_role(anonymous=LOGIN, signed_in=404, staff=200)),
            Case(
                "/organisation/",
                by_role(anonymous=LOGIN, signed_in=404, staff=400),
                "invalid",
                method="post",
                data={"name": "", "primary_colour": "#ffff00"},
            ),
        ],
    ),
    Url(
        "organisation/logo",
        "organisation_logo",
        [Case("/organisation/logo", by_role(anonymous=404, signed_in=404), "no-logo")],
    ),
    Url(
        "organisation/theme.css",
        "organisation_theme",
        [Case("/organisation/theme.css", by_role(anonymous=200, signed_in=200))],
    ),
    Url(
        "organisation/people/",
        "people_list",
        [Case("/organisation/people/", by_role(anonymous=LOGIN, signed_in=404, staff=200))],
    ),
    Url(
        "organisation/people/<int:user_id>/",
        "person_detail",
        [
            Case(
                "/organisation/people/{person}/",
                by_role(anonymous=LOGIN, signed_in=404, staff=200),
            ),
            Case(
                "/organisation/people/999999999/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
            ),
        ],
    ),
    *[
        Url(
            f"organisation/people/<int:user_id>/{action}/",
            f"person_{action}",
            [
                Case(
                    f"/organisation/people/{{person}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, staff=405),
                    "get",
                ),
                Case(
                    f"/organisation/people/{{person}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, staff=302),
                    "post",
                    method="post",
                ),
                Case(
                    f"/organisation/people/999999999/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404),
                    "unknown",
                    method="post",
                ),
            ],
        )
        for action in ("deactivate", "reactivate", "approve", "decline")
    ],
    Url(
        "organisation/audit/",
        "audit_log",
        [
            Case("/organisation/audit/", by_role(anonymous=LOGIN, signed_in=404, staff=200)),
            Case(
                "/organisation/audit/",
                by_role(anonymous=LOGIN, signed_in=404, staff=405),
                "post",
                method="post",
            ),
        ],
    ),
    Url(
        "organisation/audit.csv",
        "audit_export",
        [Case("/organisation/audit.csv", by_role(anonymous=LOGIN, signed_in=404, staff=200))],
    ),
    Url(
        "organisation/register/",
        "processing_register",
        [Case("/organisation/register/", by_role(anonymous=LOGIN, signed_in=404, staff=200))],
    ),
    Url(
        "signup/pending/",
        "signup_pending",
        [Case("/signup/pending/", by_role(anonymous=200, signed_in=200))],
    ),
    # --- Sessions: RSVP, scheduling, hosts' pages, takeaways, my agenda ------------
    # Hosts' pages (edit, cancel, attendance, remove) answer 404 to whoever may not run the
    # session: the public community's coordinator and staff may (staff for public communities
    # and sessions without a community), members and outsiders may not. POSTs that are
    # accepted (or refused with a message) redirect back: 302.
    Url(
        "sessions/<int:session_id>/rsvp/",
        "session_rsvp",
        [
            Case("/sessions/{public_session}/rsvp/", by_role(anonymous=LOGIN, signed_in=405)),
            Case(
                "/sessions/{public_session}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302),
                "public",
                method="post",
                data={"status": "going"},
            ),
            Case(
                "/sessions/{private_session}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302, non_member=404, pending=404, staff=404),
                "private",
                method="post",
                data={"status": "going"},
            ),
            Case(
                "/sessions/{public_session}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302),
                "garbage",
                method="post",
                data={"status": "<script>", "guests": "many"},
            ),
            Case(
                "/sessions/999999999/rsvp/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
                method="post",
                data={"status": "going"},
            ),
        ],
    ),
    *[
        Url(
            f"sessions/<int:session_id>/{action}/",
            f"session_{action}",
            [
                Case(
                    f"/sessions/{{public_session}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                    "public",
                ),
                Case(
                    f"/sessions/{{private_session}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                    "private",
                ),
                Case(
                    f"/sessions/{{organisation_session}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, staff=200),
                    "organisation",
                ),
                Case(
                    f"/sessions/{{archived_session}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404),
                    "archived-community",
                ),
                Case(
                    f"/sessions/999999999/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404),
                    "unknown",
                ),
                Case(
                    f"/sessions/{{public_session}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, coordinator=status, staff=status),
                    "post",
                    method="post",
                    data=data,
                ),
            ],
        )
        for action, status, data in (
            ("edit", 400, {"title": ""}),
            ("cancel", 302, {"reason": "Ziek"}),
            ("attendance", 302, {"attended": ["not-an-id"]}),
        )
    ],
    Url(
        "sessions/<int:session_id>/takeaways/",
        "takeaway_create",
        [
            Case("/sessions/{public_session}/takeaways/", by_role(anonymous=LOGIN, signed_in=405)),
            # The session has not started: refused with a message, nothing saved.
            Case(
                "/sessions/{public_session}/takeaways/",
                by_role(anonymous=LOGIN, signed_in=302),
                "public",
                method="post",
                data={"title": "Geleerd", "visibility": "organisation"},
            ),
            Case(
                "/sessions/{private_session}/takeaways/",
                by_role(anonymous=LOGIN, signed_in=302, non_member=404, pending=404, staff=404),
                "private",
                method="post",
                data={"title": "Geleerd", "visibility": "organisation"},
            ),
        ],
    ),
    Url(
        "sessions/<int:session_id>/rsvps/<int:rsvp_id>/remove/",
        "rsvp_remove",
        [
            Case(
                "/sessions/{public_session}/rsvps/999999999/remove/",
                by_role(anonymous=LOGIN, signed_in=405),
            ),
            # Nobody answered with that id: hosts get a message (302), others 404.
            Case(
                "/sessions/{public_session}/rsvps/999999999/remove/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=302, staff=302),
                "public",
                method="post",
            ),
            Case(
                "/sessions/{private_session}/rsvps/999999999/remove/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=302),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/sessions/new/",
        "session_create",
        [
            Case(
                "/communities/{public_slug}/sessions/new/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/sessions/new/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{archived_slug}/sessions/new/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived",
            ),
            Case(
                "/communities/{public_slug}/sessions/new/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400, staff=400),
                "post-empty",
                method="post",
            ),
        ],
    ),
    Url(
        "agenda/",
        "agenda",
        [
            Case("/agenda/", by_role(anonymous=LOGIN, signed_in=200)),
            Case(
                "/agenda/",
                by_role(
                    anonymous=Redirect("/accounts/login/?next=/agenda/%3Fmonth%3D2031-03"),
                    signed_in=200,
                ),
                "month",
                data={"month": "2031-03"},
            ),
            Case(
                "/agenda/",
                by_role(
                    anonymous=Redirect("/accounts/login/?next=/agenda/%3Fmonth%3Dgarbage"),
                    signed_in=400,
                ),
                "bad-month",
                data={"month": "garbage"},
            ),
        ],
    ),
    # --- A whole series: "going to all upcoming" ---------------------------------
    # {public_series}, {private_series}, {archived_series}: each with one upcoming occurrence.
    # Whoever may see the series gets a message and goes back to the occurrence (302); a series
    # of a private community is 404 for outsiders, like its sessions.
    Url(
        "series/<int:series_id>/",
        "series_detail",
        [
            Case("/series/{public_series}/", by_role(anonymous=LOGIN, signed_in=200), "public"),
            Case(
                "/series/{private_series}/",
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, pending=404, staff=404),
                "private",
            ),
            Case(
                "/series/{archived_series}/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived-community",
            ),
            Case("/series/999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "series/<int:series_id>/rsvp/",
        "series_rsvp",
        [
            Case("/series/{public_series}/rsvp/", by_role(anonymous=LOGIN, signed_in=405), "get"),
            Case(
                "/series/{public_series}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302),
                "public",
                method="post",
                data={"status": "going"},
            ),
            Case(
                "/series/{private_series}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302, non_member=404, pending=404, staff=404),
                "private",
                method="post",
                data={"status": "going"},
            ),
            Case(
                "/series/{private_series}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302, non_member=404, pending=404, staff=404),
                "private-stop",
                method="post",
                data={"status": "declined"},
            ),
            Case(
                "/series/{archived_series}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived-community",
                method="post",
                data={"status": "going"},
            ),
            # Bad input: a message, nothing changed, back to the series' next session.
            Case(
                "/series/{public_series}/rsvp/",
                by_role(anonymous=LOGIN, signed_in=302),
                "garbage",
                method="post",
                data={"status": "<script>", "session": "many"},
            ),
            Case(
                "/series/999999999/rsvp/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
                method="post",
                data={"status": "going"},
            ),
        ],
    ),
    # --- Calendar feeds and downloads ------------------------------------------------
    # Feeds are fetched without cookies: a token nobody has (or of the wrong form) is 404 for
    # everyone; the cookie-less community feed exists only for public communities.
    Url(
        "calendar/<str:token>.ics",
        "personal_feed",
        [
            Case("/calendar/" + "A" * 43 + ".ics", by_role(anonymous=404, signed_in=404)),
            Case("/calendar/short.ics", by_role(anonymous=404, signed_in=404), "bad-form"),
        ],
    ),
    Url(
        "calendar/<str:token>/communities/<slug:slug>.ics",
        "member_community_feed",
        [
            Case(
                "/calendar/" + "A" * 43 + "/communities/{private_slug}.ics",
                by_role(anonymous=404, signed_in=404),
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/calendar.ics",
        "public_community_feed",
        [
            Case(
                "/communities/{public_slug}/calendar.ics",
                by_role(anonymous=200, signed_in=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/calendar.ics",
                by_role(anonymous=404, signed_in=404),
                "private",
            ),
            Case(
                "/communities/{archived_slug}/calendar.ics",
                by_role(anonymous=404, signed_in=404),
                "archived",
            ),
        ],
    ),
    Url(
        "sessions/<int:session_id>/calendar.ics",
        "session_ics",
        [
            Case(
                "/sessions/{public_session}/calendar.ics",
                by_role(anonymous=LOGIN, signed_in=200),
                "public",
            ),
            Case(
                "/sessions/{private_session}/calendar.ics",
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, pending=404, staff=404),
                "private",
            ),
            Case(
                "/sessions/{archived_session}/calendar.ics",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived-community",
            ),
        ],
    ),
    Url(
        "me/calendar/",
        "my_calendar",
        [
            Case("/me/calendar/", by_role(anonymous=LOGIN, signed_in=200)),
            Case("/me/calendar/", by_role(anonymous=LOGIN, signed_in=200), "reset", method="post"),
        ],
    ),
    # The answer links in invitation mail: a signed token is the only key (valid tokens are
    # tested in tests/events/calendar/test_rsvp_links.py); anything else is 404 for everyone.
    Url(
        "rsvp/<str:token>/",
        "rsvp_link",
        [
            Case("/rsvp/" + "A" * 60 + "/", by_role(anonymous=404, signed_in=404)),
            Case(
                "/rsvp/eyJ1IjoxLCJzIjoxLCJhIjoiZ29pbmcifQ:forged/",
                by_role(anonymous=404, signed_in=404),
                "forged",
                method="post",
            ),
        ],
    ),
    # --- workplace learning (journeys, pairing, shadowing, the learning record). A journey is
    # for its newcomer (the matrix's member), buddy and supervisor only; templates for the
    # community's coordinators (staff: public communities'); a statement verifies without an
    # account. ------------------------------------------------------------------------------
    Url("journeys/", "learning:journey_list", [Case("/journeys/", SIGNED_IN_200)]),
    Url(
        "journeys/templates/new/",
        "learning:template_new",
        [Case("/journeys/templates/new/", LEAD_200)],
    ),
    Url(
        "journeys/templates/<int:template_id>/",
        "learning:template_detail",
        [
            Case("/journeys/templates/{lj_template}/", LEAD_200, "public"),
            Case(
                "/journeys/templates/{lj_private_template}/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case("/journeys/templates/999999/", IV_NONE, "unknown"),
        ],
    ),
    Url(
        "journeys/templates/<int:template_id>/steps/",
        "learning:step_add",
        [
            Case(
                "/journeys/templates/{lj_template}/steps/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=LJ_TEMPLATE_PAGE,
                    staff=LJ_TEMPLATE_PAGE,
                ),
                method="post",
                data={"day_offset": "3", "kind": "link", "title": "Lees", "url": "/takeaways/"},
            ),
            Case("/journeys/templates/{lj_template}/steps/", SIGNED_IN_405, "get"),
        ],
    ),
    Url(
        "journeys/templates/<int:template_id>/start/",
        "learning:journey_start",
        [
            Case(
                "/journeys/templates/{lj_template}/start/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=LJ_TEMPLATE_PAGE,
                    staff=LJ_TEMPLATE_PAGE,
                ),
                method="post",
            ),
        ],
    ),
    Url(
        "journeys/<int:journey_id>/",
        "learning:journey_detail",
        [
            Case("/journeys/{lj_journey}/", by_role(anonymous=LOGIN, signed_in=404, member=200)),
            Case("/journeys/999999/", IV_NONE, "unknown"),
        ],
    ),
    Url(
        "journeys/<int:journey_id>/steps/<int:progress_id>/",
        "learning:step_mark",
        [
            Case(
                "/journeys/{lj_journey}/steps/{lj_progress}/",
                by_role(anonymous=LOGIN, signed_in=404, member=Redirect("/journeys/{lj_journey}/")),
                method="post",
                data={"done": "1"},
            ),
            Case("/journeys/{lj_journey}/steps/{lj_progress}/", SIGNED_IN_405, "get"),
        ],
    ),
    Url("pairing/", "learning:pairing", [Case("/pairing/", SIGNED_IN_200)]),
    Url("pairing/new/", "learning:programme_new", [Case("/pairing/new/", LEAD_200)]),
    *[
        Url(
            f"pairing/<int:programme_id>/{action}/",
            f"learning:pairing_{action}",
            [
                Case(
                    f"/pairing/{{lj_programme}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=PAIRING_PAGE),
                    "organisation",
                    method="post",
                ),
                Case(
                    f"/pairing/{{lj_private_programme}}/{action}/",
                    by_role(
                        anonymous=LOGIN,
                        signed_in=404,
                        member=PAIRING_PAGE,
                        coordinator=PAIRING_PAGE,
                    ),
                    "private",
                    method="post",
                ),
                Case(f"/pairing/{{lj_programme}}/{action}/", SIGNED_IN_405, "get"),
            ],
        )
        for action in ("join", "leave", "skip", "pause")
    ],
    Url(
        "pairing/<int:programme_id>/run/",
        "learning:pairing_run",
        [
            Case(
                "/pairing/{lj_programme}/run/",
                by_role(anonymous=LOGIN, signed_in=404, staff=PAIRING_PAGE),
                "organisation",
                method="post",
            ),
            Case(
                "/pairing/{lj_private_programme}/run/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=PAIRING_PAGE),
                "private",
                method="post",
            ),
        ],
    ),
    Url("shadowing/", "learning:shadowing_list", [Case("/shadowing/", SIGNED_IN_200)]),
    Url("shadowing/new/", "learning:offer_new", [Case("/shadowing/new/", SIGNED_IN_200)]),
    Url(
        "shadowing/<int:offer_id>/",
        "learning:offer_detail",
        [
            Case("/shadowing/{lj_offer}/", SIGNED_IN_200),
            Case("/shadowing/999999/", IV_NONE, "unknown"),
        ],
    ),
    Url(
        "shadowing/<int:offer_id>/days/",
        "learning:slot_add",
        [
            Case(
                "/shadowing/{lj_offer}/days/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=LJ_OFFER_PAGE),
                method="post",
            ),
        ],
    ),
    *[
        Url(
            f"shadowing/days/<int:slot_id>/{action}/",
            f"learning:slot_{action}",
            [
                Case(
                    f"/shadowing/days/{{lj_slot}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=LJ_OFFER_PAGE),
                    method="post",
                ),
                Case(f"/shadowing/days/999999/{action}/", IV_NONE, "unknown", method="post"),
            ],
        )
        for action in ("book", "cancel")
    ],
    Url(
        "shadowing/days/<int:slot_id>/reflect/",
        "learning:slot_reflect",
        [
            Case("/shadowing/days/{lj_slot}/reflect/", SIGNED_IN_200),
            Case("/shadowing/days/999999/reflect/", IV_NONE, "unknown"),
        ],
    ),
    # A community's year plan: read by whoever sees the community (a private one: its members
    # only), edited by its coordinators (staff too for a public community).
    Url(
        "communities/<slug:slug>/plan/",
        "learning:community_plan",
        [
            Case("/communities/{public_slug}/plan/", SIGNED_IN_200, "public"),
            Case(
                "/communities/{private_slug}/plan/",
                by_role(anonymous=LOGIN, signed_in=200, non_member=404, pending=404, staff=404),
                "private",
            ),
            Case("/communities/{archived_slug}/plan/", IV_NONE, "archived"),
            Case("/communities/no-such-thing/plan/", IV_NONE, "unknown"),
        ],
    ),
    Url(
        "communities/<slug:slug>/plan/edit/",
        "learning:community_plan_edit",
        [
            Case("/communities/{public_slug}/plan/edit/", LEAD_200, "public"),
            Case(
                "/communities/{private_slug}/plan/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{public_slug}/plan/edit/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400, staff=400),
                "invalid",
                method="post",
                data={"time_budget_hours": "-1"},
            ),
        ],
    ),
    Url("me/learning/", "learning:record", [Case("/me/learning/", SIGNED_IN_200)]),
    Url(
        "me/learning/record.csv",
        "learning:record_csv",
        [Case("/me/learning/record.csv", SIGNED_IN_200)],
    ),
    Url(
        "me/learning/statements/",
        "learning:statement_new",
        [
            Case(
                "/me/learning/statements/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/me/learning/")),
                method="post",
            ),
            Case("/me/learning/statements/", SIGNED_IN_405, "get"),
        ],
    ),
    Url(
        "me/learning/statements/<int:statement_id>.pdf",
        "learning:statement_pdf",
        [
            Case(
                "/me/learning/statements/{lj_statement}.pdf",
                by_role(anonymous=LOGIN, signed_in=404, member=200),
            )
        ],
    ),
    Url(
        "statements/<str:token>/",
        "learning:statement_verify",
        [
            Case("/statements/{lj_token}/", by_role(anonymous=200, signed_in=200), "valid"),
            Case("/statements/{lj_bad_token}/", by_role(anonymous=404, signed_in=404), "tampered"),
        ],
    ),
    # --- intervision. Everything of a group answers 404 to people outside it; the
    # matrix's member is a plain member of the group, its coordinator the facilitator. ---------
    Url("intervision/", "intervision:home", [Case("/intervision/", SIGNED_IN_200)]),
    Url(
        "intervision/history/",
        "intervision:history",
        [Case("/intervision/history/", SIGNED_IN_200)],
    ),
    Url(
        "intervision/history.csv",
        "intervision:history_csv",
        [Case("/intervision/history.csv", SIGNED_IN_200)],
    ),
    Url(
        "intervision/history.pdf",
        "intervision:history_pdf",
        [Case("/intervision/history.pdf", SIGNED_IN_200)],
    ),
    Url(
        "intervision/groups/<slug:slug>/",
        "intervision:group",
        [
            Case("/intervision/groups/{iv_slug}/", IV_GROUP_200),
            Case("/intervision/groups/no-such-group/", IV_NONE, "unknown"),
            # A private community of practice is not an intervision group.
            Case("/intervision/groups/{private_slug}/", IV_NONE, "not-intervision"),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/agreement/",
        "intervision:agreement",
        [
            Case("/intervision/groups/{iv_slug}/agreement/", IV_GROUP_200),
            Case(
                "/intervision/groups/{iv_slug}/agreement/",
                iv_group(IV_GROUP_PAGE),
                "accept",
                method="post",
            ),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/settings/",
        "intervision:settings",
        [
            Case("/intervision/groups/{iv_slug}/settings/", iv_lead(200)),
            Case(
                "/intervision/groups/{iv_slug}/settings/",
                iv_lead(400),
                "invalid",
                method="post",
                data={"cadence_weeks": "99"},
            ),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/schedule/",
        "intervision:schedule",
        [
            Case("/intervision/groups/{iv_slug}/schedule/", iv_lead(200)),
            Case(
                "/intervision/groups/{iv_slug}/schedule/",
                iv_lead(400),
                "invalid",
                method="post",
                data={"date": ""},
            ),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/methods/<int:method_id>/",
        "intervision:method",
        [
            Case("/intervision/groups/{iv_slug}/methods/{iv_method}/", IV_GROUP_200),
            Case("/intervision/groups/{iv_slug}/methods/999999/", IV_NONE, "unknown"),
            # The catalogue is not edited in place: the facilitator is sent back with a message.
            Case(
                "/intervision/groups/{iv_slug}/methods/{iv_method}/",
                iv_lead(Redirect("/intervision/groups/intervisie-matrix/methods/{iv_method}/")),
                "edit-catalogue",
                method="post",
            ),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/methods/<int:method_id>/copy/",
        "intervision:method_copy",
        [
            Case(
                "/intervision/groups/{iv_slug}/methods/999999/copy/",
                iv_lead(404),
                "unknown",
                method="post",
            ),
            Case("/intervision/groups/{iv_slug}/methods/{iv_method}/copy/", SIGNED_IN_405),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/cases/new/",
        "intervision:case_new",
        [
            Case("/intervision/groups/{iv_slug}/cases/new/", IV_GROUP_200),
            Case(
                "/intervision/groups/{iv_slug}/cases/new/",
                iv_group(400),
                "invalid",
                method="post",
                data={"title": ""},
            ),
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/cases/<int:case_id>/withdraw/",
        "intervision:case_withdraw",
        [
            # Only the person who brought the case in may withdraw it.
            Case(
                "/intervision/groups/{iv_slug}/cases/{iv_case}/withdraw/",
                by_role(anonymous=LOGIN, signed_in=404, member=IV_GROUP_PAGE),
                method="post",
            )
        ],
    ),
    Url(
        "intervision/groups/<slug:slug>/attendance.csv",
        "intervision:attendance_csv",
        [Case("/intervision/groups/{iv_slug}/attendance.csv", iv_lead(200))],
    ),
    Url(
        "intervision/sessions/<int:session_id>/",
        "intervision:session",
        [
            Case("/intervision/sessions/{iv_session}/", IV_GROUP_200),
            # An ordinary session of a community is not an intervision session.
            Case("/intervision/sessions/{public_session}/", IV_NONE, "not-intervision"),
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/vote/",
        "intervision:vote",
        [
            Case(
                "/intervision/sessions/{iv_session}/vote/", iv_group(IV_SESSION_PAGE), method="post"
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/select/",
        "intervision:select",
        [
            Case(
                "/intervision/sessions/{iv_session}/select/",
                iv_lead(IV_SESSION_PAGE),
                method="post",
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/swap/",
        "intervision:swap",
        [
            Case(
                "/intervision/sessions/{iv_session}/swap/", iv_group(IV_SESSION_PAGE), method="post"
            )
        ],
    ),
    Url(
        "intervision/swaps/<int:swap_id>/answer/",
        "intervision:swap_answer",
        [
            # Only the member who was asked answers.
            Case(
                "/intervision/swaps/{iv_swap}/answer/",
                by_role(anonymous=LOGIN, signed_in=404, member=IV_SESSION_PAGE),
                method="post",
                data={"answer": "decline"},
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/console/",
        "intervision:console",
        [Case("/intervision/sessions/{iv_session}/console/", iv_lead(200))],
    ),
    Url(
        "intervision/sessions/<int:session_id>/control/",
        "intervision:control",
        [
            Case(
                "/intervision/sessions/{iv_session}/control/",
                iv_lead(Redirect("/intervision/sessions/{iv_session}/console/")),
                method="post",
                data={"action": "start", "version": "0"},
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/follow/",
        "intervision:follow",
        [Case("/intervision/sessions/{iv_session}/follow/", IV_GROUP_200)],
    ),
    Url(
        "intervision/sessions/<int:session_id>/live/",
        "intervision:live",
        [Case("/intervision/sessions/{iv_session}/live/", IV_GROUP_200)],
    ),
    Url(
        "intervision/sessions/<int:session_id>/items/",
        "intervision:items",
        [
            Case(
                "/intervision/sessions/{iv_session}/items/",
                iv_group(Redirect("/intervision/sessions/{iv_session}/follow/")),
                method="post",
                data={"kind": "question", "text": "Wat deed je?"},
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/closing/",
        "intervision:closing",
        [
            Case(
                "/intervision/sessions/{iv_session}/closing/",
                iv_group(Redirect("/intervision/sessions/{iv_session}/follow/")),
                method="post",
                data={"what": "evaluation", "score": "4"},
            )
        ],
    ),
    Url(
        "intervision/sessions/<int:session_id>/close/",
        "intervision:close",
        [
            Case(
                "/intervision/sessions/{iv_session}/close/", iv_lead(IV_SESSION_PAGE), method="post"
            )
        ],
    ),
    # --- reminders and notifications ----------------------------------------------
    Url(
        "me/reminders/",
        "reminder_preferences",
        [
            Case("/me/reminders/", by_role(anonymous=LOGIN, signed_in=200)),
            # An invalid choice: the form answers with its error, nothing is saved.
            Case(
                "/me/reminders/",
                by_role(anonymous=LOGIN, signed_in=200),
                "invalid",
                method="post",
                data={"first_before": "7", "new_sessions": "never"},
            ),
        ],
    ),
    # One-click unsubscribe (RFC 8058): the signed token is the only key (valid tokens are
    # tested in tests/events/reminders/test_views.py); anything else is 404 for everyone.
    Url(
        "unsubscribe/<str:token>/",
        "unsubscribe",
        [
            Case("/unsubscribe/" + "A" * 40 + "/", by_role(anonymous=404, signed_in=404)),
            Case(
                "/unsubscribe/eyJ1IjoxLCJwIjoiZGlnZXN0In0:forged/",
                by_role(anonymous=404, signed_in=404),
                "forged",
                method="post",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/message/",
        "community_message",
        [
            Case(
                "/communities/{public_slug}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{public_slug}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "empty-post",
                method="post",
            ),
            Case(
                "/communities/{archived_slug}/message/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived",
            ),
        ],
    ),
    Url(
        "sessions/<int:session_id>/message/",
        "session_message",
        [
            Case(
                "/sessions/{public_session}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/sessions/{private_session}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
            Case(
                "/sessions/{organisation_session}/message/",
                by_role(anonymous=LOGIN, signed_in=404, staff=200),
                "organisation",
            ),
            Case(
                "/sessions/{public_session}/message/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
                "empty-post",
                method="post",
            ),
        ],
    ),
    Url(
        "organisation/outbox/",
        "outbox_overview",
        [Case("/organisation/outbox/", by_role(anonymous=LOGIN, signed_in=404, staff=200))],
    ),
    Url(
        "organisation/outbox/<int:message_id>/resend/",
        "outbox_resend",
        [
            Case(
                "/organisation/outbox/{mail}/resend/",
                by_role(anonymous=LOGIN, signed_in=404, staff=Redirect("/organisation/outbox/")),
                method="post",
            ),
            Case(
                "/organisation/outbox/{mail}/resend/",
                by_role(anonymous=LOGIN, signed_in=404, staff=405),
                "get",
            ),
        ],
    ),
    # --- Takeaways and insights ---------------------------------------------------
    # {past_public_session}/{past_private_session}: started yesterday, the member went to both.
    # {public_takeaway}: Tess's, organisation-wide, public community; {private_takeaway}: Tess's,
    # community-only, private community; {member_takeaway}: the member's own (community-only,
    # public community). Reading follows the takeaway's visibility, editing and reviewing are
    # for the owner, hiding for the community's coordinators; whoever may not: 404. Accepted
    # POSTs (or refused with a message) redirect back: 302. Insights: the community's
    # coordinators, staff for public communities; the organisation's: staff.
    Url(
        "sessions/<int:session_id>/takeaways/new/",
        "takeaway_capture",
        [
            # Only people who came get the form; others go back to the session with a message.
            Case(
                "/sessions/{past_public_session}/takeaways/new/",
                by_role(anonymous=LOGIN, signed_in=302, member=200),
                "public",
            ),
            Case(
                "/sessions/{past_private_session}/takeaways/new/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=200,
                    coordinator=302,
                ),
                "private",
            ),
            Case(
                "/sessions/{past_public_session}/takeaways/new/",
                by_role(anonymous=LOGIN, signed_in=302, member=400),
                "post-empty",
                method="post",
            ),
            Case(
                "/sessions/{past_public_session}/takeaways/new/",
                by_role(anonymous=LOGIN, signed_in=302),
                "post",
                method="post",
                data={"title": "Geleerd", "visibility": "organisation"},
            ),
            Case(
                "/sessions/999999/takeaways/new/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
            ),
        ],
    ),
    Url(
        "takeaways/",
        "takeaway_search",
        [
            Case("/takeaways/", by_role(anonymous=LOGIN, signed_in=200)),
            Case(
                "/takeaways/",
                by_role(
                    anonymous=Redirect("/accounts/login/?next=/takeaways/%3Fq%3Dfixtures"),
                    signed_in=200,
                ),
                "query",
                data={"q": "fixtures"},
            ),
            Case(
                "/takeaways/",
                by_role(
                    anonymous=Redirect("/accounts/login/?next=/takeaways/%3Fdate_from%3Dgarbage"),
                    signed_in=400,
                ),
                "bad-date",
                data={"date_from": "garbage"},
            ),
        ],
    ),
    Url(
        "takeaways/<int:takeaway_id>/",
        "takeaway_detail",
        [
            Case(
                "/takeaways/{public_takeaway}/", by_role(anonymous=LOGIN, signed_in=200), "public"
            ),
            Case(
                "/takeaways/{private_takeaway}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "private",
            ),
            Case(
                "/takeaways/{member_takeaway}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "community-only",
            ),
            Case("/takeaways/999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "takeaways/<int:takeaway_id>/edit/",
        "takeaway_edit",
        [
            Case(
                "/takeaways/{member_takeaway}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, member=200),
                "own",
            ),
            Case(
                "/takeaways/{public_takeaway}/edit/",
                by_role(anonymous=LOGIN, signed_in=404),
                "someone-elses",
            ),
            Case(
                "/takeaways/{member_takeaway}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, member=400),
                "post-empty",
                method="post",
            ),
            Case(
                "/takeaways/{member_takeaway}/edit/",
                by_role(anonymous=LOGIN, signed_in=404, member=302),
                "post",
                method="post",
                data={"title": "Beter verwoord", "visibility": "community", "as_review": "on"},
            ),
        ],
    ),
    Url(
        "takeaways/<int:takeaway_id>/review/",
        "takeaway_review",
        [
            Case("/takeaways/{member_takeaway}/review/", by_role(anonymous=LOGIN, signed_in=405)),
            Case(
                "/takeaways/{member_takeaway}/review/",
                by_role(anonymous=LOGIN, signed_in=404, member=302),
                "reconfirm",
                method="post",
                data={"action": "reconfirm"},
            ),
            Case(
                "/takeaways/{member_takeaway}/review/",
                by_role(anonymous=LOGIN, signed_in=404, member=302),
                "garbage",
                method="post",
                data={"action": "<script>", "superseded_by": "x"},
            ),
        ],
    ),
    Url(
        "takeaways/<int:takeaway_id>/helpful/",
        "takeaway_helpful",
        [
            Case("/takeaways/{public_takeaway}/helpful/", by_role(anonymous=LOGIN, signed_in=405)),
            Case(
                "/takeaways/{public_takeaway}/helpful/",
                by_role(anonymous=LOGIN, signed_in=302),
                "public",
                method="post",
                data={"helpful": "1"},
            ),
            Case(
                "/takeaways/{private_takeaway}/helpful/",
                by_role(anonymous=LOGIN, signed_in=404, member=302, coordinator=302),
                "private",
                method="post",
                data={"helpful": "1"},
            ),
        ],
    ),
    Url(
        "takeaways/<int:takeaway_id>/hide/",
        "takeaway_hide",
        [
            Case("/takeaways/{public_takeaway}/hide/", by_role(anonymous=LOGIN, signed_in=405)),
            Case(
                "/takeaways/{public_takeaway}/hide/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=302),
                "public",
                method="post",
                data={"hide": "hide", "reason": "Hoort niet hier"},
            ),
            Case(
                "/takeaways/{private_takeaway}/hide/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=302),
                "private-no-reason",
                method="post",
                data={"hide": "hide"},
            ),
        ],
    ),
    Url(
        "takeaways/tags/<slug:slug>/",
        "takeaway_tag",
        [
            Case("/takeaways/tags/{tag}/", by_role(anonymous=LOGIN, signed_in=200)),
            Case(
                "/takeaways/tags/nobody-uses-this/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/takeaways/",
        "community_takeaways",
        [
            Case(
                "/communities/{public_slug}/takeaways/",
                by_role(anonymous=LOGIN, signed_in=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/takeaways/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "private",
            ),
            Case(
                "/communities/{private_slug}/takeaways/",
                by_role(
                    anonymous=Redirect(
                        "/accounts/login/?next=/communities/security-champions/takeaways/"
                        "%3Fexport%3Dcsv"
                    ),
                    signed_in=404,
                    member=200,
                    coordinator=200,
                ),
                "private-csv",
                data={"export": "csv"},
            ),
            Case(
                "/communities/{public_slug}/takeaways/",
                by_role(
                    anonymous=Redirect(
                        "/accounts/login/?next=/communities/python-gilde/takeaways/%3Fexport%3Dmd"
                    ),
                    signed_in=200,
                ),
                "markdown",
                data={"export": "md"},
            ),
            Case(
                "/communities/{public_slug}/takeaways/",
                by_role(
                    anonymous=Redirect(
                        "/accounts/login/?next=/communities/python-gilde/takeaways/%3Fexport%3Dxls"
                    ),
                    signed_in=400,
                ),
                "bad-export",
                data={"export": "xls"},
            ),
            Case(
                "/communities/{archived_slug}/takeaways/",
                by_role(anonymous=LOGIN, signed_in=404),
                "archived",
            ),
        ],
    ),
    Url(
        "communities/<slug:slug>/insights/",
        "community_insights",
        [
            Case(
                "/communities/{public_slug}/insights/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200, ambassador=200),
                "public",
            ),
            Case(
                "/communities/{private_slug}/insights/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, ambassador=200),
                "private",
            ),
            Case(
                "/communities/{public_slug}/insights/",
                by_role(
                    anonymous=Redirect(
                        "/accounts/login/?next=/communities/python-gilde/insights/"
                        "%3Fdownload%3Dmembers"
                    ),
                    signed_in=404,
                    coordinator=200,
                    staff=200,
                ),
                "csv",
                data={"download": "members"},
            ),
            Case(
                "/communities/{public_slug}/insights/",
                by_role(
                    anonymous=Redirect(
                        "/accounts/login/?next=/communities/python-gilde/insights/%3Fmonths%3D7"
                    ),
                    signed_in=404,
                    coordinator=400,
                    staff=400,
                ),
                "bad-period",
                data={"months": "7"},
            ),
        ],
    ),
    Url(
        "insights/",
        "organisation_insights",
        [
            Case("/insights/", by_role(anonymous=LOGIN, signed_in=404, staff=200)),
            Case(
                "/insights/",
                by_role(
                    anonymous=Redirect("/accounts/login/?next=/insights/%3Fdownload%3Dteams"),
                    signed_in=404,
                    staff=200,
                ),
                "csv",
                data={"download": "teams"},
            ),
        ],
    ),
    Url(
        "people/<int:user_id>/",
        "person_contributions",
        [
            # The member has not opted in: only they see their page.
            Case("/people/{person}/", by_role(anonymous=LOGIN, signed_in=404, member=200), "own"),
            Case("/people/{shown_person}/", by_role(anonymous=LOGIN, signed_in=200), "opted-in"),
            Case("/people/999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "me/contributions/",
        "contributions_setting",
        [
            Case("/me/contributions/", by_role(anonymous=LOGIN, signed_in=405)),
            Case(
                "/me/contributions/",
                by_role(anonymous=LOGIN, signed_in=302),
                "post",
                method="post",
                data={"show": "1"},
            ),
        ],
    ),
    # --- a leermarkt: a stand's page is read by who sees the festival; material is added by
    # its hosts and the festival's organisers (the coordinator; staff organise every festival).
    Url(
        "festivals/<slug:slug>/stands/<int:stand_id>/",
        "festival_stand",
        [
            Case("/festivals/{lm_slug}/stands/{lm_stand}/", SIGNED_IN_200),
            Case(
                "/festivals/{lm_slug}/stands/{lm_stand}/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400, staff=400),
                "empty post",
                method="post",
            ),
            Case("/festivals/{lm_slug}/stands/999999/", IV_NONE, "unknown"),
            Case("/festivals/{fe_slug}/stands/{lm_stand}/", IV_NONE, "other festival"),
        ],
    ),
    Url(
        "festivals/<slug:slug>/stands/new/",
        "festival_stand_new",
        [
            Case("/festivals/{lm_slug}/stands/new/", LEAD_200),
            Case(
                "/festivals/{lm_slug}/stands/new/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400, staff=400),
                "empty post",
                method="post",
            ),
            Case(
                "/festivals/{fe_slug}/stands/new/",
                by_role(anonymous=LOGIN, signed_in=404),
                "not a leermarkt",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/stands/<int:stand_id>/times/",
        "festival_stand_time_new",
        [
            Case(
                "/festivals/{lm_slug}/stands/{lm_stand}/times/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=Redirect("/festivals/{lm_slug}/stands/{lm_stand}/"),
                    staff=Redirect("/festivals/{lm_slug}/stands/{lm_stand}/"),
                ),
                method="post",
            ),
            Case("/festivals/{lm_slug}/stands/{lm_stand}/times/", SIGNED_IN_405, "get"),
            Case(
                "/festivals/{lm_slug}/stands/999999/times/",
                by_role(anonymous=LOGIN, signed_in=404),
                "unknown",
                method="post",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/material/",
        "festival_my_material",
        [
            Case("/festivals/{lm_slug}/material/", SIGNED_IN_200),
            Case("/festivals/{fe_slug}/material/", IV_NONE, "not a leermarkt"),
            Case("/festivals/{lm_slug}/material/", SIGNED_IN_405, "post", method="post"),
        ],
    ),
    # --- knowledge festivals. The world's public festival (fe_slug) is organised by the
    # matrix's coordinator (staff organise every festival); the restricted one is for members of
    # the private community only; the member wrote fe_proposal. Private things answer 404. ------
    Url("festivals/", "festival_list", [Case("/festivals/", SIGNED_IN_200)]),
    Url(
        "festivals/<slug:slug>/",
        "festival_detail",
        [
            Case("/festivals/{fe_slug}/", SIGNED_IN_200, "public"),
            Case(
                "/festivals/{fe_restricted}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200, staff=200),
                "restricted",
            ),
            Case("/festivals/nope/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
            Case("/festivals/{fe_slug}/", SIGNED_IN_405, "post", method="post"),
        ],
    ),
    Url(
        "festivals/<slug:slug>/calendar.ics",
        "festival_feed",
        [
            Case(
                "/festivals/{fe_slug}/calendar.ics", by_role(anonymous=200, signed_in=200), "public"
            ),
            Case(
                "/festivals/{fe_restricted}/calendar.ics",
                by_role(anonymous=404, signed_in=404),
                "restricted",
            ),
        ],
    ),
    Url(
        "calendar/<str:token>/festivals/<slug:slug>.ics",
        "member_festival_feed",
        [
            Case(
                "/calendar/{fe_token}/festivals/{fe_restricted}.ics",
                by_role(anonymous=200, signed_in=200),
                "member's token",
            ),
            Case(
                "/calendar/" + "A" * 43 + "/festivals/{fe_restricted}.ics",
                by_role(anonymous=404, signed_in=404),
                "wrong token",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/propose/",
        "festival_propose",
        [
            Case("/festivals/{fe_slug}/propose/", SIGNED_IN_200),
            Case(
                "/festivals/{fe_restricted}/propose/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200, staff=200),
                "restricted",
            ),
            # Bad input: the form again with a message, nothing stored.
            Case("/festivals/{fe_slug}/propose/", SIGNED_IN_200, "empty post", method="post"),
        ],
    ),
    Url(
        "festivals/<slug:slug>/review/",
        "festival_review",
        [
            Case(
                "/festivals/{fe_slug}/review/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
            )
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/",
        "festival_proposal",
        [
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200, staff=200),
            ),
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                ),
                "speaker edits",
                method="post",
                data={"title": "Nieuw"},
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/withdraw/",
        "festival_proposal_withdraw",
        [
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/withdraw/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                ),
                method="post",
            ),
            Case("/festivals/{fe_slug}/proposals/{fe_proposal}/withdraw/", SIGNED_IN_405, "get"),
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/confirm/",
        "festival_proposal_confirm",
        [
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/confirm/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                ),
                method="post",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/co-speaker/",
        "festival_co_speaker_confirm",
        [
            # The world's proposal has no co-speakers: nobody can confirm on it.
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/co-speaker/",
                by_role(anonymous=LOGIN, signed_in=404),
                method="post",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/review/",
        "festival_proposal_review",
        [
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/review/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                    staff=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                ),
                method="post",
                data={"score": "4"},
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/proposals/<int:proposal_id>/decide/",
        "festival_proposal_decide",
        [
            Case(
                "/festivals/{fe_slug}/proposals/{fe_proposal}/decide/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                    staff=Redirect("/festivals/{fe_slug}/proposals/{fe_proposal}/"),
                ),
                method="post",
                data={"decision": "rejected"},
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/programme/",
        "festival_builder",
        [
            Case(
                "/festivals/{fe_slug}/programme/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
            )
        ],
    ),
    Url(
        "festivals/<slug:slug>/programme/place/",
        "festival_place",
        [
            Case(
                "/festivals/{fe_slug}/programme/place/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=FE_BUILDER, staff=FE_BUILDER),
                method="post",
                data={"proposal": "0", "slot": "0"},  # refused with a message
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/programme/slots/",
        "festival_slot_create",
        [
            Case(
                "/festivals/{fe_slug}/programme/slots/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=FE_BUILDER, staff=FE_BUILDER),
                method="post",
                data={"day": "2000-01-01", "start": "10:00", "end": "11:00"},
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/programme/publish/",
        "festival_publish",
        [
            Case(
                "/festivals/{fe_slug}/programme/publish/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=FE_BUILDER, staff=FE_BUILDER),
                method="post",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/sessions/<int:session_id>/pick/",
        "festival_pick",
        [
            Case(
                "/festivals/{fe_slug}/sessions/{fe_session}/pick/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/festivals/{fe_slug}/")),
                method="post",
            ),
            Case(
                "/festivals/{fe_restricted}/sessions/{fe_restricted_session}/pick/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/festivals/{fe_restricted}/"),
                    coordinator=Redirect("/festivals/{fe_restricted}/"),
                ),
                # Staff organise the festival but are not in its audience (like a private
                # community's sessions): they cannot pick its sessions.
                "restricted",
                method="post",
            ),
            Case(
                "/festivals/{fe_slug}/sessions/{public_session}/pick/",
                by_role(anonymous=LOGIN, signed_in=404),
                "not a festival session",
                method="post",
            ),
        ],
    ),
    # Speaker pages: found by whoever may see one of the person's festival sessions (the
    # world's fe-speaker hosts sessions of both festivals); one's own page always.
    Url("speakers/me/", "speaker_edit", [Case("/speakers/me/", SIGNED_IN_200)]),
    Url(
        "speakers/<int:user_id>/",
        "speaker_detail",
        [
            Case("/speakers/{fe_speaker}/", SIGNED_IN_200, "speaker"),
            Case(
                "/speakers/{person}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200),
                "not a speaker: only their own",
            ),
        ],
    ),
    Url(
        "speakers/<int:user_id>/photo/",
        "speaker_photo",
        [Case("/speakers/{fe_speaker}/photo/", SIGNED_IN_200)],
    ),
    Url(
        "festivals/<slug:slug>/rooms/<int:room_id>/check-in/",
        "festival_check_in",
        [
            Case("/festivals/{fe_slug}/rooms/{fe_room}/check-in/", SIGNED_IN_200),
            # Nothing on in the room now: a message, nothing changes.
            Case(
                "/festivals/{fe_slug}/rooms/{fe_room}/check-in/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=Redirect("/festivals/{fe_slug}/rooms/{fe_room}/check-in/"),
                ),
                "post",
                method="post",
            ),
            Case(
                "/festivals/{fe_restricted}/rooms/{fe_room}/check-in/",
                by_role(anonymous=LOGIN, signed_in=404),
                "another festival's room",
            ),
        ],
    ),
    Url(
        "festivals/<slug:slug>/sessions/<int:session_id>/feedback/",
        "festival_feedback",
        [
            # Speakers and organisers (links, check-in); attendees once it started (not yet).
            Case(
                "/festivals/{fe_slug}/sessions/{fe_session}/feedback/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200, staff=200),
            ),
            Case(
                "/festivals/{fe_slug}/sessions/{fe_session}/feedback/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=FE_FEEDBACK, staff=FE_FEEDBACK),
                "post",
                method="post",
                data={"score": "5"},
            ),
        ],
    ),
    # --- The REST API (/api/v1/): each role calls with a token of its own (all scopes);
    # without one the answer is a 401 problem. What a role may not see is 404, as on the web.
    # --- Directory sync (/scim/v2/): only a directory token opens it; a signed-in browser
    # session is no directory credential, so every role gets SCIM's 401.
    Url(
        "scim/v2/ServiceProviderConfig",
        "scim:config",
        [Case("/scim/v2/ServiceProviderConfig", SCIM_401)],
    ),
    Url("scim/v2/ResourceTypes", "scim:resource_types", [Case("/scim/v2/ResourceTypes", SCIM_401)]),
    Url(
        "scim/v2/ResourceTypes/<str:key>",
        "scim:resource_type",
        [Case("/scim/v2/ResourceTypes/User", SCIM_401)],
    ),
    Url("scim/v2/Schemas", "scim:schemas", [Case("/scim/v2/Schemas", SCIM_401)]),
    Url("scim/v2/Schemas/<str:key>", "scim:schema", [Case("/scim/v2/Schemas/x", SCIM_401)]),
    Url(
        "scim/v2/Users",
        "scim:users",
        [
            Case("/scim/v2/Users", SCIM_401),
            Case("/scim/v2/Users", SCIM_401, "post", method="post", data={"userName": "x"}),
        ],
    ),
    Url(
        "scim/v2/Users/.search",
        "scim:users_search",
        [Case("/scim/v2/Users/.search", SCIM_401, method="post")],
    ),
    Url(
        "scim/v2/Groups/.search",
        "scim:groups_search",
        [Case("/scim/v2/Groups/.search", SCIM_401, method="post")],
    ),
    Url("scim/v2/.search", "scim:search", [Case("/scim/v2/.search", SCIM_401, method="post")]),
    Url("scim/v2/Users/<str:pk>", "scim:user", [Case("/scim/v2/Users/{person}", SCIM_401)]),
    Url("scim/v2/Groups", "scim:groups", [Case("/scim/v2/Groups", SCIM_401)]),
    Url("scim/v2/Groups/<str:key>", "scim:group", [Case("/scim/v2/Groups/x", SCIM_401)]),
    Url("scim/v2/^(?P<rest>.*)$", "scim:not_found", [Case("/scim/v2/Bulk", SCIM_401)]),
    Url(
        "organisation/directory/",
        "directory",
        [
            Case("/organisation/directory/", STAFF_ONLY(200)),
            Case("/organisation/directory/", STAFF_ONLY(400), "post", method="post"),
        ],
    ),
    Url(
        "organisation/directory/tokens/<int:token_id>/revoke/",
        "directory_token_revoke",
        [
            Case("/organisation/directory/tokens/999999/revoke/", STAFF_ONLY(405), "get"),
            Case(
                "/organisation/directory/tokens/999999/revoke/",
                STAFF_ONLY(404),
                "post",
                method="post",
            ),
        ],
    ),
    Url(
        "organisation/directory/links/",
        "directory_link_create",
        [Case("/organisation/directory/links/", STAFF_ONLY(400), "post", method="post")],
    ),
    Url(
        "organisation/directory/links/<int:link_id>/delete/",
        "directory_link_delete",
        [Case("/organisation/directory/links/999999/delete/", STAFF_ONLY(404), method="post")],
    ),
    Url(
        "organisation/directory/holds/<int:hold_id>/confirm/",
        "directory_hold_confirm",
        [Case("/organisation/directory/holds/999999/confirm/", STAFF_ONLY(404), method="post")],
    ),
    Url(
        "organisation/directory/holds/<int:hold_id>/discard/",
        "directory_hold_discard",
        [Case("/organisation/directory/holds/999999/discard/", STAFF_ONLY(404), method="post")],
    ),
    Url("api/v1/schema/", "api:schema", [Case("/api/v1/schema/", API_200)]),
    Url("api/v1/docs/", "api:docs", [Case("/api/v1/docs/", API_200)]),
    Url("api/v1/communities/", "api:community-list", [Case("/api/v1/communities/", API_200)]),
    Url(
        "api/v1/communities/<slug:slug>/",
        "api:community-detail",
        [
            Case("/api/v1/communities/{public_slug}/", API_200, "public"),
            Case("/api/v1/communities/{private_slug}/", API_PRIVATE, "private"),
            Case("/api/v1/communities/{archived_slug}/", API_404, "archived"),
            Case("/api/v1/communities/no-such-thing/", API_404, "unknown"),
        ],
    ),
    Url(
        "api/v1/communities/<slug:slug>/join/",
        "api:community-join",
        [
            Case("/api/v1/communities/{public_slug}/join/", API_405, "get"),
            # Already a member (or asked): a 422 problem, nothing changed.
            Case(
                "/api/v1/communities/{public_slug}/join/",
                by_role(anonymous=401, signed_in=422, non_member=200, pending=200, staff=200),
                "public",
                method="post",
            ),
            Case(
                "/api/v1/communities/{private_slug}/join/",
                by_role(anonymous=401, signed_in=404, member=422, coordinator=422),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "api/v1/communities/<slug:slug>/leave/",
        "api:community-leave",
        [
            Case(
                "/api/v1/communities/{public_slug}/leave/",
                by_role(anonymous=401, signed_in=422, member=200, pending=200),
                "public",
                method="post",
            ),
            Case(
                "/api/v1/communities/{private_slug}/leave/",
                by_role(anonymous=401, signed_in=404, member=200, coordinator=422),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "api/v1/communities/<slug:slug>/members/",
        "api:community-members",
        [
            Case(
                "/api/v1/communities/{public_slug}/members/",
                by_role(anonymous=401, signed_in=404, coordinator=200, staff=200),
                "public",
            ),
            Case(
                "/api/v1/communities/{private_slug}/members/",
                by_role(anonymous=401, signed_in=404, coordinator=200),
                "private",
            ),
        ],
    ),
    Url(
        "api/v1/sessions/",
        "api:session-list",
        [
            Case("/api/v1/sessions/", API_200),
            # No community given: a 400 problem with the field named, nothing made.
            Case("/api/v1/sessions/", API_400, "invalid", method="post", data={"title": ""}),
        ],
    ),
    Url(
        "api/v1/sessions/<int:session_id>/",
        "api:session-detail",
        [
            Case("/api/v1/sessions/{public_session}/", API_200, "public"),
            Case("/api/v1/sessions/{private_session}/", API_PRIVATE, "private"),
            Case("/api/v1/sessions/{archived_session}/", API_404, "archived"),
            Case(
                "/api/v1/sessions/{public_session}/",
                by_role(anonymous=401, signed_in=404, coordinator=200, staff=200),
                "edit",
                method="patch",
                data={"title": "Nieuwe titel", "location": "Zaal 3"},
            ),
        ],
    ),
    Url(
        "api/v1/sessions/<int:session_id>/cancel/",
        "api:session-cancel",
        [
            Case(
                "/api/v1/sessions/{public_session}/cancel/",
                by_role(anonymous=401, signed_in=404, coordinator=200, staff=200),
                "public",
                method="post",
            ),
            Case(
                "/api/v1/sessions/{private_session}/cancel/",
                by_role(anonymous=401, signed_in=404, coordinator=200),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "api/v1/sessions/<int:session_id>/rsvp/",
        "api:session-rsvp",
        [
            # Nobody has answered yet: 404 for the answer; the session's own visibility first.
            Case("/api/v1/sessions/{public_session}/rsvp/", API_404, "none"),
            Case(
                "/api/v1/sessions/{public_session}/rsvp/",
                API_200,
                "going",
                method="put",
                data={"status": "going"},
            ),
            Case(
                "/api/v1/sessions/{private_session}/rsvp/",
                API_PRIVATE,
                "private",
                method="put",
                data={"status": "going"},
            ),
        ],
    ),
    Url("api/v1/series/", "api:series-list", [Case("/api/v1/series/", API_200)]),
    Url(
        "api/v1/series/<int:series_id>/",
        "api:series-detail",
        [
            Case("/api/v1/series/{public_series}/", API_200, "public"),
            Case("/api/v1/series/{private_series}/", API_PRIVATE, "private"),
            Case("/api/v1/series/{archived_series}/", API_404, "archived"),
        ],
    ),
    Url("api/v1/festivals/", "api:festival-list", [Case("/api/v1/festivals/", API_200)]),
    Url(
        "api/v1/festivals/<slug:slug>/",
        "api:festival-detail",
        [
            Case("/api/v1/festivals/{fe_slug}/", API_200, "open"),
            Case("/api/v1/festivals/{fe_restricted}/", API_FESTIVAL_RESTRICTED, "restricted"),
        ],
    ),
    Url(
        "api/v1/festivals/<slug:slug>/programme/",
        "api:festival-programme",
        [
            Case("/api/v1/festivals/{fe_slug}/programme/", API_200, "open"),
            Case(
                "/api/v1/festivals/{fe_restricted}/programme/",
                API_FESTIVAL_RESTRICTED,
                "restricted",
            ),
        ],
    ),
    Url("api/v1/takeaways/", "api:takeaway-list", [Case("/api/v1/takeaways/", API_200)]),
    Url(
        "api/v1/takeaways/<int:takeaway_id>/",
        "api:takeaway-detail",
        [
            Case("/api/v1/takeaways/{public_takeaway}/", API_200, "public"),
            Case("/api/v1/takeaways/{private_takeaway}/", API_PRIVATE, "private"),
        ],
    ),
    Url("api/v1/me/rsvps/", "api:my-rsvps", [Case("/api/v1/me/rsvps/", API_200)]),
    Url("api/v1/me/agenda/", "api:my-agenda", [Case("/api/v1/me/agenda/", API_200)]),
    Url("api/v1/people/", "api:people-list", [Case("/api/v1/people/", API_STAFF)]),
    Url("api/v1/insights/", "api:insights", [Case("/api/v1/insights/", API_STAFF)]),
    Url(
        "api/v1/^(?P<rest>.*)$",
        "api:not-found",
        [Case("/api/v1/no-such-thing/", by_role(anonymous=404, signed_in=404))],
    ),
    # --- Tokens and webhooks (pages) -----------------------------------------------------------
    Url(
        "me/tokens/",
        "api_tokens",
        [
            Case("/me/tokens/", SIGNED_IN_200),
            Case(
                "/me/tokens/",
                by_role(anonymous=LOGIN, signed_in=400),
                "invalid",
                method="post",
                data={"name": ""},
            ),
        ],
    ),
    Url(
        "me/tokens/<int:token_id>/revoke/",
        "api_token_revoke",
        [
            Case("/me/tokens/{member_token}/revoke/", SIGNED_IN_405, "get"),
            Case(
                "/me/tokens/{member_token}/revoke/",
                by_role(anonymous=LOGIN, signed_in=404, member=Redirect("/me/tokens/")),
                "member's",
                method="post",
            ),
            Case(
                "/me/tokens/{service_token}/revoke/",
                by_role(anonymous=LOGIN, signed_in=404, staff=Redirect("/me/tokens/")),
                "service",
                method="post",
            ),
        ],
    ),
    Url(
        "organisation/webhooks/",
        "webhooks",
        [
            Case("/organisation/webhooks/", WEBHOOK_LEADS(200)),
            Case(
                "/organisation/webhooks/",
                WEBHOOK_LEADS(400),
                "invalid",
                method="post",
                data={"url": "nope"},
            ),
        ],
    ),
    Url(
        "organisation/webhooks/<int:endpoint_id>/",
        "webhook_detail",
        [
            Case(
                "/organisation/webhooks/{org_webhook}/",
                by_role(anonymous=LOGIN, signed_in=404, staff=200),
                "organisation",
            ),
            Case(
                "/organisation/webhooks/{community_webhook}/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "community",
            ),
        ],
    ),
    *[
        Url(
            f"organisation/webhooks/<int:endpoint_id>/{action}/",
            f"webhook_{action}",
            [
                Case(
                    f"/organisation/webhooks/{{org_webhook}}/{action}/", SIGNED_IN_405_OR_404, "get"
                ),
                Case(
                    f"/organisation/webhooks/{{community_webhook}}/{action}/",
                    by_role(anonymous=LOGIN, signed_in=404, coordinator=target),
                    "community",
                    method="post",
                ),
            ],
        )
        for action, target in (
            ("test", Redirect("/organisation/webhooks/{community_webhook}/")),
            ("rotate", Redirect("/organisation/webhooks/{community_webhook}/")),
            ("delete", Redirect("/organisation/webhooks/")),
        )
    ],
    # Wie weet wat: experts, questions, wishes, search, notifications.
    Url("experts/", "experts", [Case("/experts/", SIGNED_IN_200)]),
    Url(
        "experts/<int:user_id>/",
        "expert_profile",
        [
            Case("/experts/{kn_expert}/", SIGNED_IN_200, "opted in"),
            Case("/experts/{kn_quiet}/", by_role(anonymous=LOGIN, signed_in=404), "not opted in"),
        ],
    ),
    Url(
        "me/expertise/",
        "expertise_settings",
        [
            Case("/me/expertise/", SIGNED_IN_200),
            Case(
                "/me/expertise/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/me/expertise/")),
                "post",
                method="post",
                data={"topics": "pytest", "listed": "on"},
            ),
        ],
    ),
    Url(
        "search/",
        "search",
        [
            Case("/search/", SIGNED_IN_200),
            # Words of private things: the page answers, what it lists is tested below.
            Case("/search/?q=security+champions", SIGNED_IN_200, "private words"),
        ],
    ),
    Url("notifications/", "notification_list", [Case("/notifications/", SIGNED_IN_200)]),
    Url(
        "notifications/read/",
        "notifications_read",
        [
            Case("/notifications/read/", SIGNED_IN_405),
            Case(
                "/notifications/read/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/notifications/")),
                "post",
                method="post",
            ),
        ],
    ),
    Url("questions/", "question_list", [Case("/questions/", SIGNED_IN_200)]),
    Url(
        "questions/new/",
        "question_create",
        [
            Case("/questions/new/", SIGNED_IN_200),
            Case(
                "/questions/new/",
                by_role(anonymous=LOGIN, signed_in=400),
                "empty post",
                method="post",
            ),
        ],
    ),
    Url(
        "questions/insights/",
        "knowledge_insights",
        [
            # Staff: the organisation's; coordinators: ?community=<slug> (tests/knowledge).
            Case("/questions/insights/", by_role(anonymous=LOGIN, signed_in=404, staff=200)),
        ],
    ),
    Url(
        "questions/<int:question_id>/",
        "question_detail",
        [
            Case("/questions/{kn_public_question}/", SIGNED_IN_200, "public"),
            Case(
                "/questions/{kn_private_question}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "private",
            ),
            # Waiting for a coordinator: they and the asker see it, nobody else.
            Case(
                "/questions/{kn_pending_question}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "anonymous",
            ),
            Case("/questions/999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "questions/<int:question_id>/answers/",
        "answer_create",
        [
            Case("/questions/{kn_public_question}/answers/", SIGNED_IN_405),
            Case(
                "/questions/{kn_public_question}/answers/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/questions/{kn_public_question}/")),
                "public",
                method="post",
                data={"body": "Een antwoord"},
            ),
            Case(
                "/questions/{kn_private_question}/answers/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/questions/{kn_private_question}/"),
                    coordinator=Redirect("/questions/{kn_private_question}/"),
                ),
                "private",
                method="post",
                data={"body": "Een antwoord"},
            ),
        ],
    ),
    Url(
        "questions/<int:question_id>/post/",
        "question_post",
        [
            Case(
                "/questions/{kn_pending_question}/post/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=Redirect("/questions/{kn_pending_question}/"),
                ),
                "post",
                method="post",
            )
        ],
    ),
    Url(
        "questions/<int:question_id>/wish/",
        "question_wish",
        [
            # Too young to become a wish: a message, back to the question.
            Case(
                "/questions/{kn_public_question}/wish/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/questions/{kn_public_question}/")),
                "public",
                method="post",
            ),
            Case(
                "/questions/{kn_private_question}/wish/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/questions/{kn_private_question}/"),
                    coordinator=Redirect("/questions/{kn_private_question}/"),
                ),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "questions/answers/<int:answer_id>/accept/",
        "answer_accept",
        [
            Case(
                "/questions/answers/{kn_public_answer}/accept/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/questions/{kn_public_question}/")),
                "public",
                method="post",
            ),
            Case(
                "/questions/answers/{kn_private_answer}/accept/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/questions/{kn_private_question}/"),
                    coordinator=Redirect("/questions/{kn_private_question}/"),
                ),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "questions/answers/<int:answer_id>/helpful/",
        "answer_helpful",
        [
            Case(
                "/questions/answers/{kn_public_answer}/helpful/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/questions/{kn_public_question}/")),
                "public",
                method="post",
            ),
            Case(
                "/questions/answers/{kn_private_answer}/helpful/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/questions/{kn_private_question}/"),
                    coordinator=Redirect("/questions/{kn_private_question}/"),
                ),
                "private",
                method="post",
            ),
        ],
    ),
    Url(
        "questions/answers/<int:answer_id>/takeaway/",
        "answer_takeaway",
        [
            # The coordinator wrote the answer: they keep it and land on the takeaway; the member
            # asked it, the takeaway exists then: they land on it too. Others may not.
            Case(
                "/questions/answers/{kn_public_answer}/takeaway/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=Redirect("/questions/{kn_public_question}/"),
                    coordinator=302,
                    member=302,
                ),
                "public",
                method="post",
            ),
            Case(
                "/questions/answers/{kn_private_answer}/takeaway/",
                by_role(anonymous=LOGIN, signed_in=404, member=302, coordinator=302),
                "private",
                method="post",
            ),
            Case(
                "/questions/answers/{kn_private_answer}/takeaway/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
        ],
    ),
    Url("wishes/", "wish_list", [Case("/wishes/", SIGNED_IN_200)]),
    # Knowledge-gap surveys: for the community's active members; results for its coordinators.
    Url("wishes/surveys/", "survey_list", [Case("/wishes/surveys/", SIGNED_IN_200)]),
    Url(
        "wishes/surveys/new/",
        "survey_create",
        [
            Case("/wishes/surveys/new/", by_role(anonymous=LOGIN, signed_in=404, coordinator=200)),
            Case(
                "/wishes/surveys/new/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400),
                "empty",
                method="post",
            ),
        ],
    ),
    Url(
        "wishes/surveys/<int:survey_id>/",
        "survey_detail",
        [
            Case(
                "/wishes/surveys/{kn_public_survey}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "public",
            ),
            Case(
                "/wishes/surveys/{kn_private_survey}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "private",
            ),
            Case("/wishes/surveys/999999/", by_role(anonymous=LOGIN, signed_in=404), "unknown"),
        ],
    ),
    Url(
        "wishes/surveys/<int:survey_id>/answer/",
        "survey_respond",
        [
            Case(
                "/wishes/surveys/{kn_public_survey}/answer/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/wishes/surveys/{kn_public_survey}/"),
                    coordinator=Redirect("/wishes/surveys/{kn_public_survey}/"),
                ),
                "public",
                method="post",
                data={"comment": "Meer over typing"},
            ),
            Case(
                "/wishes/surveys/{kn_private_survey}/answer/",
                by_role(anonymous=LOGIN, signed_in=404, member=400, coordinator=400),
                "private, empty",
                method="post",
            ),
            Case(
                "/wishes/surveys/{kn_private_survey}/answer/",
                by_role(anonymous=LOGIN, signed_in=405),
                "get",
            ),
        ],
    ),
    Url(
        "wishes/surveys/<int:survey_id>/results/",
        "survey_results",
        [
            Case(
                "/wishes/surveys/{kn_public_survey}/results/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "public",
            ),
            Case(
                "/wishes/surveys/{kn_private_survey}/results/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
                "private",
            ),
        ],
    ),
    Url(
        "wishes/surveys/<int:survey_id>/close/",
        "survey_close",
        [
            Case(
                "/wishes/surveys/{kn_private_survey}/close/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    coordinator=Redirect("/wishes/surveys/{kn_private_survey}/results/"),
                ),
                method="post",
            )
        ],
    ),
    Url(
        "wishes/surveys/<int:survey_id>/topics/<int:topic_id>/wish/",
        "survey_topic_wish",
        [
            Case(
                "/wishes/surveys/{kn_private_survey}/topics/{kn_private_survey_topic}/wish/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=302),
                "own topic",
                method="post",
            ),
            # Another survey's topic: nothing is made.
            Case(
                "/wishes/surveys/{kn_private_survey}/topics/{kn_public_survey_topic}/wish/",
                by_role(anonymous=LOGIN, signed_in=404),
                "other survey's topic",
                method="post",
            ),
        ],
    ),
    Url(
        "wishes/new/",
        "wish_create",
        [
            Case("/wishes/new/", SIGNED_IN_200),
            Case("/wishes/new/", by_role(anonymous=LOGIN, signed_in=400), "empty", method="post"),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/",
        "wish_detail",
        [
            Case("/wishes/{kn_public_wish}/", SIGNED_IN_200, "public"),
            Case(
                "/wishes/{kn_private_wish}/",
                by_role(anonymous=LOGIN, signed_in=404, member=200, coordinator=200),
                "private",
            ),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/interest/",
        "wish_interest",
        [
            Case(
                "/wishes/{kn_public_wish}/interest/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/wishes/{kn_public_wish}/")),
                "public",
                method="post",
                data={"kind": "attend"},
            ),
            Case(
                "/wishes/{kn_private_wish}/interest/",
                by_role(
                    anonymous=LOGIN,
                    signed_in=404,
                    member=Redirect("/wishes/{kn_private_wish}/"),
                    coordinator=Redirect("/wishes/{kn_private_wish}/"),
                ),
                "private",
                method="post",
                data={"kind": "volunteer"},
            ),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/plan/",
        "wish_plan",
        [
            Case(
                "/wishes/{kn_public_wish}/plan/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
            ),
            Case(
                "/wishes/{kn_private_wish}/plan/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400),
                "empty post",
                method="post",
            ),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/poll/",
        "poll_create",
        [
            Case(
                "/wishes/{kn_public_wish}/poll/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=200),
            ),
            Case(
                "/wishes/{kn_private_wish}/poll/",
                by_role(anonymous=LOGIN, signed_in=404, coordinator=400),
                "empty post",
                method="post",
            ),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/poll/vote/",
        "poll_vote",
        [
            Case(
                "/wishes/{kn_poll_wish}/poll/vote/",
                by_role(anonymous=LOGIN, signed_in=Redirect("/wishes/{kn_poll_wish}/")),
                "poll",
                method="post",
            ),
            Case(
                "/wishes/{kn_public_wish}/poll/vote/",
                by_role(anonymous=LOGIN, signed_in=404),
                "no poll",
                method="post",
            ),
        ],
    ),
    Url(
        "wishes/<int:wish_id>/poll/schedule/",
        "poll_schedule",
        [
            # A date that is not one of the poll's: a message, back to the wish.
            Case(
                "/wishes/{kn_poll_wish}/poll/schedule/",
                by_role(
                    anonymous=LOGIN, signed_in=404, coordinator=Redirect("/wishes/{kn_poll_wish}/")
                ),
                "post",
                method="post",
                data={"option": "999999"},
            )
        ],
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
        # MFA and single sign-on; without a configured provider its login is 404.
        Case("/accounts/2fa/", by_role(anonymous=LOGIN, signed_in=200), "mfa"),
        Case("/accounts/3rdparty/", by_role(anonymous=LOGIN, signed_in=200), "sso-accounts"),
        Case("/accounts/oidc/sso/login/", by_role(anonymous=404, signed_in=404), "sso-off"),
    ],
}


# ---------------------------------------------------------------------------------------------
# Machinery
# ---------------------------------------------------------------------------------------------
# Knowledge articles and ambassadors. Editors of the member's public article: the member
# (owner), the coordinator and staff (public community); of the private one: the coordinator.
LA_PUBLIC_PAGE = Redirect("/articles/{la_public}/")
LA_PRIVATE_PAGE = Redirect("/articles/{la_private}/")
LA_AMBASSADOR_PAGE = Redirect("/communities/python-gilde/ambassador/")
LA_READ_PRIVATE = by_role(
    anonymous=LOGIN, signed_in=404, member=200, coordinator=200, ambassador=200
)
LA_READ_ALL = by_role(anonymous=LOGIN, signed_in=200, ambassador=200)


def la_public_editors(expected) -> dict:
    return by_role(
        anonymous=LOGIN,
        signed_in=404,
        member=expected,
        coordinator=expected,
        staff=expected,
        ambassador=404,
    )


def la_private_editors(expected) -> dict:
    return by_role(anonymous=LOGIN, signed_in=404, coordinator=expected, ambassador=404)


ARTICLE_MATRIX: list[Url] = [
    Url("articles/", "learning:article_list", [
        Case("/articles/", LA_READ_ALL),
        Case("/articles/", by_role(
            anonymous=Redirect("/accounts/login/?next=/articles/%3Fq%3Dreleas%26kind%3Dhowto"),
            signed_in=200, ambassador=200,
        ), "search", data={"q": "releas", "kind": "howto"}),
        Case("/articles/", by_role(
            anonymous=Redirect("/accounts/login/?next=/articles/%3Fkind%3Dnope"),
            signed_in=400, ambassador=400,
        ), "bad filter", data={"kind": "nope"}),
    ]),
    Url("articles/new/", "learning:article_new", [
        Case("/articles/new/", LA_READ_ALL),
        Case("/articles/new/", by_role(anonymous=LOGIN, signed_in=400, ambassador=400),
             "empty", method="post"),
    ]),
    Url("articles/<int:article_id>/", "learning:article_detail", [
        Case("/articles/{la_public}/", LA_READ_ALL, "public"),
        Case("/articles/{la_organisation}/", LA_READ_ALL, "organisation"),
        Case("/articles/{la_private}/", LA_READ_PRIVATE, "private"),
        Case("/articles/999999/", by_role(anonymous=LOGIN, signed_in=404, ambassador=404),
             "unknown"),
    ]),
    Url("articles/<int:article_id>/edit/", "learning:article_edit", [
        Case("/articles/{la_public}/edit/", la_public_editors(200), "public"),
        Case("/articles/{la_private}/edit/", la_private_editors(200), "private"),
        Case("/articles/{la_public}/edit/", la_public_editors(400), "empty", method="post"),
    ]),
    Url("articles/<int:article_id>/versions/", "learning:article_versions", [
        Case("/articles/{la_public}/versions/", LA_READ_ALL, "public"),
        Case("/articles/{la_private}/versions/", LA_READ_PRIVATE, "private"),
        Case("/articles/{la_public}/versions/", by_role(
            anonymous=Redirect(
                "/accounts/login/?next=/articles/{la_public}/versions/%3Fold%3D1%26new%3D9"
            ),
            signed_in=404, ambassador=404,
        ), "unknown version", data={"old": "1", "new": "9"}),
    ]),
    Url("articles/<int:article_id>/files/", "learning:article_file_add", [
        Case("/articles/{la_public}/files/", la_public_editors(LA_PUBLIC_PAGE), "public",
             method="post"),
        Case("/articles/{la_private}/files/", la_private_editors(LA_PRIVATE_PAGE), "private",
             method="post"),
        Case("/articles/{la_public}/files/", by_role(anonymous=LOGIN, signed_in=405,
             ambassador=405), "get"),
    ]),
    Url("articles/<int:article_id>/files/<int:file_id>/", "learning:article_file", [
        Case("/articles/{la_public}/files/{la_image}/", LA_READ_ALL, "public"),
        Case("/articles/{la_private}/files/{la_private_file}/", LA_READ_PRIVATE, "private"),
        Case("/articles/{la_public}/files/{la_private_file}/",
             by_role(anonymous=LOGIN, signed_in=404, ambassador=404), "other article's"),
    ]),
    Url("articles/<int:article_id>/files/<int:file_id>/remove/",
        "learning:article_file_remove", [
        Case("/articles/{la_public}/files/{la_image}/remove/",
             la_public_editors(LA_PUBLIC_PAGE), "public", method="post"),
        Case("/articles/{la_private}/files/{la_private_file}/remove/",
             la_private_editors(LA_PRIVATE_PAGE), "private", method="post"),
    ]),
    Url("articles/<int:article_id>/coauthors/", "learning:article_coauthor_add", [
        Case("/articles/{la_public}/coauthors/", la_public_editors(LA_PUBLIC_PAGE), "public",
             method="post", data={"email": "nina@example.org"}),
        Case("/articles/{la_private}/coauthors/", la_private_editors(LA_PRIVATE_PAGE),
             "private", method="post", data={"email": "member@example.org"}),
    ]),
    Url("articles/<int:article_id>/coauthors/<int:coauthor_id>/remove/",
        "learning:article_coauthor_remove", [
        Case("/articles/{la_public}/coauthors/{la_coauthor}/remove/",
             la_public_editors(LA_PUBLIC_PAGE), "public", method="post"),
    ]),
    Url("articles/<int:article_id>/review/", "learning:article_review", [
        Case("/articles/{la_public}/review/", by_role(
            anonymous=LOGIN, signed_in=404, member=LA_PUBLIC_PAGE, coordinator=LA_PUBLIC_PAGE,
            staff=LA_PUBLIC_PAGE, ambassador=LA_PUBLIC_PAGE,
        ), "public", method="post", data={"action": "reviewed"}),
        Case("/articles/{la_private}/review/", by_role(
            anonymous=LOGIN, signed_in=404, coordinator=LA_PRIVATE_PAGE,
            ambassador=LA_PRIVATE_PAGE,
        ), "private", method="post", data={"action": "archive"}),
        Case("/articles/{la_public}/review/", by_role(
            anonymous=LOGIN, signed_in=404, member=LA_AMBASSADOR_PAGE,
            coordinator=LA_AMBASSADOR_PAGE, staff=LA_AMBASSADOR_PAGE,
            ambassador=LA_AMBASSADOR_PAGE,
        ), "from the queue", method="post",
             data={"action": "reviewed", "next": "/communities/python-gilde/ambassador/"}),
    ]),
    Url("articles/<int:article_id>/sessions/", "learning:article_sessions", [
        Case("/articles/{la_public}/sessions/", la_public_editors(LA_PUBLIC_PAGE), "public",
             method="post"),
    ]),
    Url("communities/<slug:slug>/ambassador/", "learning:ambassador_page", [
        Case("/communities/{public_slug}/ambassador/", by_role(
            anonymous=LOGIN, signed_in=404, coordinator=200, staff=200, ambassador=200,
        ), "public"),
        Case("/communities/{private_slug}/ambassador/", by_role(
            anonymous=LOGIN, signed_in=404, coordinator=200, ambassador=200,
        ), "private"),
        Case("/communities/no-such-thing/ambassador/",
             by_role(anonymous=LOGIN, signed_in=404, ambassador=404), "unknown"),
    ]),
    Url("communities/<slug:slug>/ambassador/welcome/<int:membership_id>/",
        "learning:ambassador_welcome", [
        Case("/communities/{public_slug}/ambassador/welcome/{la_newcomer}/", by_role(
            anonymous=LOGIN, signed_in=404, coordinator=LA_AMBASSADOR_PAGE,
            staff=LA_AMBASSADOR_PAGE, ambassador=LA_AMBASSADOR_PAGE,
        ), "public", method="post"),
        Case("/communities/{public_slug}/ambassador/welcome/{la_newcomer}/",
             by_role(anonymous=LOGIN, signed_in=405, ambassador=405), "get"),
    ]),
    Url("communities/<slug:slug>/ambassador/takeaways/<int:takeaway_id>/",
        "learning:ambassador_takeaway_review", [
        Case("/communities/{public_slug}/ambassador/takeaways/{public_takeaway}/", by_role(
            anonymous=LOGIN, signed_in=404, coordinator=LA_AMBASSADOR_PAGE,
            staff=LA_AMBASSADOR_PAGE, ambassador=LA_AMBASSADOR_PAGE,
        ), "public", method="post", data={"action": "reviewed"}),
        Case("/communities/{public_slug}/ambassador/takeaways/{private_takeaway}/", by_role(
            anonymous=LOGIN, signed_in=404, ambassador=404,
        ), "other community's", method="post", data={"action": "reviewed"}),
    ]),
]  # fmt: skip
MATRIX += ARTICLE_MATRIX


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
            for role in ROLES + tuple(r for r in OPTIONAL_ROLES if r in case.expect):
                params.append(pytest.param(case, role, id=f"{label}-{case.method.upper()}-{role}"))
    for prefix, cases in PREFIXES.items():
        for case in cases:
            label = f"{prefix}[{case.label}]" if case.label else prefix
            for role in ROLES:
                params.append(pytest.param(case, role, id=f"{label}-{case.method.upper()}-{role}"))
    return params


PNG_PIXEL = b"\x89PNG\r\n\x1a\n"  # served as stored; the matrix checks who may fetch it


def _person_with_a_photo():
    person = UserFactory(email="foto@example.org", display_name="Fien Foto")
    profile_photo_set(user=person, content=PNG_PIXEL, content_type="image/png")
    return person


@pytest.fixture
def world(db, member, other_user, staff, community, private_community, coordinator):
    """The objects the matrix's paths point at, and one signed-in user per role."""
    ambassador = ambassador_of(community, private_community)
    memberships = {
        "public": MembershipFactory(user=member, community=community),
        "private": MembershipFactory(user=member, community=private_community),
    }
    pending = UserFactory(email="pending@example.org", display_name="Pim Pending")
    requests = {
        key: MembershipFactory(user=pending, community=target, state=Membership.State.PENDING)
        for key, target in (("public", community), ("private", private_community))
    }
    invitations = {
        key: invitation_create(community=target, actor=coordinator, email=f"{key}@example.org")[0]
        for key, target in (("public", community), ("private", private_community))
    }
    _invitation, token = invitation_create(
        community=private_community, actor=coordinator, email=other_user.email
    )
    archived = CommunityFactory(name="Oud archief", slug="oud-archief", archived=True)
    series = {
        key: _series_with_an_occurrence(target)
        for key, target in (
            ("public", community),
            ("private", private_community),
            ("archived", archived),
        )
    }
    return {
        "users": {
            "member": member,
            "non_member": other_user,
            "pending": pending,
            "coordinator": coordinator,
            "staff": staff,
            "ambassador": ambassador,
        },
        "values": {
            "public_slug": community.slug,
            "private_slug": private_community.slug,
            "archived_slug": archived.slug,
            "membership_public": memberships["public"].pk,
            "membership_private": memberships["private"].pk,
            "request_public": requests["public"].pk,
            "request_private": requests["private"].pk,
            "invitation_public": invitations["public"].pk,
            "invitation_private": invitations["private"].pk,
            "invitation_token": token,
            "invitation_mine": _invitation.pk,
            "public_session": SessionFactory(community=community).pk,
            "private_session": SessionFactory(community=private_community).pk,
            "organisation_session": SessionFactory(community=None).pk,
            "archived_session": SessionFactory(community=archived).pk,
            "mail": OutboxMessageFactory().pk,
            "person": member.pk,  # The staff's person pages
            "photo_person": _person_with_a_photo().pk,
            "public_series": series["public"].pk,
            "private_series": series["private"].pk,
            "archived_series": series["archived"].pk,
            **_takeaway_world(member, community, private_community),
            **intervision_world(member=member, coordinator=coordinator),
            **festival_world(
                member=member, coordinator=coordinator, private_community=private_community
            ),
            **knowledge_world(
                member=member,
                coordinator=coordinator,
                community=community,
                private_community=private_community,
            ),
            **api_world(member=member, staff=staff, coordinator=coordinator, community=community),
            **learning_world(
                member=member,
                coordinator=coordinator,
                community=community,
                private_community=private_community,
            ),
            **articles_world(
                member=member,
                coordinator=coordinator,
                community=community,
                private_community=private_community,
            ),
        },
    }


def _takeaway_world(member, community, private_community) -> dict:
    """past sessions the member went to (capture), takeaways by Tess (organisation-wide
    in the public community, community-only in the private one), one by the member, a tag, and a
    person who shows what they shared."""

    tess = UserFactory(email="tess@example.org", display_name="Tess Takeaway")
    shown = UserFactory(email="shown@example.org", display_name="Sjoerd Shown")
    shown.show_contributions = True
    shown.save(update_fields=["show_contributions"])
    started = timezone.now() - timedelta(days=1)
    past = {}
    for key, target in (("public", community), ("private", private_community)):
        past[key] = SessionFactory(
            community=target, start=started, end=started + timedelta(hours=1)
        )
        RsvpFactory(session=past[key], user=member, status="going")

    def takeaway(session, author, visibility):
        return TakeawayFactory(
            session=session,
            author=author,
            owner=author,
            title=f"Learned by {author.name}",
            visibility=visibility,
            review_due=timezone.localdate() + timedelta(days=100),
        )

    public = takeaway(past["public"], tess, "organisation")
    public.tags.set(tags_from_names(["pytest"]))
    return {
        "past_public_session": past["public"].pk,
        "past_private_session": past["private"].pk,
        "public_takeaway": public.pk,
        "private_takeaway": takeaway(past["private"], tess, "community").pk,
        "member_takeaway": takeaway(past["public"], member, "community").pk,
        "tag": "pytest",
        "shown_person": shown.pk,
    }


def _series_with_an_occurrence(community) -> Series:
    occurrence = SessionFactory(community=community)
    series = SeriesFactory(
        community=community,
        rrule="FREQ=WEEKLY;INTERVAL=1;COUNT=1",
        first_start=occurrence.start,
        duration=occurrence.end - occurrence.start,
        format=occurrence.format,
        title=occurrence.title,
    )
    occurrence.series = series
    occurrence.recurrence_id = occurrence.start
    occurrence.save(update_fields=["series", "recurrence_id"])
    return series


def _request(client, world, case: Case, role: str):
    path = case.path.format(**world["values"])
    if path.startswith("/api/v1/"):
        # The API is called with a token of the role's person (every scope), as a system would.
        headers = {}
        if role != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {make_token(world['users'][role])}"
        data = case.data if case.method == "get" else json.dumps(case.data)
        kwargs = {} if case.method == "get" else {"content_type": "application/json"}
        return path, getattr(client, case.method)(path, data=data, **kwargs, **headers)
    if role != "anonymous":
        client.force_login(world["users"][role])
    return path, getattr(client, case.method)(path, data=case.data)


def _normal(location: str | None):
    """A redirect target as (path, query pairs): ``next=/a/`` and ``next=%2Fa%2F`` are equal."""
    if location is None:
        return None
    parts = urlsplit(location)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query))


def _check(response, path: str, expected, values: dict | None = None) -> None:
    if expected == HEALTH:
        payload = response.json()
        assert set(payload) == {"status", "database", "broker", "worker_last_seen", "outbox"}
        assert payload["database"] == "ok"
        assert response.status_code == (200 if payload["status"] == "ok" else 503)
        assert payload["status"] == ("ok" if payload["broker"] == "ok" else "unavailable"), payload
    elif isinstance(expected, Redirect):
        # A redirect may name the world's objects ("/intervision/sessions/{iv_session}/").
        location = expected.to.format(next=quote(path), **(values or {}))
        assert (response.status_code, _normal(response.get("Location"))) == (302, _normal(location))
    else:
        assert response.status_code == expected, response.get("Location")


@pytest.mark.parametrize(("case", "role"), _params())
def test_url_answers_role_as_the_matrix_says(client, world, case, role):
    path, response = _request(client, world, case, role)
    _check(response, path, case.expect[role], world["values"])


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
            assert resolve(path.partition("?")[0]).view_name == url.name, path


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


SEARCH_LINK = re.compile(
    r'<a href="(/(?:communities|sessions|takeaways|questions|experts)/[^"?]+)"'
)


def test_the_global_search_shows_each_role_exactly_what_it_may_see(client, world):
    """One word on things of the private and of the public community (community, upcoming
    session, takeaway, question) and on two people, only one of whom opted in: every role finds
    the public things; only the private community's members (member, coordinator) find its
    things; nobody finds the person who did not opt in; and every result is a page the role
    may open (so the search never shows more than the kind's own pages)."""
    users = world["users"]
    member, coordinator = users["member"], users["coordinator"]
    public = Community.objects.get(slug=world["values"]["public_slug"])
    private = Community.objects.get(slug=world["values"]["private_slug"])
    Community.objects.filter(pk=public.pk).update(purpose="Zeppelins voor iedereen")
    Community.objects.filter(pk=private.pk).update(purpose="Zeppelins, vertrouwelijk")
    SessionFactory(community=public, title="Zeppelin open avond")
    SessionFactory(community=private, title="Zeppelin besloten sessie")
    for target, label, visibility in (
        (public, "open", "organisation"),
        (private, "besloten", "community"),
    ):
        started = timezone.now() - timedelta(days=2)
        past = SessionFactory(community=target, start=started, end=started + timedelta(hours=1))
        TakeawayFactory(
            session=past, author=coordinator, owner=coordinator, title=f"Zeppelin {label} inzicht",
            visibility=visibility, review_due=timezone.localdate() + timedelta(days=100),
        )  # fmt: skip
        question_ask(author=member, title=f"Zeppelin {label} vraag", community=target)
    opt_in(UserFactory(display_name="Zara Zeppelin-kenner"), "Zeppelins")
    expertise_set(
        user=UserFactory(display_name="Zoe Zwijgzaam"), topics="Zeppelins", listed=False,
        show_evidence=True, route_questions=True, mail_questions=False,
    )  # fmt: skip
    shared = ["Python-gilde", "Zeppelin open avond", "Zeppelin open inzicht",
              "Zeppelin open vraag", "Zara Zeppelin-kenner"]  # fmt: skip
    private_things = ["Security Champions", "Zeppelin besloten sessie",
                      "Zeppelin besloten inzicht", "Zeppelin besloten vraag"]  # fmt: skip
    everything = [*shared, *private_things, "Zoe Zwijgzaam"]
    expected = {
        "member": shared + private_things,
        "coordinator": shared + private_things,
        "non_member": shared,
        "pending": shared,
        "staff": shared,
    }
    assert client.get("/search/?q=zeppelin").status_code == 302  # anonymous: to the login
    for role in SIGNED_IN:
        client.force_login(users[role])
        page = client.get("/search/?q=zeppelin", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        found = [text for text in everything if text in page]
        assert found == expected[role], role
        for link in sorted(set(SEARCH_LINK.findall(page))):
            assert client.get(link).status_code == 200, (role, link)
