"""Single sign-on's part of directory sync: a first login of a provisioned person is matched to
their account (the directory's id, then the address), and a login's ``groups`` claim fills the
linked communities as SCIM groups do."""

from communities.extensions import register_sso_login_listener, register_sso_matcher
from communities.models import User
from directory.selectors import account_by_external_id
from directory.services.groups import groups_claim_apply

# Where providers put the id the directory's externalId holds: Entra's object id (``oid``),
# else the subject.
ID_CLAIMS = ("oid", "sub")


def match(claims: dict, emails: list[str]) -> User | None:
    for claim in ID_CLAIMS:
        account = account_by_external_id(str(claims.get(claim) or ""))
        if account is not None and account.deleted_at is None:
            return account.user
    for email in emails:
        user = User.objects.filter(
            email__iexact=email,
            directory_account__isnull=False,
            directory_account__deleted_at__isnull=True,
        ).first()
        if user is not None:
            return user
    return None


def on_login(user: User, claims: dict) -> None:
    groups = claims.get("groups")
    if isinstance(groups, list):
        groups_claim_apply(user=user, names=[str(value) for value in groups][:500])


def register_sso_hooks() -> None:
    register_sso_matcher("directory", match)
    register_sso_login_listener("directory", on_login)
