"""Writes of memberships: joining, asking to join and the coordinators' answer, leaving, removal
and roles. Every community keeps at least one coordinator (or, in an intervision group, a
facilitator): the leads are locked before any change that could remove the last one."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import changed, community_access_changed
from communities.mail.services import outbox_enqueue
from communities.models import (
    Community,
    Membership,
    MembershipEvent,
    User,
)
from communities.permissions import LEAD_ROLES, require_manager, require_not_archived
from communities.selectors import another_lead_exists


def record_membership_event(
    membership: Membership, kind: str, actor: User | None
) -> MembershipEvent:
    event = MembershipEvent.objects.create(
        membership=membership, kind=kind, actor=actor, role=membership.role
    )
    changed("membership.changed", object_id=membership.pk, community_id=membership.community_id)
    return event


def lock_membership(*, user: User, community: Community) -> Membership | None:
    return Membership.objects.select_for_update().filter(user=user, community=community).first()


def _lock_leads(community: Community) -> None:
    """Serialise changes that could leave a community without a coordinator."""
    list(
        Membership.objects.select_for_update()
        .filter(community=community, state=Membership.State.ACTIVE, role__in=LEAD_ROLES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refuse_if_last_lead(membership: Membership, message: str) -> None:
    if membership.role in LEAD_ROLES and not another_lead_exists(membership):
        raise DomainError(message, code="last_coordinator")


@transaction.atomic
def membership_join(*, user: User, community: Community) -> Membership:
    """Join an open community (re-joining reuses the old row). Transaction: one, with the
    membership row locked. Not idempotent by design: joining twice is a clear error."""
    require_not_archived(community)
    if community.join_policy != Community.JoinPolicy.OPEN:
        raise DomainError(_("This community is not open: ask to join instead."), code="not_open")
    membership = lock_membership(user=user, community=community)
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise DomainError(_("You are already a member."), code="already_member")
    now = timezone.now()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, community=community, joined_at=now
                )
        except IntegrityError as error:  # a concurrent join of the same person won
            raise DomainError(_("You are already a member."), code="already_member") from error
    else:
        membership.state = Membership.State.ACTIVE
        membership.role = Membership.Role.MEMBER
        membership.joined_at = now
        membership.left_at = None
        membership.save()
    record_membership_event(membership, MembershipEvent.Kind.JOINED, user)
    return membership


@transaction.atomic
def membership_request(*, user: User, community: Community, motivation: str) -> Membership:
    """Ask to join a community with the approval policy; its coordinators are told by mail.
    Transaction: one; mails are outbox rows in it. Asking twice is a clear error."""
    require_not_archived(community)
    if community.join_policy != Community.JoinPolicy.APPROVAL:
        raise DomainError(_("This community does not take requests."), code="no_requests")
    motivation = motivation.strip()
    if len(motivation) > 500:
        raise DomainError(_("Keep your motivation under 500 characters."), code="too_long")
    membership = lock_membership(user=user, community=community)
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise DomainError(_("You are already a member."), code="already_member")
    if membership is not None and membership.state == Membership.State.PENDING:
        raise DomainError(
            _("You have already asked to join; the coordinators will answer."), code="pending"
        )
    now = timezone.now()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, community=community, state=Membership.State.PENDING
                )
        except IntegrityError as error:
            raise DomainError(
                _("You have already asked to join; the coordinators will answer."), code="pending"
            ) from error
    membership.state = Membership.State.PENDING
    membership.role = Membership.Role.MEMBER
    membership.motivation = motivation
    membership.requested_at = now
    membership.save()
    record_membership_event(membership, MembershipEvent.Kind.REQUESTED, user)
    _notify_leads_of_request(membership)
    return membership


def _notify_leads_of_request(membership: Membership) -> None:
    leads = Membership.objects.filter(
        community_id=membership.community_id, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
    ).select_related("user")
    stamp = membership.requested_at.strftime("%Y%m%dT%H%M%S%f")
    for lead in leads:
        outbox_enqueue(
            dedupe_key=f"join-request:{membership.pk}:{stamp}:{lead.user_id}",
            kind="join_request",
            template="join_request",
            recipient=lead.user,
            context={
                "community": membership.community,
                "requester": membership.user,
                "motivation": membership.motivation,
                "url": reverse("community_members", args=[membership.community.slug]),
            },
        )


@transaction.atomic
def membership_withdraw(*, user: User, community: Community) -> Membership:
    """Withdraw one's own pending request. Transaction: one, row locked."""
    membership = lock_membership(user=user, community=community)
    if membership is None or membership.state != Membership.State.PENDING:
        raise DomainError(_("You have no open request for this community."), code="no_request")
    membership.state = Membership.State.LEFT
    membership.save(update_fields=["state", "updated_at"])
    record_membership_event(membership, MembershipEvent.Kind.WITHDRAWN, user)
    return membership


