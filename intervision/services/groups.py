"""Writes of an intervision group: its settings, the group agreement, and the methods it copies
and adjusts."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import Community, User
from intervision.models import (
    AgreementAcceptance,
    GroupSettings,
    Method,
    Phase,
    SelectionMode,
)
from intervision.permissions import is_member, require_lead
from intervision.selectors import (
    methods_for,
)


def group_settings_row(*, group: Community) -> GroupSettings:
    """The group's settings row, made with the defaults the first time a service needs it.
    Transaction: the caller's (one insert at most). Idempotent."""
    settings, _created = GroupSettings.objects.get_or_create(group=group)
    return settings


@transaction.atomic
def group_settings_update(
    *,
    group: Community,
    actor: User,
    cadence_weeks: int,
    selection_mode: str,
    default_method_id: int | None,
    rotate_facilitator: bool,
    agreement: str,
    auto_close_hours: int,
    private_copy_days: int,
) -> GroupSettings:
    """Change the group's settings. Transaction: one. Idempotent: the same values change
    nothing; a changed agreement text gets a new version that everyone accepts again."""
    require_lead(actor, group)
    if not 1 <= cadence_weeks <= 26:
        raise DomainError(_("Choose between 1 and 26 weeks."), code="cadence")
    if selection_mode not in SelectionMode.values:
        raise DomainError(_("Choose how a case is chosen."), code="mode")
    if not 1 <= auto_close_hours <= 168:
        raise DomainError(_("Choose between 1 and 168 hours."), code="auto_close")
    if not 1 <= private_copy_days <= 365:
        raise DomainError(_("Choose between 1 and 365 days."), code="retention")
    settings = GroupSettings.objects.select_for_update().get(pk=group_settings_row(group=group).pk)
    if (
        default_method_id is not None
        and not methods_for(group).filter(pk=default_method_id).exists()
    ):
        raise DomainError(_("Choose one of the methods."), code="method")
    agreement = agreement.strip()
    if agreement != settings.agreement:
        settings.agreement = agreement
        settings.agreement_version += 1
    settings.cadence_weeks = cadence_weeks
    settings.selection_mode = selection_mode
    settings.default_method_id = default_method_id
    settings.rotate_facilitator = rotate_facilitator
    settings.auto_close_hours = auto_close_hours
    settings.private_copy_days = private_copy_days
    settings.save()
    return settings


def agreement_accept(*, group: Community, user: User) -> AgreementAcceptance:
    """Accept the current group agreement. Transaction: one insert. Idempotent."""
    if not is_member(user, group):
        raise DomainError(_("Only members accept the group agreement."), code="forbidden")
    version = group_settings_row(group=group).agreement_version
    acceptance, _created = AgreementAcceptance.objects.get_or_create(
        group=group, user=user, version=version
    )
    return acceptance


@transaction.atomic
def method_copy(*, method_id: int, group: Community, actor: User) -> Method:
    """Copy a method (with its phases) for the group to adjust. Transaction: one. Not
    idempotent: each call makes a new copy with its own code."""

    require_lead(actor, group)
    source = methods_for(group).filter(pk=method_id).first()
    if source is None:
        raise DomainError(_("This method does not exist."), code="not_found")
    phases = list(source.phases.all())
    base = re.sub(r"-copy(-\d+)?$", "", source.code)[:40]
    taken = set(Method.objects.filter(group=group).values_list("code", flat=True))
    number = 1
    code = f"{base}-copy"
    while code in taken:
        number += 1
        code = f"{base}-copy-{number}"
    copy = Method.objects.create(
        code=code,
        group=group,
        copied_from=source,
        family=source.family,
        name_nl=f"{source.name_nl} ({group.name})"[:120],
        name_en=f"{source.name_en} ({group.name})"[:120],
        summary_nl=source.summary_nl,
        summary_en=source.summary_en,
        min_group=source.min_group,
        max_group=source.max_group,
        requires_trusted_group=source.requires_trusted_group,
        case_requirements_nl=source.case_requirements_nl,
        case_requirements_en=source.case_requirements_en,
        verified=source.verified,
        sources=source.sources,
    )
    for phase in phases:
        phase.pk = None
        phase.method = copy
    Phase.objects.bulk_create(phases)
    return copy


@transaction.atomic
def method_adjust(
    *, method_id: int, group: Community, actor: User, minutes: dict[int, int], drop: set[int]
) -> Method:
    """Change a group copy's phase minutes and drop phases. Transaction: one. Idempotent."""
    require_lead(actor, group)
    method = Method.objects.filter(pk=method_id, group=group).first()
    if method is None:
        raise DomainError(_("Copy the method first: the catalogue stays as shipped."), code="copy")
    phases = {p.pk: p for p in method.phases.select_for_update()}
    if not set(minutes) | drop <= set(phases):
        raise DomainError(_("One of the phases does not exist."), code="phase")
    if any(not 1 <= value <= 240 for value in minutes.values()):
        raise DomainError(_("A phase lasts between 1 and 240 minutes."), code="minutes")
    if len(set(phases) - drop) == 0:
        raise DomainError(_("Keep at least one phase."), code="empty")
    Phase.objects.filter(pk__in=drop).delete()
    for pk, value in minutes.items():
        if pk not in drop and phases[pk].minutes != value:
            phases[pk].minutes = value
            phases[pk].save(update_fields=["minutes"])
    return method
