"""Writes of the links from directory groups to communities (staff only)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import Community, User
from communities.permissions import require_staff
from directory.models import CommunityLink, DirectoryGroup
from directory.services.memberships import memberships_reconcile


@transaction.atomic
def community_link_create(
    *, actor: User, community: Community, group_name: str, role: str
) -> CommunityLink:
    """Staff link a directory group (its name or external id) to a community; the group's
    people join it right away. Audited. Transaction: one. Linking the same group twice is
    refused (``duplicate``)."""
    require_staff(actor)
    group_name = group_name.strip()
    if not group_name or len(group_name) > 255:
        raise DomainError(_("Name the directory group (at most 255 characters)."), code="name")
    if role not in CommunityLink.Role.values:
        raise DomainError(_("Choose members or coordinators."), code="role")
    if community.archived:
        raise DomainError(_("An archived community cannot be linked."), code="archived")
    try:
        with transaction.atomic():
            link = CommunityLink.objects.create(
                community=community, group_name=group_name, role=role, created_by=actor
            )
    except IntegrityError as error:
        raise DomainError(_("This group is already linked to it."), code="duplicate") from error
    audit_record(
        actor=actor,
        action="directory.link_create",
        target=community,
        detail=f"{group_name} ({role})"[:200],
    )
    people = User.objects.filter(
        directory_group_rows__group__in=DirectoryGroup.objects.filter(display_name=group_name)
        | DirectoryGroup.objects.filter(external_id=group_name),
        is_active=True,
    ).distinct()
    for person in people.order_by("pk"):
        memberships_reconcile(user=person, communities=[community], actor=actor)
    return link


@transaction.atomic
def community_link_delete(*, actor: User, link_id: int) -> None:
    """Staff remove a link: the community keeps its members and its own joining rules from
    now on. Audited. Transaction: one. Removing a link that is gone is refused."""
    require_staff(actor)
    link = CommunityLink.objects.select_related("community").filter(pk=link_id).first()
    if link is None:
        raise DomainError(_("This link does not exist."), code="not_found")
    audit_record(
        actor=actor,
        action="directory.link_delete",
        target=link.community,
        detail=f"{link.group_name} ({link.role})"[:200],
    )
    link.delete()
