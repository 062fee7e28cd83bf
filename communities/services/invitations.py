"""Writes of invitations by e-mail: a secret link (stored hashed) that a person accepts or declines."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.services import outbox_enqueue
from communities.models import (
    Community,
    Invitation,
    Membership,
    MembershipEvent,
    User,
)
from communities.permissions import require_manager, require_not_archived
from communities.selectors import invitation_token_hash
from communities.services.memberships import lock_membership, record_membership_event

INVITATION_VALIDITY = timedelta(days=14)


@transaction.atomic
def invitation_create(*, community: Community, actor: User, email: str) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and its one-time token (only in the
    mail). Transaction: one; the mail is an outbox row in it. Inviting the same address twice
    while an invitation is open is a clear error."""

    require_manager(actor, community)
    require_not_archived(community)
    email = email.strip().lower()
    try:
        validate_email(email)  # allows up to 320 characters; the column holds 254
        if len(email) > Invitation._meta.get_field("email").max_length:
            raise ValidationError("too long")
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), code="email") from error
    if Membership.objects.filter(
        community=community, user__email__iexact=email, state=Membership.State.ACTIVE
    ).exists():
        raise DomainError(_("%(email)s is already a member.") % {"email": email}, code="member")
    # An expired invitation can no longer be accepted; it must not block a new one.
    Invitation.objects.filter(
        community=community,
        email__iexact=email,
        state=Invitation.State.PENDING,
        expires_at__lte=timezone.now(),
    ).update(state=Invitation.State.REVOKED, answered_at=timezone.now())
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                community=community,
                email=email,
                token_hash=invitation_token_hash(token),
                invited_by=actor,
                expires_at=timezone.now() + INVITATION_VALIDITY,
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(email)s has already been invited.") % {"email": email}, code="invited"
        ) from error
    invitee = User.objects.filter(email__iexact=email).first()
    outbox_enqueue(
        dedupe_key=f"invitation:{invitation.pk}",
        kind="invitation",
        template="invitation",
        recipient=invitee,
        to_email=email,
        language=invitee.language if invitee else None,
        context={
            "community": community,
            "inviter": actor,
            "url": reverse("invitation_detail", args=[token]),
            "has_account": invitee is not None,
        },
    )
    return invitation, token


def _open_invitation_for(*, token: str | None, invitation_id: int | None, user: User) -> Invitation:
    """The invitation by its mailed token, or by id (the invitee's home page: only one's own
    address is accepted either way)."""
    rows = Invitation.objects.select_for_update(of=("self",)).select_related("community")
    if token is not None:
        invitation = rows.filter(token_hash=invitation_token_hash(token)).first()
    else:
        invitation = rows.filter(pk=invitation_id).first()
    if invitation is None:
        raise DomainError(_("This invitation does not exist."), code="not_found")
    if invitation.state != Invitation.State.PENDING:
        raise DomainError(_("This invitation has already been answered."), code="answered")
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired; ask for a new one."), code="expired")
    if invitation.email.lower() != user.email.lower():
        raise DomainError(
            _("This invitation was sent to another e-mail address."), code="other_address"
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, user: User, token: str | None = None, invitation_id: int | None = None
) -> Membership:
    """Accept an invitation sent to one's own address (by its token, or by id from the home
    page): become a member (re-using an old row). Transaction: one, invitation and membership
    locked; a second call is refused as already answered."""
    invitation = _open_invitation_for(token=token, invitation_id=invitation_id, user=user)
    community = invitation.community
    require_not_archived(community)
    membership = lock_membership(user=user, community=community)
    now = timezone.now()
    if membership is None:
        membership = Membership.objects.create(user=user, community=community, joined_at=now)
    elif membership.state != Membership.State.ACTIVE:
        membership.state = Membership.State.ACTIVE
        membership.role = Membership.Role.MEMBER
        membership.joined_at = now
        membership.left_at = None
        membership.save()
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_by = user
    invitation.answered_at = now
    invitation.save(update_fields=["state", "accepted_by", "answered_at"])
    record_membership_event(membership, MembershipEvent.Kind.ACCEPTED, user)
    return membership


@transaction.atomic
def invitation_decline(
    *, user: User, token: str | None = None, invitation_id: int | None = None
) -> Invitation:
    """Decline an invitation sent to one's own address. Transaction: one, row locked."""
    invitation = _open_invitation_for(token=token, invitation_id=invitation_id, user=user)
    invitation.state = Invitation.State.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    return invitation


def invitation_revoke(*, community: Community, actor: User, invitation_id: int) -> Invitation:
    """A coordinator withdraws an open invitation. Idempotent."""
    require_manager(actor, community)
    invitation = Invitation.objects.filter(pk=invitation_id, community=community).first()
    if invitation is None:
        raise DomainError(_("There is no such invitation in this community."), code="not_found")
    if invitation.state == Invitation.State.PENDING:
        invitation.state = Invitation.State.REVOKED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
    return invitation


MAX_ADDRESSES_AT_ONCE = 100


@dataclass(frozen=True)
class InvitationBatch:
    """What inviting a list did: who got an invitation and, per address left out, why."""

    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)


def parse_addresses(text: str) -> list[str]:
    """The addresses in pasted text: one per line or separated by commas, semicolons or spaces,
    "Name <address>" as mail programs copy them; lower-cased, first occurrence kept."""
    bare = re.sub(r"[^,;\n<>]*<([^<>]*)>", r" \1 ", text)
    found: list[str] = []
    for part in re.split(r"[\s,;]+", bare):
        part = part.strip().lower()
        if part and part not in found:
            found.append(part)
    return found


def invitations_create(
    *, community: Community, actor: User, emails: list[str], people: list[User] = ()
) -> InvitationBatch:
    """Invite a pasted list of addresses and people picked by name at once. Each address is
    its own transaction (``invitation_create``): one bad or already invited address is reported
    and the others are still invited. A second call reports them all as already invited."""
    require_manager(actor, community)
    addresses = [*emails]
    for person in people:
        if person.email.lower() not in addresses:
            addresses.append(person.email.lower())
    if len(addresses) > MAX_ADDRESSES_AT_ONCE:
        raise DomainError(
            _("Invite at most %(max)d people at once.") % {"max": MAX_ADDRESSES_AT_ONCE},
            code="too_many",
        )
    if not addresses:
        raise DomainError(_("Paste at least one e-mail address or pick someone."), code="empty")
    batch = InvitationBatch()
    for address in addresses:
        try:
            invitation, _token = invitation_create(community=community, actor=actor, email=address)
        except DomainError as error:
            batch.skipped.append((address, error.message))
        else:
            batch.sent.append(invitation.email)
    return batch
