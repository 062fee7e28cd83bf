"""Staff's answer to deactivations the directory asked for over the hourly share."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.models import User
from communities.permissions import require_staff
from directory.models import DeprovisionHold, DirectoryAccount
from directory.services.people import deprovision_run


def _lock(hold_id: int) -> DeprovisionHold:
    hold = (
        DeprovisionHold.objects.select_for_update()
        .select_related("user")
        .filter(pk=hold_id, state=DeprovisionHold.State.PENDING)
        .first()
    )
    if hold is None:
        raise DomainError(_("This deactivation is no longer waiting."), code="not_found")
    return hold


@transaction.atomic
def deprovision_hold_confirm(*, actor: User, hold_id: int) -> DeprovisionHold:
    """Staff confirm a held deactivation: it runs as staff's own (``user_deactivate``).
    Transaction: one, the hold locked. A second confirmation is refused (no longer waiting)."""
    require_staff(actor)
    hold = _lock(hold_id)
    user = hold.user
    if user.is_active:
        account, _made = DirectoryAccount.objects.get_or_create(
            user=user, defaults={"user_name": user.email}
        )
        deprovision_run(actor=actor, user=user, account=account, delete=hold.delete)
    hold.state = DeprovisionHold.State.CONFIRMED
    hold.decided_by = actor
    hold.decided_at = timezone.now()
    hold.save(update_fields=["state", "decided_by", "decided_at"])
    return hold


@transaction.atomic
def deprovision_hold_discard(*, actor: User, hold_id: int) -> DeprovisionHold:
    """Staff discard a held deactivation: the person stays. Audited. Transaction: one."""
    require_staff(actor)
    hold = _lock(hold_id)
    hold.state = DeprovisionHold.State.DISCARDED
    hold.decided_by = actor
    hold.decided_at = timezone.now()
    hold.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(actor=actor, action="directory.hold_discard", target=hold.user)
    return hold
