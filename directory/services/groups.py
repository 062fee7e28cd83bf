"""Writes of the directory's groups (SCIM Groups, and the ``groups`` claim at login). A change
of who is in a group reaches only the communities a staff link names."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import User
from directory.models import DirectoryGroup, DirectoryGroupMember
from directory.selectors import group_keys, linked_communities_for, scim_people
from directory.services.memberships import memberships_reconcile


@dataclass(frozen=True)
class GroupData:
    display_name: str
    external_id: str = ""
    member_ids: tuple[int, ...] | None = None  # None: members unchanged


def _members(ids: tuple[int, ...]) -> set[int]:
    """The people behind the ids; an id SCIM cannot see (unknown, staff, deleted) is refused."""
    wanted = set(ids)
    known = set(scim_people().filter(pk__in=wanted).values_list("pk", flat=True))
    unknown = wanted - known
    if unknown:
        raise DomainError(
            _("These members are not people the directory knows: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in sorted(unknown)[:10])},
            code="members",
        )
    return known


def _reconcile(actor: User, user_ids: set[int], communities) -> None:
    if not communities or not user_ids:
        return
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        memberships_reconcile(user=user, communities=communities, actor=actor)


def _save(group: DirectoryGroup) -> None:
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as error:
        raise DomainError(_("Another group already has this name."), code="uniqueness") from error


def _set_members(actor: User | None, group: DirectoryGroup, ids: set[int], before: set[str]):
    current = set(group.rows.values_list("user_id", flat=True))
    added, removed = ids - current, current - ids
    DirectoryGroupMember.objects.filter(group=group, user_id__in=removed).delete()
    DirectoryGroupMember.objects.bulk_create(
        [DirectoryGroupMember(group=group, user_id=pk) for pk in sorted(added)],
        ignore_conflicts=True,
    )
    communities = linked_communities_for(before | group_keys(group))
    _reconcile(
        actor, added | removed if before == group_keys(group) else ids | removed, communities
    )
    return added, removed


@transaction.atomic
def scim_group_create(*, actor: User, data: GroupData) -> DirectoryGroup:
    """A group of the directory, with its members; linked communities take them in.
    Transaction: one. A name another group has is refused (``uniqueness``)."""
    name = data.display_name.strip()
    if not name or len(name) > 255:
        raise DomainError(_("A group needs a name of at most 255 characters."), code="name")
    ids = _members(data.member_ids or ())
    existing = DirectoryGroup.objects.filter(
        display_name=name, source=DirectoryGroup.Source.OIDC
    ).first()
    group = existing or DirectoryGroup(display_name=name)
    group.source = DirectoryGroup.Source.SCIM
    group.external_id = data.external_id.strip()[:255]
    _save(group)
    _set_members(actor, group, ids, group_keys(group))
    audit_record(actor=None, action="directory.group_create", target=group, detail=name[:100])
    return group


@transaction.atomic
def scim_group_update(*, actor: User, group: DirectoryGroup, data: GroupData) -> DirectoryGroup:
    """Replace a group's name and (unless ``member_ids`` is None) its members. People who
    join it join its linked communities; people who leave it leave them the way a person
    leaves (unless another linked group keeps them in). Transaction: one, the group locked.
    Idempotent."""
    group = DirectoryGroup.objects.select_for_update().get(pk=group.pk)
    before = group_keys(group)
    name = data.display_name.strip()
    if not name or len(name) > 255:
        raise DomainError(_("A group needs a name of at most 255 characters."), code="name")
    group.display_name = name
    group.external_id = data.external_id.strip()[:255]
    _save(group)
    ids = (
        _members(data.member_ids)
        if data.member_ids is not None
        else set(group.rows.values_list("user_id", flat=True))
    )
    added, removed = _set_members(actor, group, ids, before)
    audit_record(
        actor=None,
        action="directory.group_update",
        target=group,
        changes={"members": [len(removed), len(added)]} if added or removed else None,
        detail=name[:100],
    )
    return group


@transaction.atomic
def scim_group_delete(*, actor: User, group: DirectoryGroup) -> None:
    """The directory deletes a group: its members leave its linked communities (as when they
    leave the group); the links themselves stay, for a group of the same name later.
    Transaction: one. Idempotent."""
    group = DirectoryGroup.objects.select_for_update().get(pk=group.pk)
    keys = group_keys(group)
    ids = set(group.rows.values_list("user_id", flat=True))
    audit_record(actor=None, action="directory.group_delete", target=group, detail=str(group))
    group.delete()
    _reconcile(actor, ids, linked_communities_for(keys))


@transaction.atomic
def groups_claim_apply(*, user: User, names: list[str]) -> None:
    """A single sign-on login carried a ``groups`` claim: the person is in exactly those of
    the directory's groups (a value is matched to a group's name or external id; unknown
    values become groups of their own), and their linked communities follow, as with SCIM.
    Staff are left alone. Transaction: one. Idempotent."""
    if user.is_staff or user.is_superuser or not user.is_active:
        return
    values = {str(name).strip()[:255] for name in names if str(name).strip()}
    groups = {
        group.pk: group
        for group in DirectoryGroup.objects.filter(display_name__in=values)
        | DirectoryGroup.objects.filter(external_id__in=values)
    }
    seen = {key for group in groups.values() for key in group_keys(group)}
    for value in sorted(values - seen):
        group, _made = DirectoryGroup.objects.get_or_create(
            display_name=value, defaults={"source": DirectoryGroup.Source.OIDC}
        )
        groups[group.pk] = group
    current = set(DirectoryGroupMember.objects.filter(user=user).values_list("group_id", flat=True))
    added, removed = set(groups) - current, current - set(groups)
    if not added and not removed:
        return
    keys = set()
    for group in DirectoryGroup.objects.filter(pk__in=added | removed):
        keys |= group_keys(group)
    DirectoryGroupMember.objects.filter(user=user, group_id__in=removed).delete()
    DirectoryGroupMember.objects.bulk_create(
        [DirectoryGroupMember(group_id=pk, user=user) for pk in sorted(added)],
        ignore_conflicts=True,
    )
    memberships_reconcile(user=user, communities=linked_communities_for(keys), actor=None)