def _lock_request(*, community: Community, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "community")
        .filter(pk=membership_id, community=community)
        .first()
    )
    if membership is None:
        raise DomainError(_("There is no such request in this community."), code="not_found")
    if membership.state != Membership.State.PENDING:
        raise DomainError(_("This request has already been answered."), code="answered")
    return membership


@transaction.atomic
def membership_approve(*, community: Community, actor: User, membership_id: int) -> Membership:
    """Approve a pending request: the person becomes a member and is told by mail.

    Transaction: one; the request row is locked, so two coordinators approving at once make one
    membership and one message (the second gets "already answered")."""
    require_manager(actor, community)
    require_not_archived(community)
    membership = _lock_request(community=community, membership_id=membership_id)
    membership.state = Membership.State.ACTIVE
    membership.joined_at = timezone.now()
    membership.left_at = None
    membership.save()
    record_membership_event(membership, MembershipEvent.Kind.APPROVED, actor)
    _notify_decision(membership, approved=True)
    return membership


@transaction.atomic
def membership_decline(*, community: Community, actor: User, membership_id: int) -> Membership:
    """Decline a pending request; the person is told by mail. Transaction: one, row locked."""
    require_manager(actor, community)
    require_not_archived(community)
    membership = _lock_request(community=community, membership_id=membership_id)
    membership.state = Membership.State.LEFT
    membership.save(update_fields=["state", "updated_at"])
    record_membership_event(membership, MembershipEvent.Kind.DECLINED, actor)
    _notify_decision(membership, approved=False)
    return membership


def _notify_decision(membership: Membership, *, approved: bool) -> None:
    stamp = membership.requested_at.strftime("%Y%m%dT%H%M%S%f") if membership.requested_at else "-"
    outbox_enqueue(
        dedupe_key=f"join-decision:{membership.pk}:{stamp}",
        kind="join_decision",
        template="join_decision",
        recipient=membership.user,
        context={
            "community": membership.community,
            "approved": approved,
            "url": reverse("community_detail", args=[membership.community.slug]),
        },
    )


@transaction.atomic
def membership_leave(*, user: User, community: Community) -> Membership:
    """Leave a community. The last coordinator cannot leave (hand over first).
    Transaction: one; leads are locked so two leads leaving at once cannot both succeed."""
    _lock_leads(community)
    membership = lock_membership(user=user, community=community)
    if membership is None or membership.state != Membership.State.ACTIVE:
        raise DomainError(_("You are not a member of this community."), code="not_member")
    _refuse_if_last_lead(
        membership,
        _("You are the last coordinator: make someone else coordinator before you leave."),
    )
    membership.state = Membership.State.LEFT
    membership.left_at = timezone.now()
    record_membership_event(membership, MembershipEvent.Kind.LEFT, user)
    membership.role = Membership.Role.MEMBER
    membership.save()
    community_access_changed(community, [user])  # e.g. a private community's calendar goes
    return membership


