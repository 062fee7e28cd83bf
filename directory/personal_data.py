"""What directory sync holds about a person, for "download my data" and erasure (rule 9): what
the directory said about them, their groups, held deactivations, and the directory tokens staff
made (never the secret)."""

from communities.models import User
from communities.personal_data import iso, register
from directory.models import (
    CommunityLink,
    DeprovisionHold,
    DirectoryAccount,
    DirectoryGroupMember,
    DirectoryToken,
)


def _export_account(user: User) -> list[dict]:
    return [
        {
            "external_id": account.external_id,
            "user_name": account.user_name,
            "given_name": account.given_name,
            "family_name": account.family_name,
            "manager": account.manager,
            "created_at": iso(account.created_at),
            "deleted_at": iso(account.deleted_at),
            "deprovisioned_at": iso(account.deprovisioned_at),
        }
        for account in DirectoryAccount.objects.filter(user=user)
    ]


def _export_groups(user: User) -> list[dict]:
    return [
        {"group": row.group.display_name, "added_at": iso(row.added_at)}
        for row in DirectoryGroupMember.objects.filter(user=user)
        .select_related("group")
        .order_by("id")
    ]


def _export_holds(user: User) -> list[dict]:
    return [
        {"requested_at": iso(hold.requested_at), "state": hold.state}
        for hold in DeprovisionHold.objects.filter(user=user).order_by("id")
    ]


def _export_decisions(user: User) -> list[dict]:
    return [
        {"person": hold.user_id, "state": hold.state, "decided_at": iso(hold.decided_at)}
        for hold in DeprovisionHold.objects.filter(decided_by=user).order_by("id")
    ]


def _export_tokens(user: User) -> list[dict]:
    return [
        {
            "name": token.name,
            "prefix": token.prefix,
            "created_at": iso(token.created_at),
            "last_used_at": iso(token.last_used_at),
            "revoked_at": iso(token.revoked_at),
        }
        for token in DirectoryToken.objects.filter(created_by=user).order_by("id")
    ]


def _export_links(user: User) -> list[dict]:
    return [
        {"community": link.community.name, "group": link.group_name, "role": link.role}
        for link in CommunityLink.objects.filter(created_by=user).select_related("community")
    ]


def register_personal_data() -> None:
    register(
        section="directory_account",
        model=DirectoryAccount,
        user_fields=("user",),
        export=_export_account,
        erasure="cascade",
    )
    register(
        section="directory_groups",
        model=DirectoryGroupMember,
        user_fields=("user",),
        export=_export_groups,
        erasure="cascade",
    )
    register(
        section="directory_holds",
        model=DeprovisionHold,
        user_fields=("user",),
        export=_export_holds,
        erasure="cascade",
    )
    register(
        section="directory_hold_decisions",
        model=DeprovisionHold,
        user_fields=("decided_by",),
        export=_export_decisions,
        erasure="set_null",
    )
    register(
        section="directory_tokens",
        model=DirectoryToken,
        user_fields=("created_by",),
        export=_export_tokens,
        erasure="cascade",
    )
    register(
        section="directory_links",
        model=CommunityLink,
        user_fields=("created_by",),
        export=_export_links,
        erasure="set_null",
    )
