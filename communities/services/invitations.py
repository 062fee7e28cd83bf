"""Writes of invitations by e-mail: a secret link (stored hashed) that a person accepts or declines."""

import secrets
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


def _open_invitation_for(*, token: str, user: User) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("community")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
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
def invitation_accept(*, token: str, user: User) -> Membership:
    """Accept an invitation sent to one's own address: become a member (re-using an old row).
    Transaction: one, invitation and membership locked."""
    invitation = _open_invitation_for(token=token, user=user)
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
def invitation_decline(*, token: str, user: User) -> Invitation:
    """Decline an invitation sent to one's own address. Transaction: one, row locked."""
    invitation = _open_invitation_for(token=token, user=user)
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
