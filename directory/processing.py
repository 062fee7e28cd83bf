"""Directory sync's processing activity for the processing register (communities.register)."""

from django.utils.translation import gettext_lazy as _

from communities.organisation import OrganisationSettings
from communities.register.activities import Activity, register_activity


def _retention(_org: OrganisationSettings) -> str:
    return str(
        _(
            "As long as the directory keeps the person; after the directory deletes them the "
            "account stays deactivated until it is erased. Tokens until revoked."
        )
    )


def register_activities() -> None:
    register_activity(
        Activity(
            code="directory",
            title=_("Directory sync (SCIM) and single sign-on groups"),
            purpose=_(
                "Create accounts before a person's first day, end them the day they leave, and "
                "fill the communities staff linked to the organisation's directory groups."
            ),
            subjects=_("Everyone the organisation's directory provisions; staff who make tokens."),
            audience=_(
                "Staff (the directory page and the audit log); the directory itself reads back "
                "what it sent."
            ),
            retention=_retention,
            sections=(
                "directory_account",
                "directory_groups",
                "directory_holds",
                "directory_hold_decisions",
                "directory_tokens",
                "directory_links",
            ),
            safeguards=_(
                "Tokens stored only as a hash and shown once; the directory cannot touch staff "
                "accounts or unlinked communities; mass deactivations wait for staff."
            ),
        )
    )
