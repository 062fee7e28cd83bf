"""An intervision group of six (facilitator Fleur + five members) and helpers to schedule."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community
from events.sessions.services.scheduling import SessionDetails
from intervision.catalogue import load_catalogue
from intervision.models import Method, Phase
from intervision.services.groups import agreement_accept
from intervision.services.scheduling import intervision_schedule
from tests.factories import IntervisionGroupFactory, MembershipFactory, UserFactory

# New for every run: the WAL scan of the shredding test reads the whole server's log, which
# holds what other test runs on the same server wrote.
CANARY = f"KANARIE-{secrets.token_hex(6)}-Jansen-Dossier"


@dataclass
class Group:
    community: Community
    facilitator: object
    members: list  # every member, the facilitator first

    def schedule(self, *, days: float = 14, method: str = "kollegiale-beratung", **roles):
        start = timezone.now() + timedelta(days=days)
        details = SessionDetails(
            title="Intervisie",
            format="intervision",
            start=start,
            end=start + timedelta(hours=2),
            location="Spreekkamer 3",
        )
        return intervision_schedule(
            group=self.community,
            actor=self.facilitator,
            details=details,
            method_id=Method.objects.get(code=method, group=None).pk,
            **roles,
        )


def ensure_catalogue() -> None:
    """The data migration's methods; a transactional test's flush removes them, so put them
    back (load_catalogue is idempotent)."""

    if not Method.objects.filter(group=None).exists():
        load_catalogue(Method, Phase)


def make_group(name="Intervisie Zorg", slug="intervisie-zorg", size=6) -> Group:
    ensure_catalogue()
    community = IntervisionGroupFactory(name=name, slug=slug)
    people = []
    for index in range(size):
        person = UserFactory(
            email=f"{slug}-{index}@example.org",
            display_name=["Fleur", "Bas", "Cas", "Dewi", "Eva", "Finn", "Gijs", "Hana", "Ivo"][
                index
            ],
        )
        MembershipFactory(
            user=person,
            community=community,
            role="facilitator" if index == 0 else "member",
            joined_at=timezone.now() - timedelta(days=100 - index),
        )
        agreement_accept(group=community, user=person)
        people.append(person)
    return Group(community=community, facilitator=people[0], members=people)


@pytest.fixture(autouse=True)
def catalogue(request):
    """Every database test here starts with the method catalogue in place."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("db")
        ensure_catalogue()


@pytest.fixture
def group(db):
    return make_group()
