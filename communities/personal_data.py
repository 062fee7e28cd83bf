"""What the app holds about a person: one registry drives "download my data" and erasure.

Every model with a relation to the user must be registered here or in its app's
``personal_data`` module (a test fails otherwise, ARCHITECTURE.md rule 9). An entry says which
relation fields it covers, how to export the rows, and what erasure does with them:
``cascade`` (deleted with the account), ``set_null`` (kept, no longer linked to the person) or a
callable that erases explicitly before the account is deleted.
"""

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from communities.models import (
    Community,
    Invitation,
    Membership,
    MembershipEvent,
    ProfilePhoto,
    User,
)

Erasure = Literal["cascade", "set_null"] | Callable[[User], None]


@dataclass(frozen=True)
class PersonalDataEntry:
    section: str
    model: type[models.Model]
    user_fields: tuple[str, ...]
    export: Callable[[User], list[dict]]
    erasure: Erasure


REGISTRY: dict[str, PersonalDataEntry] = {}


def register(
    *,
    section: str,
    model: type[models.Model],
    user_fields: Iterable[str],
    export: Callable[[User], list[dict]],
    erasure: Erasure,
) -> None:
    REGISTRY[section] = PersonalDataEntry(section, model, tuple(user_fields), export, erasure)


@dataclass(frozen=True)
class ErasureQuestion:
    """Something erasure asks the person first (a topic registers it; the form shows it only
    when ``applies(user)``). ``apply(user, answer)`` runs before the registry's erasures."""

    name: str
    label: str
    help_text: str
    choices: tuple[tuple[str, str], ...]
    default: str
    applies: Callable[[User], bool]
    apply: Callable[[User, str], None]


ERASURE_QUESTIONS: dict[str, ErasureQuestion] = {}


def register_erasure_question(question: ErasureQuestion) -> None:
    ERASURE_QUESTIONS[question.name] = question


def covered_relations() -> set[tuple[str, str]]:
    """(model label, field name) pairs the registry covers."""
    return {
        (entry.model._meta.label, field)
        for entry in REGISTRY.values()
        for field in entry.user_fields
    }


def iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_profile(user: User) -> list[dict]:
    return [
        {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "timezone": user.timezone,
            "team": user.team,
            "calendar_delivery": user.calendar_delivery,
            "show_contributions": user.show_contributions,
            "photo_updated": iso(user.photo_updated),
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        }
    ]


def _export_profile_photo(user: User) -> list[dict]:
    return [
        {
            "content_type": photo.content_type,
            "updated_at": iso(photo.updated_at),
            "base64": base64.b64encode(bytes(photo.content)).decode("ascii"),
        }
        for photo in ProfilePhoto.objects.filter(user=user)
    ]


def _export_memberships(user: User) -> list[dict]:
    return [
        {
            "community": m.community.name,
            "role": m.role,
            "state": m.state,
            "joined_at": iso(m.joined_at),
            "left_at": iso(m.left_at),
            # A request to join carries the person's own words for the coordinators.
            "motivation": m.motivation,
            "requested_at": iso(m.requested_at),
        }
        for m in Membership.objects.filter(user=user).select_related("community").order_by("id")
    ]


def _export_email_addresses(user: User) -> list[dict]:
    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("id")
    ]


def _export_admin_log(user: User) -> list[dict]:
    return [
        {"when": iso(e.action_time), "object": e.object_repr, "change": e.get_change_message()}
        for e in LogEntry.objects.filter(user=user).order_by("id")
    ]


def _erase_admin_log(user: User) -> None:
    """What the person did in the admin goes with them, and so does what staff did to the
    person's own row (it names them and holds their id)."""
    LogEntry.objects.filter(user=user).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()


def sessions_of(user: User) -> list[Session]:
    """The person's login sessions. Django's session table has no user column: the id is
    inside the signed session data, so every unexpired and expired row is decoded (erasure
    and export are rare; a few thousand rows decode in well under a second)."""
    wanted = str(user.pk)
    return [
        session
        for session in Session.objects.order_by("expire_date").iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY)) == wanted
    ]


def _export_login_sessions(user: User) -> list[dict]:
    return [{"expires": iso(session.expire_date)} for session in sessions_of(user)]


