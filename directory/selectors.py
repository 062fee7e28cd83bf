"""Reads of directory sync: tokens, people and groups as SCIM sees them, links, holds."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from communities.models import Community, User
from directory.hashing import token_hash
from directory.models import (
    CommunityLink,
    DeprovisionHold,
    DirectoryAccount,
    DirectoryGroup,
    DirectoryGroupMember,
    DirectoryToken,
)


def token_for_secret(secret: str) -> DirectoryToken | None:
    """The live token with this secret: not revoked, made by someone who is still active
    staff (a token never outlives its maker's rights)."""
    if not secret:
        return None
    return (
        DirectoryToken.objects.select_related("created_by")
        .filter(
            token_hash=token_hash(secret),
            revoked_at__isnull=True,
            created_by__is_active=True,
            created_by__is_staff=True,
        )
        .first()
    )


def directory_tokens() -> QuerySet[DirectoryToken]:
    return DirectoryToken.objects.select_related("created_by").order_by("-created_at", "-id")


def scim_people() -> QuerySet[User]:
    """Everyone the directory may see and change: never staff, never a superuser, never a
    person the directory deleted. ``scim_user_name`` and ``scim_external_id`` are what filters
    compare."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(directory_account__deleted_at__isnull=False)
        .select_related("directory_account")
        .annotate(
            scim_user_name=Coalesce(
                NullIf("directory_account__user_name", Value("")), "email", output_field=CharField()
            ),
            scim_external_id=Coalesce(
                "directory_account__external_id", Value(""), output_field=CharField()
            ),
        )
        .prefetch_related(
            Prefetch(
                "directory_group_rows",
                queryset=DirectoryGroupMember.objects.select_related("group").order_by(
                    "group__display_name"
                ),
            )
        )
        .order_by("pk")
    )


def scim_person(pk: str) -> User | None:
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    return scim_people().filter(pk=int(pk)).first()


def scim_groups() -> QuerySet[DirectoryGroup]:
    return DirectoryGroup.objects.filter(source=DirectoryGroup.Source.SCIM).order_by("pk")


def scim_group(scim_id: str) -> DirectoryGroup | None:
    try:
        return scim_groups().filter(scim_id=scim_id).first()
    except ValidationError:  # not a UUID: no such group
        return None


def group_member_ids(group: DirectoryGroup) -> list[int]:
    return list(group.rows.order_by("user_id").values_list("user_id", flat=True))


def account_by_external_id(external_id: str) -> DirectoryAccount | None:
    if not external_id:
        return None
    return DirectoryAccount.objects.select_related("user").filter(external_id=external_id).first()


def links() -> QuerySet[CommunityLink]:
    return CommunityLink.objects.select_related("community", "created_by").order_by(
        "community__name", "role", "group_name"
    )


def linked_communities_for(keys: set[str]) -> list[Community]:
    """The communities a link names one of these group names or ids for."""
    if not keys:
        return []
    return list(
        Community.objects.filter(directory_links__group_name__in=keys).distinct().order_by("pk")
    )


def group_keys(group: DirectoryGroup) -> set[str]:
    return {key for key in (group.display_name, group.external_id) if key}


def user_group_keys(user: User) -> set[str]:
    keys: set[str] = set()
    for name, external_id in DirectoryGroup.objects.filter(rows__user=user).values_list(
        "display_name", "external_id"
    ):
        keys.update(key for key in (name, external_id) if key)
    return keys


def deprovisioned_since(since: datetime) -> int:
    return DirectoryAccount.objects.filter(deprovisioned_at__gte=since).count()


def pending_holds() -> QuerySet[DeprovisionHold]:
    return DeprovisionHold.objects.filter(state=DeprovisionHold.State.PENDING).select_related(
        "user"
    )


def directory_overview() -> dict:
    """The figures the staff page shows in one query each."""
    groups = DirectoryGroup.objects.aggregate(
        groups=Count("pk", distinct=True), members=Count("rows", distinct=True)
    )
    return {
        "people": DirectoryAccount.objects.filter(deleted_at__isnull=True).count(),
        "groups": groups["groups"],
        "group_rows": groups["members"],
        "holds": DeprovisionHold.objects.filter(state=DeprovisionHold.State.PENDING).count(),
        "deprovisioned_hour": deprovisioned_since_hour(),
    }


def deprovisioned_since_hour() -> int:
    return deprovisioned_since(timezone.now() - timedelta(hours=1))
