"""Malformed SCIM bodies, paths and query strings never give a server error (rule 8): the
answer is a SCIM error (4xx) or a success, and nothing half-written stays behind."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.directory import shapes

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "schemas",
        "userName",
        "emails",
        "active",
        "name",
        "displayName",
        "externalId",
        "members",
        "Operations",
        "op",
        "path",
        "value",
        shapes.ENTERPRISE,
        "preferredLanguage",
    ]
)
SCIM_LIKE = st.dictionaries(KEYS, JSON, max_size=6)
OPERATION = st.fixed_dictionaries(
    {
        "op": st.sampled_from(["add", "Replace", "remove", "move", "", "ADD"]),
        "path": st.sampled_from(
            [
                "active",
                "members",
                'members[value eq "1"]',
                "emails[type eq",
                "name.givenName",
                f"{shapes.ENTERPRISE}:department",
                "",
                "x.y.z",
            ]
        ),
        "value": JSON,
    }
)
PATCHES = st.builds(
    lambda ops: {"schemas": [shapes.PATCH], "Operations": ops}, st.lists(OPERATION, max_size=3)
)
FILTERS = st.text(max_size=40) | st.sampled_from(
    ['userName eq "', "userName eq 5", 'id eq "x"', "emails[", "not (", 'x co "y"', "active eq 7"]
)

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _ok(response):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and response.status_code != 405:
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


@SETTINGS
@given(body=SCIM_LIKE | JSON)
def test_malformed_creations_never_fail_the_server(scim, body):
    for path in ("Users", "Groups", "Users/.search", "Groups/.search"):
        _ok(scim.post(path, json.dumps(body)))


@SETTINGS
@given(body=PATCHES | SCIM_LIKE, replacement=SCIM_LIKE)
def test_malformed_patches_and_replacements_never_fail_the_server(scim, body, replacement):
    person = scim.post("Users", shapes.okta_user("fuzz@example.org"))
    pk = (
        person.json()["id"]
        if person.status_code == 201
        else scim.get('Users?filter=userName eq "fuzz@example.org"').json()["Resources"][0]["id"]
    )
    group = scim.post("Groups", shapes.keycloak_group("fuzzers", [pk]))
    key = (
        group.json()["id"]
        if group.status_code == 201
        else scim.get('Groups?filter=displayName eq "fuzzers"').json()["Resources"][0]["id"]
    )
    _ok(scim.patch(f"Users/{pk}", json.dumps(body)))
    _ok(scim.put(f"Users/{pk}", json.dumps(replacement)))
    _ok(scim.patch(f"Groups/{key}", json.dumps(body)))
    _ok(scim.put(f"Groups/{key}", json.dumps(replacement)))


@SETTINGS
@given(
    text=FILTERS, start=st.text(max_size=6), count=st.text(max_size=6), raw=st.binary(max_size=40)
)
def test_malformed_queries_and_bytes_never_fail_the_server(scim, text, start, count, raw):
    query = {"filter": text, "startIndex": start, "count": count}
    for path in ("Users", "Groups"):
        response = scim.client.get(f"/scim/v2/{path}", query, **scim.headers)
        _ok(response)
        _ok(scim.post(path, raw))
