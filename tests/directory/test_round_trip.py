"""The round trip with a real SCIM client (scim2-client) against the live server: 100 people
and 5 groups linked to communities, 10 people moved between groups, 5 deactivated (the issue's
200/20/10 at half scale, to stay within a minute on a shared machine); the memberships, seats,
calendar CANCELs and the intervision rota come out exactly as expected."""

from datetime import timedelta

import httpx2
import pytest
from django.utils import timezone
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import (
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    PatchOp,
    PatchOperation,
    User,
)

from communities.mail.models import OutboxMessage
from communities.models import Membership
from directory.models import CommunityLink
from directory.services.tokens import directory_token_create
from events.models import Rsvp
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import SessionDetails, session_create
from intervision.models import IntervisionSession
from tests.factories import (
    CommunityFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

PEOPLE, GROUPS = 100, 5
ScimUser = User[EnterpriseUser]


def _patch(op: str, ids: list[str]) -> PatchOp[Group]:
    return PatchOp[Group](
        operations=[
            PatchOperation[Group](
                op=op, path="members", value=[GroupMember(value=pk) for pk in ids]
            )
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_a_hundred_people_five_groups_ten_moved_five_deactivated(live_server):
    secret = directory_token_create(actor=StaffFactory(), name="Entra ID").secret
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    scim = SyncSCIMClient(http)
    scim.discover()

    # Five communities, each with a coordinator staff appointed; the first is private.
    communities = [
        CommunityFactory(name="Financiën", visibility="private", join_policy="invite"),
        CommunityFactory(name="Juridisch"),
        CommunityFactory(name="ICT"),
        CommunityFactory(name="HR"),
        IntervisionGroupFactory(name="Intervisie Noord"),
    ]
    leads = []
    for community in communities:
        lead = UserFactory()
        role = "facilitator" if community.is_intervision else "coordinator"
        MembershipFactory(user=lead, community=community, role=role)
        leads.append(lead)
        CommunityLink.objects.create(community=community, group_name=f"g-{community.pk}")

    ids = []
    for n in range(PEOPLE):
        made = scim.create(
            ScimUser(
                user_name=f"p{n:03d}@gemeente.example",
                external_id=f"oid-{n:03d}",
                display_name=f"Persoon {n:03d}",
                emails=[Email(value=f"p{n:03d}@gemeente.example", primary=True, type="work")],
                active=True,
            )
        )
        ids.append(made.id)
    per_group = PEOPLE // GROUPS
    groups = []
    for index, community in enumerate(communities):
        members = ids[index * per_group : (index + 1) * per_group]
        made = scim.create(
            Group(
                display_name=community.name,
                external_id=f"g-{community.pk}",
                members=[GroupMember(value=pk) for pk in members],
            )
        )
        groups.append(made.id)
    active = Membership.objects.filter(state="active", role="member")
    assert [active.filter(community=c).count() for c in communities] == [20, 20, 20, 20, 20]

    # A session of the private community: 15 seats, the first 18 of its people answer.
    finance = communities[0]
    start = timezone.now() + timedelta(days=7)
    session = session_create(
        community=finance,
        actor=leads[0],
        details=SessionDetails(
            title="Jaarrekening", format="brown_bag", start=start, end=start + timedelta(hours=1),
            timezone="Europe/Amsterdam", location="Zaal 2", capacity=15, description="",
        ),
    )  # fmt: skip
    people = {str(m.user_id): m.user for m in Membership.objects.select_related("user")}
    for pk in ids[:18]:
        rsvp_set(session_id=session.pk, user=people[pk], status="going")
    assert Rsvp.objects.filter(session=session, status="going").count() == 15
    # A session of a public community the leavers-to-be go to; an intervision rota.
    legal = communities[1]
    legal_session = session_create(
        community=legal,
        actor=leads[1],
        details=SessionDetails(
            title="Wetswijziging", format="brown_bag", start=start, end=start + timedelta(hours=1),
            timezone="Europe/Amsterdam", location="Zaal 3", capacity=100, description="",
        ),
    )  # fmt: skip
    for pk in ids[20:24]:
        rsvp_set(session_id=legal_session.pk, user=people[pk], status="going")
    presenter = people[ids[80]]
    isession = IntervisionSessionFactory(
        group=communities[4], presenter=presenter,
        session__start=start, session__end=start + timedelta(hours=2),
    )  # fmt: skip

    # Ten move from Financiën to Juridisch, as Entra sends it: remove, then add.
    moved = ids[:10]
    scim.modify(Group, groups[0], _patch("remove", moved))
    scim.modify(Group, groups[1], _patch("add", moved))
    # Five are deactivated: four of Juridisch, the intervision presenter.
    leavers = [*ids[20:24], ids[80]]
    for pk in leavers:
        scim.modify(
            ScimUser,
            pk,
            PatchOp[ScimUser](
                operations=[PatchOperation[ScimUser](op="replace", path="active", value=False)]
            ),
        )

    counts = [active.filter(community=c).count() for c in communities]
    assert counts == [10, 20 + 10 - 4, 20, 20, 19]
    assert set(active.filter(community=finance).values_list("user_id", flat=True)) == {
        int(pk) for pk in ids[10:20]
    }
    # Seats: the ten who moved out of the private community lost theirs; the five on
    # the waitlist moved up.
    going = set(
        Rsvp.objects.filter(session=session, status="going").values_list("user_id", flat=True)
    )
    assert going == {int(pk) for pk in ids[10:18]}
    assert not Rsvp.objects.filter(session=session, status="waitlisted").exists()
    assert not Rsvp.objects.filter(
        session=legal_session, status="going", user_id__in=leavers
    ).exists()
    # Calendar: a CANCEL for each who lost a seat in the private community (10) and each
    # deactivated person who was going to the legal session (4); nobody else.
    cancels = OutboxMessage.objects.filter(calendar_method="CANCEL")
    assert sorted(cancels.values_list("recipient_id", flat=True)) == sorted(
        int(pk) for pk in [*moved, *ids[20:24]]
    )
    # The rota: the deactivated presenter is replaced by someone still in the group.
    isession = IntervisionSession.objects.get(pk=isession.pk)
    assert isession.presenter_id not in (None, presenter.pk)
    assert (
        Membership.objects.get(user=isession.presenter, community=communities[4]).state == "active"
    )
    assert sum(1 for pk in leavers if not people[pk].__class__.objects.get(pk=pk).is_active) == 5
