"""SCIM 2.0 at /scim/v2/ with the shapes Entra ID, Okta and Keycloak send: provisioning, the
lifecycle (the same deactivation staff run), groups filling linked communities, and safety."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership, MembershipEvent, User
from directory.models import CommunityLink, DeprovisionHold, DirectoryAccount
from directory.services.links import community_link_create
from directory.services.people import _with_address
from directory.services.tokens import directory_token_revoke
from events.models import Rsvp
from intervision.permissions import leads_group
from tests.api.conftest import make_token
from tests.directory import shapes
from tests.directory.conftest import ScimClient
from tests.factories import (
    CommunityFactory,
    IntervisionGroupFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _create(scim, upn="fenna@example.org", object_id="00aa-1", **kwargs) -> str:
    response = scim.post("Users", shapes.entra_create_user(upn, object_id, **kwargs))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _group(scim, name="Finance", object_id="g-fin") -> str:
    response = scim.post("Groups", shapes.entra_create_group(name, object_id))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_without_a_directory_token_every_endpoint_answers_401(token, staff):
    anonymous = ScimClient("")
    with_api_token = ScimClient(make_token(staff))
    for client in (anonymous, with_api_token):
        for path in ("Users", "Groups", "ServiceProviderConfig", "Schemas", "ResourceTypes"):
            response = client.get(path)
            assert response.status_code == 401
            assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_a_revoked_token_or_one_whose_maker_left_staff_stops_working(scim, token, staff):
    assert scim.get("Users").status_code == 200
    staff.is_staff = False
    staff.save(update_fields=["is_staff"])
    assert scim.get("Users").status_code == 401
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    directory_token_revoke(actor=staff, token_id=token.token.pk)
    assert scim.get("Users").status_code == 401


def test_discovery_describes_users_with_the_enterprise_extension_and_groups(scim):
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"] == {"supported": True}
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["etag"] == {"supported": True}
    assert config["bulk"]["supported"] is False
    types = scim.get("ResourceTypes").json()
    assert [item["id"] for item in types["Resources"]] == ["User", "Group"]
    assert types["Resources"][0]["schemaExtensions"] == [
        {"schema": shapes.ENTERPRISE, "required": False}
    ]
    ids = [item["id"] for item in scim.get("Schemas").json()["Resources"]]
    assert ids == [shapes.USER, shapes.ENTERPRISE, shapes.GROUP]
    assert scim.get(f"Schemas/{shapes.GROUP}").json()["name"] == "Group"
    assert scim.get("Schemas/nope").status_code == 404


def test_entra_provisions_a_person_before_their_first_login(scim):
    pk = _create(scim)
    user = User.objects.get(pk=pk)
    assert (user.email, user.display_name, user.language, user.team) == (
        "fenna@example.org",
        "Fenna de Vries",
        "en",
        "Finance",
    )
    assert user.is_active and not user.is_staff and not user.has_usable_password()
    account = DirectoryAccount.objects.get(user=user)
    assert (account.external_id, account.given_name, account.manager) == ("00aa-1", "Fenna", "m-1")
    body = scim.get(f"Users/{pk}").json()
    assert body["userName"] == "fenna@example.org"
    # Entra leaves out the manager's $ref that RFC 7643 requires: it is filled in.
    assert body[shapes.ENTERPRISE] == {
        "department": "Finance",
        "manager": {"value": "m-1", "$ref": "http://testserver/scim/v2/Users/m-1"},
    }
    assert body["meta"]["location"] == f"http://testserver/scim/v2/Users/{pk}"
    # Entra looks people up before it creates them.
    found = scim.get('Users?filter=userName eq "FENNA@example.org"').json()
    assert (found["totalResults"], found["Resources"][0]["id"]) == (1, pk)
    assert scim.get('Users?filter=externalId eq "00aa-1"').json()["totalResults"] == 1
    assert scim.get('Users?filter=userName sw "fen"').json()["totalResults"] == 1
    assert scim.get('Users?filter=displayName co "de Vr"').json()["totalResults"] == 1
    assert scim.get('Users?filter=userName eq "nobody@example.org"').json()["totalResults"] == 0
    # The same address again is a conflict, as SCIM says.
    again = scim.post("Users", shapes.entra_create_user("fenna@example.org", "00aa-2"))
    assert (again.status_code, again.json()["scimType"]) == (409, "uniqueness")


def test_entra_patch_replace_without_path_and_with_a_filtered_path(scim):
    pk = _create(scim)
    response = scim.patch(f"Users/{pk}", shapes.ENTRA_REPLACE_NO_PATH)
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=pk)
    assert (user.display_name, user.team) == ("Fenna van Dijk", "Audit")
    assert DirectoryAccount.objects.get(user=user).family_name == "van Dijk"
    response = scim.patch(f"Users/{pk}", shapes.ENTRA_REPLACE_EMAIL)
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.email == "fenna.dijk@example.org"
    assert DirectoryAccount.objects.get(user=user).external_id == "00aa-new"


def test_active_false_runs_the_staff_deactivation_and_true_restores_the_account_only(scim):
    pk = _create(scim)
    user = User.objects.get(pk=pk)
    community = CommunityFactory()
    MembershipFactory(user=user, community=community)
    session = SessionFactory(community=community, start=timezone.now() + timedelta(days=3))
    Rsvp.objects.create(session=session, user=user, status="going")
    response = scim.patch(f"Users/{pk}", shapes.ENTRA_DISABLE)
    assert (response.status_code, response.json()["active"]) == (200, False)
    user.refresh_from_db()
    assert (user.is_active, user.deactivated_at is not None) == (False, True)
    membership = Membership.objects.get(user=user, community=community)
    assert membership.state == Membership.State.LEFT
    assert membership.events.order_by("-pk").first().kind == MembershipEvent.Kind.REMOVED
    assert list(Rsvp.objects.filter(user=user).values_list("status", flat=True)) != ["going"]
    assert LogEntry.objects.filter(additional_data__event="person.deactivate").count() == 1
    # Entra sends it again (it retries): nothing more happens.
    assert scim.patch(f"Users/{pk}", shapes.ENTRA_DISABLE).status_code == 200
    assert LogEntry.objects.filter(additional_data__event="person.deactivate").count() == 1
    response = scim.patch(f"Users/{pk}", shapes.ENTRA_ENABLE)
    assert (response.status_code, response.json()["active"]) == (200, True)
    user.refresh_from_db()
    assert (user.is_active, user.deactivated_at) == (True, None)
    assert not Rsvp.objects.filter(user=user, status="going").exists()


def test_okta_put_with_active_false_deactivates_and_a_delete_hides_the_person(scim):
    response = scim.post("Users", shapes.okta_user("okke@example.org"))
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    user = User.objects.get(pk=pk)
    assert (user.language, user.display_name, user.has_usable_password()) == (
        "nl",
        "Okke Jansen",
        False,
    )
    response = scim.put(f"Users/{pk}", shapes.okta_user("okke@example.org", active=False))
    assert (response.status_code, response.json()["active"]) == (200, False)
    assert User.objects.get(pk=pk).is_active is False
    assert scim.delete(f"Users/{pk}").status_code == 204
    assert scim.get(f"Users/{pk}").status_code == 404
    assert User.objects.filter(pk=pk).exists()  # deactivated, not erased
    # Provisioned again later: the same account comes back.
    response = scim.post("Users", shapes.okta_user("okke@example.org"))
    assert (response.status_code, response.json()["id"]) == (201, pk)
    assert User.objects.get(pk=pk).is_active is True


def test_keycloak_user_and_group_with_members(scim):
    response = scim.post("Users", shapes.keycloak_user("kees", "kees@example.org"))
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert User.objects.get(pk=pk).email == "kees@example.org"
    assert scim.get('Users?filter=userName eq "kees"').json()["totalResults"] == 1
    community = CommunityFactory(join_policy="invite")
    CommunityLink.objects.create(community=community, group_name="engineering")
    response = scim.post("Groups", shapes.keycloak_group("engineering", [pk]))
    assert response.status_code == 201, response.content
    assert response.json()["members"][0]["value"] == pk
    assert Membership.objects.get(user_id=pk, community=community).state == "active"


def test_group_members_fill_linked_communities_and_leaving_the_group_is_leaving(scim, staff):
    linked = CommunityFactory(name="Finance guild", join_policy="approval")
    coordinated = CommunityFactory(name="Finance leads")
    unlinked = CommunityFactory(name="Own rules")
    lead = UserFactory()
    MembershipFactory(user=lead, community=coordinated, role="coordinator")
    community_link_create(actor=staff, community=linked, group_name="g-fin", role="member")
    community_link_create(
        actor=staff, community=coordinated, group_name="Leads", role="coordinator"
    )
    alice, bob = _create(scim, "alice@example.org", "a"), _create(scim, "bob@example.org", "b")
    finance, leads = _group(scim, "Finance", "g-fin"), _group(scim, "Leads", "g-leads")
    for pk in (alice, bob):
        assert scim.patch(f"Groups/{finance}", shapes.entra_add_member(pk)).status_code == 200
    assert scim.patch(f"Groups/{leads}", shapes.entra_add_member(alice)).status_code == 200
    active = Membership.objects.filter(state="active")
    assert sorted(active.filter(community=linked).values_list("user_id", flat=True)) == sorted(
        [int(alice), int(bob)]
    )
    assert active.get(community=coordinated, user_id=alice).role == "coordinator"
    assert not Membership.objects.filter(community=unlinked).exists()
    # Removal by value (Entra), then by a filter path (Okta): the same path as leaving.
    assert scim.patch(f"Groups/{finance}", shapes.entra_remove_member(bob)).status_code == 200
    left = Membership.objects.get(community=linked, user_id=bob)
    assert left.state == "left"
    assert left.events.order_by("-pk").first().kind == MembershipEvent.Kind.LEFT
    response = scim.patch(f"Groups/{leads}", shapes.okta_group_remove_filter(alice))
    assert response.status_code == 200, response.content
    assert Membership.objects.get(community=coordinated, user_id=alice).state == "left"
    # Members SCIM cannot see (staff, unknown ids) are refused, never added.
    response = scim.patch(f"Groups/{finance}", shapes.entra_add_member(str(staff.pk)))
    assert (response.status_code, response.json()["scimType"]) == (400, "invalidValue")
    assert not Membership.objects.filter(user=staff).exists()
    assert scim.get(f"Groups/{finance}?excludedAttributes=members").json().get("members") is None
    found = scim.get('Groups?filter=displayName eq "Finance"&excludedAttributes=members').json()
    assert (found["totalResults"], found["Resources"][0]["id"]) == (1, finance)
    assert scim.delete(f"Groups/{finance}").status_code == 204
    assert Membership.objects.get(community=linked, user_id=alice).state == "left"


def test_a_coordinators_link_on_an_intervision_group_makes_facilitators(scim, staff):
    """An intervision group is led by facilitators (its founder becomes one), so a coordinators
    group linked to it gives that role; a community of practice keeps coordinators."""
    circle = IntervisionGroupFactory(name="Intervisie Noord")
    practice = CommunityFactory(name="Finance leads")
    MembershipFactory(user=UserFactory(), community=circle, role="facilitator")
    for community in (circle, practice):
        community_link_create(
            actor=staff, community=community, group_name="Leads", role="coordinator"
        )
    alice = _create(scim, "alice@example.org", "a")
    leads = _group(scim, "Leads", "g-leads")
    assert scim.patch(f"Groups/{leads}", shapes.entra_add_member(alice)).status_code == 200
    roles = dict(
        Membership.objects.filter(user_id=alice, state="active").values_list(
            "community__name", "role"
        )
    )
    assert roles == {"Intervisie Noord": "facilitator", "Finance leads": "coordinator"}
    assert leads_group(User.objects.get(pk=alice), circle) is True
    response = scim.patch(f"Groups/{leads}", shapes.okta_group_remove_filter(alice))
    assert response.status_code == 200, response.content
    assert Membership.objects.get(community=circle, user_id=alice).state == "left"


def test_the_directory_never_makes_or_touches_staff(scim, staff):
    payload = shapes.okta_user("new@example.org")
    payload["roles"] = [{"value": "staff", "primary": True}]
    payload["isStaff"] = True
    response = scim.post("Users", payload)
    assert response.status_code == 201, response.content
    made = User.objects.get(pk=response.json()["id"])
    assert (made.is_staff, made.is_superuser) == (False, False)
    assert scim.get(f"Users/{staff.pk}").status_code == 404
    assert scim.patch(f"Users/{staff.pk}", shapes.ENTRA_DISABLE).status_code == 404
    assert scim.delete(f"Users/{staff.pk}").status_code == 404
    conflict = scim.post("Users", shapes.okta_user(staff.email))
    assert conflict.status_code == 409
    staff.refresh_from_db()
    assert (staff.is_active, staff.is_staff) == (True, True)
    listed = [item["id"] for item in scim.get("Users").json()["Resources"]]
    assert str(staff.pk) not in listed


def test_bulk_deprovisioning_over_the_share_waits_for_staff(scim, staff, settings, client):
    settings.DIRECTORY_DEPROVISION_MINIMUM = 2
    settings.DIRECTORY_DEPROVISION_SHARE = 0.0
    ids = [_create(scim, f"p{n}@example.org", f"x{n}") for n in range(4)]
    for pk in ids:
        assert scim.patch(f"Users/{pk}", shapes.ENTRA_DISABLE).status_code == 200
    states = [User.objects.get(pk=pk).is_active for pk in ids]
    assert states == [False, False, True, True]
    holds = DeprovisionHold.objects.filter(state="pending").order_by("pk")
    assert [str(hold.user_id) for hold in holds] == ids[2:]
    assert scim.patch(f"Users/{ids[2]}", shapes.ENTRA_DISABLE).status_code == 200
    assert DeprovisionHold.objects.count() == 2  # asking again holds nothing twice
    client.force_login(staff)
    page = client.get("/organisation/directory/")
    assert page.status_code == 200
    assert page.content.decode().count("/confirm/") == 2
    hold = holds.first()
    confirmed = client.post(f"/organisation/directory/holds/{hold.pk}/confirm/")
    assert (confirmed.status_code, confirmed["Location"]) == (302, "/organisation/directory/")
    hold.refresh_from_db()
    assert (hold.state, hold.decided_by) == ("confirmed", staff)
    assert User.objects.get(pk=ids[2]).is_active is False
    last = DeprovisionHold.objects.get(state="pending")
    assert last.user_id == int(ids[3])
    assert client.post(f"/organisation/directory/holds/{last.pk}/discard/").status_code == 302
    assert User.objects.get(pk=ids[3]).is_active is True
    assert DeprovisionHold.objects.filter(state="pending").count() == 0


def test_etags_pagination_and_errors(scim):
    ids = [_create(scim, f"e{n}@example.org", f"e{n}") for n in range(3)]
    first = scim.get(f"Users/{ids[0]}")
    etag = first["ETag"]
    assert first.json()["meta"]["version"] == etag
    assert scim.get(f"Users/{ids[0]}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    stale = scim.patch(f"Users/{ids[0]}", shapes.ENTRA_REPLACE_NO_PATH, HTTP_IF_MATCH='W/"old"')
    assert stale.status_code == 412
    assert (
        scim.patch(f"Users/{ids[0]}", shapes.ENTRA_REPLACE_NO_PATH, HTTP_IF_MATCH=etag).status_code
        == 200
    )
    page = scim.get("Users?startIndex=2&count=1").json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["id"] == ids[1]
    empty = scim.get("Users?count=0").json()
    assert (empty["totalResults"], empty["itemsPerPage"]) == (3, 0)
    bad = scim.get("Users?filter=userName eq")
    assert (bad.status_code, bad.json()["scimType"]) == (400, "invalidFilter")
    assert scim.post("Users", "{not json").status_code == 400
    assert scim.post("Users", {"schemas": [shapes.USER]}).status_code == 400
    assert scim.get("Users/999999").status_code == 404
    assert scim.get("Users/abc").status_code == 404
    assert scim.get("Groups/not-a-uuid").status_code == 404
    assert scim.get("Bulk").status_code == 404


def test_calls_are_throttled_per_token_and_every_call_is_audited(scim, settings, token):
    settings.DIRECTORY_SCIM_REQUESTS_PER_MINUTE = 3
    statuses = [scim.get("Users").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    entries = LogEntry.objects.filter(additional_data__event="directory.scim")
    assert entries.count() == 3
    assert entries.first().additional_data["detail"] == "GET /scim/v2/Users 200"
    assert token.secret not in str(list(entries.values()))
    token.token.refresh_from_db()
    assert token.token.last_used_at is not None


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured.captured_queries)


def test_lists_make_the_same_number_of_queries_for_one_and_many(scim, staff, client):
    first = _create(scim, "q0@example.org", "q0")
    group = _group(scim)
    scim.patch(f"Groups/{group}", shapes.entra_add_member(first))
    one = (_queries(lambda: scim.get("Users")), _queries(lambda: scim.get("Groups")))
    client.force_login(staff)
    page_one = _queries(lambda: client.get("/organisation/directory/"))
    for n in range(1, 6):
        pk = _create(scim, f"q{n}@example.org", f"q{n}")
        scim.patch(f"Groups/{group}", shapes.entra_add_member(pk))
        scim.post("Groups", shapes.entra_create_group(f"Team {n}", f"t{n}"))
        community_link_create(
            actor=staff, community=CommunityFactory(), group_name=f"t{n}", role="member"
        )
    many = (_queries(lambda: scim.get("Users")), _queries(lambda: scim.get("Groups")))
    assert many == one
    assert _queries(lambda: client.get("/organisation/directory/")) == page_one


def test_looking_up_a_person_by_address_uses_the_case_insensitive_unique_index():
    """Provisioning looks up each address twice; compared as ``LOWER(email)`` the lookup is an
    index scan of ``user_email_ci_unique``, where ``email__iexact`` (``UPPER``) cannot use any
    index and reads every person for every call (with sequential scans off, it still does)."""
    UserFactory(email="fenna@example.org")
    people = _with_address(User.objects.all(), "fenna@example.org")
    assert list(people.values_list("email", flat=True)) == ["fenna@example.org"]
    sql, params = people.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        upper_sql, upper_params = User.objects.filter(
            email__iexact="x@y.org"
        ).query.sql_with_params()
        cursor.execute(f"EXPLAIN {upper_sql}", upper_params)
        upper_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "user_email_ci_unique" in plan
    assert "Seq Scan" in upper_plan
