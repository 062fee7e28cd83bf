"""What a person's directory groups mean for the linked communities: membership, the
coordinator role, leaving. Only communities with a staff link are ever touched."""

from django.db import transaction

from communities.errors import DomainError
from communities.models import Community, Membership, User
from communities.permissions import LEAD_ROLES
from communities.services.memberships import membership_leave, membership_provision
from directory.models import CommunityLink
from directory.selectors import user_group_keys


def _lead_role(community: Community) -> str:
    """A coordinators link gives the role the community leads with: an intervision group's
    leads are its facilitators (as its founder is made), every other community's coordinators."""
    if community.is_intervision:
        return Membership.Role.FACILITATOR
    return Membership.Role.COORDINATOR


def memberships_reconcile(
    *, user: User, communities: list[Community], actor: User | None
) -> list[str]:
    """Bring ``user``'s memberships of ``communities`` (those a changed group is linked to) in
    line with their groups: in a linked group → a member (a coordinators group: a
    coordinator, in an intervision group a facilitator); in none any more → they leave, as if
    they left themselves (the last coordinator stays: that refusal is returned, not raised). A community without a link, an
    archived one and a deactivated person are left alone. Transaction: one per community
    (each membership change is its own service call). Idempotent. Returns what was refused."""
    if not user.is_active or not communities:
        return []
    keys = user_group_keys(user)
    by_community: dict[int, list[CommunityLink]] = {}
    for link in CommunityLink.objects.filter(community__in=communities):
        by_community.setdefault(link.community_id, []).append(link)
    refused = []
    for community in communities:
        community_links = by_community.get(community.pk)
        if not community_links or community.archived:
            continue
        granted = [link for link in community_links if link.group_name in keys]
        wants_lead = any(link.role == CommunityLink.Role.COORDINATOR for link in granted)
        leads_from_directory = any(
            link.role == CommunityLink.Role.COORDINATOR for link in community_links
        )
        membership = Membership.objects.filter(user=user, community=community).first()
        active = membership is not None and membership.state == Membership.State.ACTIVE
        try:
            with transaction.atomic():
                if granted:
                    role = _lead_role(community) if wants_lead else Membership.Role.MEMBER
                    if (
                        active
                        and role == Membership.Role.MEMBER
                        and membership.role in LEAD_ROLES
                        and not leads_from_directory
                    ):
                        continue  # a coordinator staff appointed stays one
                    membership_provision(user=user, community=community, role=role, actor=actor)
                elif active:
                    membership_leave(user=user, community=community)
        except DomainError as error:
            refused.append(f"{community.name}: {error.message}")
    return refused