@transaction.atomic
def membership_remove(*, community: Community, actor: User, membership_id: int) -> Membership:
    """A coordinator removes a member. Transaction: one, leads and the row locked."""
    require_manager(actor, community)
    require_not_archived(community)
    _lock_leads(community)
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, community=community, state=Membership.State.ACTIVE)
        .first()
    )
    if membership is None:
        raise DomainError(_("That person is not a member of this community."), code="not_member")
    _refuse_if_last_lead(
        membership, _("A community keeps at least one coordinator: appoint another one first.")
    )
    membership.state = Membership.State.LEFT
    membership.left_at = timezone.now()
    record_membership_event(membership, MembershipEvent.Kind.REMOVED, actor)
    membership.role = Membership.Role.MEMBER
    membership.save()
    community_access_changed(community, [membership.user])
    return membership


@transaction.atomic
def membership_set_role(
    *, community: Community, actor: User, membership_id: int, role: str
) -> Membership:
    """Change a member's role. Demoting the last coordinator is refused.
    Transaction: one, leads and the row locked. Idempotent for the same role."""
    require_manager(actor, community)
    require_not_archived(community)
    if role not in Membership.Role.values:
        raise DomainError(_("Unknown role."), code="role")
    if role == Membership.Role.FACILITATOR and not community.is_intervision:
        raise DomainError(_("Facilitators belong to intervision groups."), code="role")
    _lock_leads(community)
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, community=community, state=Membership.State.ACTIVE)
        .first()
    )
    if membership is None:
        raise DomainError(_("That person is not a member of this community."), code="not_member")
    if membership.role == role:
        return membership
    if role not in LEAD_ROLES:
        _refuse_if_last_lead(
            membership, _("A community keeps at least one coordinator: appoint another one first.")
        )
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    record_membership_event(membership, MembershipEvent.Kind.ROLE_CHANGED, actor)
    return membership


@transaction.atomic
def membership_provision(
    *, user: User, community: Community, role: str, actor: User | None
) -> Membership | None:
    """Make ``user`` an active member of ``community`` with ``role`` (member, or the role the
    community leads with: coordinator, in an intervision group facilitator), whatever the
    community's joining rules: the organisation's directory decided it (a staff link from a
    directory group to this community; the caller checks that link exists). A lead stays the
    lead they are.
    Re-joining reuses the old row; a role change of an active member is recorded as one.
    Taking the coordinator role from the last coordinator is refused (DomainError). An
    archived community is left alone (None). Transaction: one, leads and the row locked.
    Idempotent: the same call again changes nothing."""
    if community.archived:
        return None
    lead = Membership.Role.FACILITATOR if community.is_intervision else Membership.Role.COORDINATOR
    if role not in (Membership.Role.MEMBER, lead):
        raise ValueError(f"the directory cannot give the role {role!r} in {community.kind}")
    _lock_leads(community)
    membership = lock_membership(user=user, community=community)
    now = timezone.now()
    if membership is not None and membership.state == Membership.State.ACTIVE:
        if membership.role == role or (role in LEAD_ROLES and membership.role in LEAD_ROLES):
            return membership
        if membership.role not in LEAD_ROLES and role == Membership.Role.MEMBER:
            return membership  # an ambassador stays one
        if role not in LEAD_ROLES:
            _refuse_if_last_lead(
                membership,
                _("A community keeps at least one coordinator: appoint another one first."),
            )
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        record_membership_event(membership, MembershipEvent.Kind.ROLE_CHANGED, actor)
        return membership
    if membership is None:
        membership = Membership.objects.create(
            user=user, community=community, joined_at=now, role=role
        )
    else:
        membership.state = Membership.State.ACTIVE
        membership.role = role
        membership.joined_at = now
        membership.left_at = None
        membership.save()
    record_membership_event(membership, MembershipEvent.Kind.JOINED, actor)
    return membership
