"""The processing activities: what each group of personal data is for, whose it is, who sees it
and how long it is kept. Each app registers its own (``register_activity``, from its
``AppConfig.ready``); the sections they name are those of ``communities.personal_data``, whose
models and fields the register lists itself."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.organisation import OrganisationSettings


@dataclass(frozen=True)
class Activity:
    code: str
    title: str
    purpose: str
    subjects: str
    audience: str
    retention: Callable[[OrganisationSettings], str]
    sections: tuple[str, ...]
    safeguards: str = ""


ACTIVITIES: dict[str, Activity] = {}


def register_activity(activity: Activity) -> None:
    """Registering twice replaces (a reload never doubles an activity)."""
    ACTIVITIES[activity.code] = activity


def days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def until_erased(_org: OrganisationSettings) -> str:
    return str(_("As long as the account exists; erased with it (by the person or by staff)."))


def _outbox(org: OrganisationSettings) -> str:
    return str(
        _("Sent and failed messages: %(days)s after sending (organisation setting).")
        % {"days": days(org.outbox_retention_days)}
    )


def _audit(_org: OrganisationSettings) -> str:
    return str(
        _("%(days)s (AUDIT_RETENTION_DAYS); an erased person's name and address are removed.")
        % {"days": days(settings.AUDIT_RETENTION_DAYS)}
    )


def register_core() -> None:
    register_activity(
        Activity(
            code="accounts",
            title=_("Accounts and signing in"),
            purpose=_(
                "Give people of the organisation access, send them what they asked for, and "
                "keep accounts safe (e-mail verification, single sign-on, two-factor)."
            ),
            subjects=_("Employees and others the organisation lets in."),
            audience=_("The person; staff (people list, approvals, deactivation)."),
            retention=until_erased,
            sections=(
                "profile",
                "profile_photo",
                "email_addresses",
                "sso_accounts",
                "two_factor",
                "login_sessions",
            ),
            safeguards=_(
                "Passwords only as a salted hash; TOTP secrets encrypted (AES-GCM); "
                "staff need two-factor authentication."
            ),
        )
    )
    register_activity(
        Activity(
            code="communities",
            title=_("Communities and memberships"),
            purpose=_("Run communities of practice and guilds: who belongs, who coordinates."),
            subjects=_("Members, coordinators and invited people."),
            audience=_(
                "Members of the community (private communities: only them); coordinators; staff."
            ),
            retention=until_erased,
            sections=("memberships", "membership_history", "communities_created", "invitations"),
        )
    )
    register_activity(
        Activity(
            code="mail",
            title=_("Outgoing mail"),
            purpose=_("Send invitations, reminders, digests and account mail, once each."),
            subjects=_("Everyone who receives mail from the app."),
            audience=_("The recipient; staff on the outbox page (failures, re-sending)."),
            retention=_outbox,
            sections=("messages",),
        )
    )
    register_activity(
        Activity(
            code="audit",
            title=_("Audit log"),
            purpose=_(
                "Account for what staff and administrators did: changes in the admin, "
                "deactivations, exports and tokens."
            ),
            subjects=_("Staff, administrators and the people their actions concern."),
            audience=_("Staff."),
            retention=_audit,
            sections=("audit_log", "admin_log"),
        )
    )
