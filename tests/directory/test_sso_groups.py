"""Single sign-on and the directory: a provisioned person's first login is matched to their
account by the directory's id (``oid``), and the ``groups`` claim fills linked communities
as SCIM groups do, for organisations without SCIM. A real OpenID Connect provider signs in."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache

from communities.models import Membership, MembershipEvent, User
from communities.services.organisation import organisation_update
from directory.models import CommunityLink, DirectoryGroupMember
from directory.services.groups import groups_claim_apply
from tests.communities.test_sso import TENANT, signed_in, sso_login
from tests.directory import shapes
from tests.factories import CommunityFactory, MembershipFactory, StaffFactory, UserFactory
from tests.oidc_provider.process import CALLBACK, OidcProvider

PEOPLE = [
    {
        "username": "fenna",
        "password": "fenna-at-the-idp-1",
        "claims": {
            # Another address than the directory gave: the object id matches her.
            "email": "f.devries@kennis.example",
            "email_verified": True,
            "name": "Fenna",
            "tid": TENANT,
            "oid": "00aa-fenna",
            "groups": ["g-fin", "unlinked-group"],
        },
    },
]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    server = OidcProvider(
        workdir=tmp_path_factory.mktemp("oidc-groups"), people=PEOPLE, redirect_uris=[CALLBACK]
    ).start()
    yield server
    server.stop()


@pytest.fixture
def sso(db, provider):
    cache.clear()
    organisation_update(
        actor=StaffFactory(email="beheer@kennis.example"),
        changes={
            "sso_issuer": provider.issuer,
            "sso_client_id": provider.client_id,
            "sso_client_secret": provider.client_secret,
            "sso_allowed_tenants": [TENANT],
            "allowed_signup_domains": ["kennis.example"],
        },
    )
    yield provider
    cache.clear()


def test_first_login_is_matched_on_the_directory_id_and_the_groups_claim_fills_communities(
    client, sso, scim
):
    finance = CommunityFactory(name="Finance", join_policy="invite")
    untouched = CommunityFactory(name="Own rules")
    CommunityLink.objects.create(community=finance, group_name="g-fin")
    response = scim.post("Users", shapes.entra_create_user("fenna@kennis.example", "00aa-fenna"))
    assert response.status_code == 201, response.content
    fenna = User.objects.get(pk=response.json()["id"])
    users_before = User.objects.count()

    answer = sso_login(client, sso, "fenna")

    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert signed_in(client) == fenna.pk
    assert User.objects.count() == users_before
    assert list(SocialAccount.objects.values_list("user_id", flat=True)) == [fenna.pk]
    membership = Membership.objects.get(user=fenna, community=finance)
    assert (membership.state, membership.role) == ("active", "member")
    assert not Membership.objects.filter(community=untouched).exists()
    groups = DirectoryGroupMember.objects.filter(user=fenna).values_list(
        "group__display_name", flat=True
    )
    assert sorted(groups) == ["g-fin", "unlinked-group"]


def test_a_group_gone_from_the_claim_is_leaving_the_linked_community(db):
    person = UserFactory()
    staff = StaffFactory()
    finance = CommunityFactory(name="Finance")
    leads = CommunityFactory(name="Leads")
    MembershipFactory(user=UserFactory(), community=leads, role="coordinator")
    CommunityLink.objects.create(community=finance, group_name="g-fin")
    CommunityLink.objects.create(community=leads, group_name="g-leads", role="coordinator")
    groups_claim_apply(user=person, names=["g-fin", "g-leads"])
    roles = dict(
        Membership.objects.filter(user=person, state="active").values_list(
            "community__name", "role"
        )
    )
    assert roles == {"Finance": "member", "Leads": "coordinator"}
    groups_claim_apply(user=person, names=["g-leads"])
    ended = Membership.objects.get(user=person, community=finance)
    assert ended.state == "left"
    assert ended.events.order_by("-pk").first().kind == MembershipEvent.Kind.LEFT
    # The same claim again changes nothing; staff are never changed by a claim.
    events = MembershipEvent.objects.count()
    groups_claim_apply(user=person, names=["g-leads"])
    groups_claim_apply(user=staff, names=["g-fin"])
    assert MembershipEvent.objects.count() == events
    assert not Membership.objects.filter(user=staff).exists()
