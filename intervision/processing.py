"""Intervision's processing activities for the processing register (communities.register)."""

from django.utils.translation import gettext_lazy as _

from communities.organisation import OrganisationSettings
from communities.register.activities import Activity, days, register_activity
from intervision.models import GroupSettings


def _cases(_org: OrganisationSettings) -> str:
    return str(
        _(
            "Until the session is closed (by the facilitator, or automatically after the "
            "group's hours): then the case, the live items and the keys they were encrypted "
            "under are deleted. Cases not chosen carry over until withdrawn."
        )
    )


def _records(org: OrganisationSettings) -> str:
    return str(
        _("%(days)s after the session (organisation setting).")
        % {"days": days(org.intervision_retention_days)}
    )


def _copies(_org: OrganisationSettings) -> str:
    default = GroupSettings._meta.get_field("private_copy_days").default
    return str(
        _("As long as the group agreed: %(days)s unless the group chose otherwise.")
        % {"days": days(default)}
    )


def register_activities() -> None:
    register_activity(
        Activity(
            code="intervision_cases",
            title=_("Intervision: cases and the live session"),
            purpose=_("Peer consultation: a member brings a case, the group helps with it."),
            subjects=_("Members of intervision groups."),
            audience=_("Only the members of the group."),
            retention=_cases,
            sections=("intervision_cases", "intervision_live_items", "intervision_votes"),
            safeguards=_(
                "Title, question, pitch and live items are encrypted (AES-GCM) under a key per "
                "case and per session; closing deletes the keys (crypto-shredding)."
            ),
        )
    )
    register_activity(
        Activity(
            code="intervision_records",
            title=_("Intervision: records"),
            purpose=_(
                "What the group keeps after a session: roles, attendance, actions, evaluations, "
                "and each member's history for professional registers."
            ),
            subjects=_("Members of intervision groups."),
            audience=_("The members of the group; each member their own history."),
            retention=_records,
            sections=(
                "intervision_roles",
                "intervision_attendance",
                "intervision_actions",
                "intervision_evaluations",
                "intervision_agreements",
                "intervision_swaps",
            ),
        )
    )
    register_activity(
        Activity(
            code="intervision_copies",
            title=_("Intervision: the presenter's private copy"),
            purpose=_("The advice given to the presenter, kept for them when they ask."),
            subjects=_("Presenters who chose a copy."),
            audience=_("Only the presenter."),
            retention=_copies,
            sections=("intervision_private_copies",),
        )
    )
