"""Writes for people and communities (rule 1: one entry point per state change)."""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, Membership, User
from communities.personal_data import REGISTRY


def user_update_profile(
    *, user: User, display_name: str, language: str, timezone_name: str, team: str
) -> User:
    """Change a person's own profile. Transaction: one UPDATE. Idempotent."""
    user.display_name = display_name.strip()
    user.language = language
    user.timezone = timezone_name
    user.team = team.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "language", "timezone", "team"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language a signed-in person chose in the switcher. Idempotent."""
    if user.is_authenticated and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)


def personal_data_export(*, user: User) -> dict:
    """Everything the app holds about ``user``, by section (read-only)."""
    return {
        "generated_at": timezone.now().isoformat(),
        **{section: entry.export(user) for section, entry in sorted(REGISTRY.items())},
    }


def personal_data_export_json(*, user: User) -> str:
    return json.dumps(personal_data_export(user=user), indent=2, ensure_ascii=False)


def communities_only_led_by(user: User) -> list[Community]:
    """Active communities in which ``user`` is the last active coordinator (or facilitator)."""
    leading = (
        Membership.objects.filter(
            user=user,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
            community__archived=False,
        )
        .select_related("community")
        .order_by("community__name", "community_id")
    )
    orphaned = []
    for membership in leading:
        others = (
            Membership.objects.filter(
                community=membership.community,
                state=Membership.State.ACTIVE,
                role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
            )
            .exclude(user=user)
            .exists()
        )
        if not others:
            orphaned.append(membership.community)
    return orphaned


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase a person's account and everything the registry says goes with it.

    Refuses (DomainError, nothing changed) while the person is the last coordinator of a
    community: every community keeps at least one. Transaction: one, all or nothing.
    """
    orphaned = communities_only_led_by(user)
    if orphaned:
        names = ", ".join(community.name for community in orphaned)
        raise DomainError(
            _("Hand over coordination first: you are the only coordinator of %(names)s.")
            % {"names": names},
            code="last_coordinator",
        )
    for entry in REGISTRY.values():
        if callable(entry.erasure):
            entry.erasure(user)
    user.delete()
