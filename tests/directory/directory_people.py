"""Directory rows for tests/test_personal_data.py's ``people``: what the directory said about
the member, her group, a held deactivation, and a token and link she made (as staff would);
the other person is in a group too (so leaks would show)."""

from communities.models import Community
from directory.models import (
    CommunityLink,
    DeprovisionHold,
    DirectoryAccount,
    DirectoryGroup,
    DirectoryGroupMember,
    DirectoryToken,
)


def plant(member, other, community: Community) -> dict:
    account = DirectoryAccount.objects.create(
        user=member, external_id="oid-mia", user_name="mia@corp.example", given_name="Mia"
    )
    group = DirectoryGroup.objects.create(display_name="Finance", external_id="g-fin")
    row = DirectoryGroupMember.objects.create(group=group, user=member)
    DirectoryGroupMember.objects.create(group=group, user=other)
    hold = DeprovisionHold.objects.create(user=member)
    decided = DeprovisionHold.objects.create(
        user=other, state="discarded", decided_by=member, decided_at=hold.requested_at
    )
    token = DirectoryToken.objects.create(
        name="Entra ID", prefix="kpd_abcdef", token_hash="f" * 64, created_by=member
    )
    CommunityLink.objects.create(community=community, group_name="g-fin", created_by=member)
    return {
        "directory_account": account,
        "directory_row": row,
        "directory_hold": hold,
        "directory_decided": decided,
        "directory_token": token,
    }


def expected_export(mine: dict) -> dict:
    return {
        "directory_account": [
            {
                "external_id": "oid-mia",
                "user_name": "mia@corp.example",
                "given_name": "Mia",
                "family_name": "",
                "manager": "",
                "created_at": mine["directory_account"].created_at.isoformat(),
                "deleted_at": None,
                "deprovisioned_at": None,
            }
        ],
        "directory_groups": [
            {"group": "Finance", "added_at": mine["directory_row"].added_at.isoformat()}
        ],
        "directory_holds": [
            {"requested_at": mine["directory_hold"].requested_at.isoformat(), "state": "pending"}
        ],
        "directory_hold_decisions": [
            {
                "person": mine["directory_decided"].user_id,
                "state": "discarded",
                "decided_at": mine["directory_decided"].decided_at.isoformat(),
            }
        ],
        "directory_tokens": [
            {
                "name": "Entra ID",
                "prefix": "kpd_abcdef",
                "created_at": mine["directory_token"].created_at.isoformat(),
                "last_used_at": None,
                "revoked_at": None,
            }
        ],
        "directory_links": [{"community": "Python-gilde", "group": "g-fin", "role": "member"}],
    }


SECTIONS = {
    "directory_account",
    "directory_groups",
    "directory_holds",
    "directory_hold_decisions",
    "directory_tokens",
    "directory_links",
}

RELATIONS = {
    ("directory.DirectoryAccount", "user"),
    ("directory.DirectoryGroupMember", "user"),
    ("directory.DeprovisionHold", "user"),
    ("directory.DeprovisionHold", "decided_by"),
    ("directory.DirectoryToken", "created_by"),
    ("directory.CommunityLink", "created_by"),
}