def _erase_login_sessions(user: User) -> None:
    """Every session of the person is deleted: they are logged out everywhere and no row
    keeps their id."""
    Session.objects.filter(pk__in=[s.pk for s in sessions_of(user)]).delete()


def _export_membership_history(user: User) -> list[dict]:
    events = MembershipEvent.objects.filter(membership__user=user) | MembershipEvent.objects.filter(
        actor=user
    )
    return [
        {
            "community": e.membership.community.name,
            "member": "me" if e.membership.user_id == user.id else "someone else",
            "what": e.kind,
            "role": e.role,
            "by_me": e.actor_id == user.id,
            "when": iso(e.created_at),
        }
        for e in events.select_related("membership__community").order_by("created_at", "id")
    ]


def _export_communities_created(user: User) -> list[dict]:
    return [
        {"community": c.name, "created_at": iso(c.created_at)}
        for c in Community.objects.filter(created_by=user).order_by("id")
    ]


def _export_invitations(user: User) -> list[dict]:
    invitations = (
        Invitation.objects.filter(email__iexact=user.email)
        | Invitation.objects.filter(invited_by=user)
        | Invitation.objects.filter(accepted_by=user)
    )
    return [
        {
            "community": i.community.name,
            "email": i.email,
            "sent_by_me": i.invited_by_id == user.id,
            "state": i.state,
            "created_at": iso(i.created_at),
        }
        for i in invitations.select_related("community").distinct().order_by("id")
    ]


def _erase_invitations(user: User) -> None:
    """Invitations addressed to the person hold their e-mail address: delete them. Those they
    sent or accepted stay (the community's history) without the link to them."""

    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)


def _export_sso_accounts(user: User) -> list[dict]:
    return [
        {
            "provider": a.provider,
            "uid": a.uid,
            "claims": a.extra_data,
            "connected_at": iso(a.date_joined),
            "last_login": iso(a.last_login),
        }
        for a in SocialAccount.objects.filter(user=user).order_by("id")
    ]


def _export_two_factor(user: User) -> list[dict]:
    """Which second factors are set up and when used; never their secrets."""

    return [
        {"type": a.type, "created_at": iso(a.created_at), "last_used_at": iso(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("id")
    ]


def register_core() -> None:
    register(
        section="profile", model=User, user_fields=(), export=_export_profile, erasure="cascade"
    )
    register(
        section="profile_photo",
        model=ProfilePhoto,
        user_fields=("user",),
        export=_export_profile_photo,
        erasure="cascade",
    )
    register(
        section="memberships",
        model=Membership,
        user_fields=("user",),
        export=_export_memberships,
        erasure="cascade",
    )
    register(
        section="membership_history",
        model=MembershipEvent,
        user_fields=("actor",),
        export=_export_membership_history,
        erasure="set_null",
    )
    register(
        section="communities_created",
        model=Community,
        user_fields=("created_by",),
        export=_export_communities_created,
        erasure="set_null",
    )
    register(
        section="invitations",
        model=Invitation,
        user_fields=("invited_by", "accepted_by"),
        export=_export_invitations,
        erasure=_erase_invitations,
    )
    register(
        section="email_addresses",
        model=EmailAddress,
        user_fields=("user",),
        export=_export_email_addresses,
        erasure="cascade",
    )
    register(
        section="admin_log",
        model=LogEntry,
        user_fields=("user",),
        export=_export_admin_log,
        erasure=_erase_admin_log,
    )
    register(
        section="login_sessions",
        model=Session,
        user_fields=(),
        export=_export_login_sessions,
        erasure=_erase_login_sessions,
    )
    register(
        section="sso_accounts",
        model=SocialAccount,
        user_fields=("user",),
        export=_export_sso_accounts,
        erasure="cascade",
    )
    register(
        section="two_factor",
        model=Authenticator,
        user_fields=("user",),
        export=_export_two_factor,
        erasure="cascade",
    )


def personal_data_export(*, user: User) -> dict:
    """Everything the app holds about ``user``, by section (read-only)."""
    return {
        "generated_at": timezone.now().isoformat(),
        **{section: entry.export(user) for section, entry in sorted(REGISTRY.items())},
    }


def personal_data_export_json(*, user: User) -> str:
    return json.dumps(personal_data_export(user=user), indent=2, ensure_ascii=False)
