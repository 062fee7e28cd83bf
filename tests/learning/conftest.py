"""A team for workplace learning: the Wijkteam community with its coordinator Cora, a newcomer
Nina, her buddy Bob and her supervisor Sara (all members), and Otto from outside."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from communities.models import User
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


@dataclass
class Team:
    community: object
    cora: User
    nina: User
    bob: User
    sara: User
    otto: User


@pytest.fixture
def team(db) -> Team:
    community = CommunityFactory(name="Wijkteam Noord", slug="wijkteam-noord")
    cora = UserFactory(email="cora@example.org", display_name="Cora Coördinator", language="en")
    nina = UserFactory(email="nina@example.org", display_name="Nina Nieuw", team="Noord")
    bob = UserFactory(email="bob@example.org", display_name="Bob Buddy", team="Noord")
    sara = UserFactory(email="sara@example.org", display_name="Sara Supervisor", language="en")
    otto = UserFactory(email="otto@example.org", display_name="Otto Outside")
    MembershipFactory(user=cora, community=community, role="coordinator")
    for person in (nina, bob, sara):
        MembershipFactory(user=person, community=community)
    return Team(community, cora, nina, bob, sara, otto)


@pytest.fixture(autouse=True)
def dutch():
    """Messages raised outside a request speak the default language (Dutch), whatever an earlier
    test in the same worker left active."""
    with translation.override("nl"):
        yield
