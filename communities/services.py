"""Writes for people and communities (rule 1: one entry point per state change)."""

import hashlib
import json
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_enqueue
from communities.models import (
    Community,
    Invitation,
    Membership,
    MembershipEvent,
    Organisation,
    Topic,
    User,
    normalise_domain,
)
from communities.organisation import forget_organisation_settings, sso_from_environment
from communities.permissions import LEAD_ROLES, can_create_community, can_manage_community
from communities.personal_data import REGISTRY

# Paths under /communities/ that are pages of their own, never a community's slug.
RESERVED_SLUGS = frozenset(
    {"new", "edit", "join", "leave", "members", "invitations", "archive", "restore", "calendar",
     "search", "admin", "api", "static", "media", "me", "accounts", "sessions", "intervision",
     "festivals", "takeaways", "feeds", "manage"}
)  # fmt: skip
INVITATION_VALIDITY = timedelta(days=14)
MAX_TOPICS = 10


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
    community: every community keeps at least one, and while they are the last active staff
    member. Erasing an account that is already gone is refused with a clear message too.
    Transaction: one, all or nothing, with the person's row locked.
    """
    if user.pk is None or _lock_person(user) is None:
        raise DomainError(_("This account has already been deleted."), code="already_erased")
    if user.is_staff and user.is_active and _is_last_active_staff(user):
        raise DomainError(
            _("You are the last active staff member: make someone else staff first."),
            code="last_staff",
        )
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


# --- Communities ------------------------------------------------------------------------------


def _clean_slug(*, slug: str, name: str, exclude_pk: int | None = None) -> str:
    slug = slugify(slug or name)[:80].strip("-")
    if not slug:
        raise DomainError(_("Choose a name with letters or digits."), code="slug")
    if slug in RESERVED_SLUGS:
        raise DomainError(
            _("“%(slug)s” is a reserved word; choose another web address.") % {"slug": slug},
            code="slug_reserved",
        )
    clash = Community.objects.filter(slug=slug).exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("The web address “%(slug)s” is already taken.") % {"slug": slug}, code="slug_taken"
        )
    return slug


def _check_name_free(*, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("A community needs a name."), code="name")
    clash = Community.objects.annotate(lname=Lower("name")).filter(lname=name.lower())
    if clash.exclude(pk=exclude_pk).exists():
        raise DomainError(
            _("A community called “%(name)s” already exists.") % {"name": name}, code="name_taken"
        )
    return name


def topics_from_names(names: Iterable[str]) -> list[Topic]:
    """Find or create topics by name (case-insensitive on the slug)."""
    topics: dict[str, Topic] = {}
    for raw in names:
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:60]
        if not slug or slug in topics:
            continue
        topic, _created = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        topics[slug] = topic
    if len(topics) > MAX_TOPICS:
        raise DomainError(
            _("At most %(count)d topics per community.") % {"count": MAX_TOPICS}, code="topics"
        )
    return list(topics.values())


def _validate_community(community: Community) -> None:
    """The model's field rules (lengths, choices) as a clear message, before the database
    refuses them with an error (PostgreSQL) or stores them anyway (SQLite)."""
    try:
        community.full_clean(
            exclude=["created_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        raise DomainError(
            " ".join(
                f"{capfirst(Community._meta.get_field(field).verbose_name)}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ),
            code="invalid",
        ) from error


def _apply_kind_rules(fields: dict) -> dict:
    if fields.get("kind") == Community.Kind.INTERVISION_GROUP:
        # Intervision groups are always private and invite only (domain research §1).
        fields["visibility"] = Community.Visibility.PRIVATE
        fields["join_policy"] = Community.JoinPolicy.INVITE
    return fields


def _record(membership: Membership, kind: str, actor: User | None) -> MembershipEvent:
    return MembershipEvent.objects.create(
        membership=membership, kind=kind, actor=actor, role=membership.role
    )


@transaction.atomic
def community_create(
    *,
    creator: User,
    name: str,
    kind: str,
    slug: str = "",
    purpose: str = "",
    description: str = "",
    topics: Iterable[str] = (),
    cadence: str = "",
    visibility: str = Community.Visibility.PUBLIC,
    join_policy: str = Community.JoinPolicy.OPEN,
) -> Community:
    """Create a community; its creator becomes its first coordinator (facilitator in an
    intervision group). Transaction: one; all or nothing. Not idempotent: a second call with the
    same name is refused with a clear message."""
    if not can_create_community(creator):
        raise DomainError(_("Only staff may create communities here."), code="forbidden")
    name = _check_name_free(name=name)
    fields = _apply_kind_rules(
        {
            "name": name,
            "slug": _clean_slug(slug=slug, name=name),
            "kind": kind,
            "purpose": purpose.strip(),
            "description": description,
            "cadence": cadence.strip(),
            "visibility": visibility,
            "join_policy": join_policy,
            "created_by": creator,
        }
    )
    _validate_community(Community(**fields))
    try:
        with transaction.atomic():
            community = Community.objects.create(**fields)
    except IntegrityError as error:
        raise DomainError(_("That name or web address is already taken."), code="taken") from error
    community.topics.set(topics_from_names(topics))
    role = Membership.Role.FACILITATOR if community.is_intervision else Membership.Role.COORDINATOR
    membership = Membership.objects.create(
        user=creator, community=community, role=role, joined_at=timezone.now()
    )
    _record(membership, MembershipEvent.Kind.JOINED, creator)
    return community


@transaction.atomic
def community_update(
    *,
    community: Community,
    actor: User,
    name: str,
    purpose: str,
    description: str,
    topics: Iterable[str],
    cadence: str,
    visibility: str,
    join_policy: str,
) -> Community:
    """Edit a community's details. Transaction: one. Idempotent for the same input."""
    _require_manager(actor, community)
    _require_not_archived(community)
    community.name = _check_name_free(name=name, exclude_pk=community.pk)
    community.purpose = purpose.strip()
    community.description = description
    community.cadence = cadence.strip()
    fields = _apply_kind_rules(
        {"kind": community.kind, "visibility": visibility, "join_policy": join_policy}
    )
    community.visibility = fields["visibility"]
    community.join_policy = fields["join_policy"]
    _validate_community(community)
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError as error:
        raise DomainError(_("That name is already taken."), code="taken") from error
    community.topics.set(topics_from_names(topics))
    return community


def community_archive(*, community: Community, actor: User) -> Community:
    """Archive: read-only and hidden from the directory; history kept. Idempotent."""
    _require_manager(actor, community)
    if not community.archived:
        community.archived = True
        community.archived_at = timezone.now()
        community.save(update_fields=["archived", "archived_at", "updated_at"])
    return community


def community_restore(*, community: Community, actor: User) -> Community:
    """Bring an archived community back. Idempotent."""
    _require_manager(actor, community)
    if community.archived:
        community.archived = False
        community.archived_at = None
        community.save(update_fields=["archived", "archived_at", "updated_at"])
    return community


def _require_manager(actor: User, community: Community) -> None:
    if not can_manage_community(actor, community):
        raise DomainError(_("Only the coordinators can do that."), code="forbidden")


def _require_not_archived(community: Community) -> None:
    if community.archived:
        raise DomainError(_("This community is archived."), code="archived")


# --- Memberships ------------------------------------------------------------------------------


def _lock_membership(*, user: User, community: Community) -> Membership | None:
    return Membership.objects.select_for_update().filter(user=user, community=community).first()


def _other_leads_exist(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            community_id=membership.community_id, state=Membership.State.ACTIVE, role__in=LEAD_ROLES
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _lock_leads(community: Community) -> None:
    """Serialise changes that could leave a community without a coordinator."""
    list(
        Membership.objects.select_for_update()
        .filter(community=community, state=Membership.State.ACTIVE, role__in=LEAD_ROLES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refuse_if_last_lead(membership: Membership, message: str) -> None:
    if membership.role in LEAD_ROLES and not _other_leads_exist(membership):
        raise DomainError(message, code="last_coordinator")


@transaction.atomic
def membership_join(*, user: User, community: Community) -> Membership:
    """Join an open community (re-joining reuses the old row). Transaction: one, with the
    membership row locked. Not idempotent by design: joining twice is a clear error."""
    _require_not_archived(community)
    if community.join_policy != Community.JoinPolicy.OPEN:
        raise DomainError(_("This community is not open: ask to join instead."), code="not_open")
    membership = _lock_membership(user=user, community=community)
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
    _record(membership, MembershipEvent.Kind.JOINED, user)
    return membership


@transaction.atomic
def membership_request(*, user: User, community: Community, motivation: str) -> Membership:
    """Ask to join a community with the approval policy; its coordinators are told by mail.
    Transaction: one; mails are outbox rows in it. Asking twice is a clear error."""
    _require_not_archived(community)
    if community.join_policy != Community.JoinPolicy.APPROVAL:
        raise DomainError(_("This community does not take requests."), code="no_requests")
    motivation = motivation.strip()
    if len(motivation) > 500:
        raise DomainError(_("Keep your motivation under 500 characters."), code="too_long")
    membership = _lock_membership(user=user, community=community)
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
    _record(membership, MembershipEvent.Kind.REQUESTED, user)
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
    membership = _lock_membership(user=user, community=community)
    if membership is None or membership.state != Membership.State.PENDING:
        raise DomainError(_("You have no open request for this community."), code="no_request")
    membership.state = Membership.State.LEFT
    membership.save(update_fields=["state", "updated_at"])
    _record(membership, MembershipEvent.Kind.WITHDRAWN, user)
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
    _require_manager(actor, community)
    _require_not_archived(community)
    membership = _lock_request(community=community, membership_id=membership_id)
    membership.state = Membership.State.ACTIVE
    membership.joined_at = timezone.now()
    membership.left_at = None
    membership.save()
    _record(membership, MembershipEvent.Kind.APPROVED, actor)
    _notify_decision(membership, approved=True)
    return membership


@transaction.atomic
def membership_decline(*, community: Community, actor: User, membership_id: int) -> Membership:
    """Decline a pending request; the person is told by mail. Transaction: one, row locked."""
    _require_manager(actor, community)
    _require_not_archived(community)
    membership = _lock_request(community=community, membership_id=membership_id)
    membership.state = Membership.State.LEFT
    membership.save(update_fields=["state", "updated_at"])
    _record(membership, MembershipEvent.Kind.DECLINED, actor)
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
    membership = _lock_membership(user=user, community=community)
    if membership is None or membership.state != Membership.State.ACTIVE:
        raise DomainError(_("You are not a member of this community."), code="not_member")
    _refuse_if_last_lead(
        membership,
        _("You are the last coordinator: make someone else coordinator before you leave."),
    )
    membership.state = Membership.State.LEFT
    membership.left_at = timezone.now()
    _record(membership, MembershipEvent.Kind.LEFT, user)
    membership.role = Membership.Role.MEMBER
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, community: Community, actor: User, membership_id: int) -> Membership:
    """A coordinator removes a member. Transaction: one, leads and the row locked."""
    _require_manager(actor, community)
    _require_not_archived(community)
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
    _record(membership, MembershipEvent.Kind.REMOVED, actor)
    membership.role = Membership.Role.MEMBER
    membership.save()
    return membership


@transaction.atomic
def membership_set_role(
    *, community: Community, actor: User, membership_id: int, role: str
) -> Membership:
    """Change a member's role. Demoting the last coordinator is refused.
    Transaction: one, leads and the row locked. Idempotent for the same role."""
    _require_manager(actor, community)
    _require_not_archived(community)
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
    _record(membership, MembershipEvent.Kind.ROLE_CHANGED, actor)
    return membership


# --- Invitations ------------------------------------------------------------------------------


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, community: Community, actor: User, email: str) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and its one-time token (only in the
    mail). Transaction: one; the mail is an outbox row in it. Inviting the same address twice
    while an invitation is open is a clear error."""

    _require_manager(actor, community)
    _require_not_archived(community)
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


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("community", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


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
    _require_not_archived(community)
    membership = _lock_membership(user=user, community=community)
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
    _record(membership, MembershipEvent.Kind.ACCEPTED, user)
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
    _require_manager(actor, community)
    invitation = Invitation.objects.filter(pk=invitation_id, community=community).first()
    if invitation is None:
        raise DomainError(_("There is no such invitation in this community."), code="not_found")
    if invitation.state == Invitation.State.PENDING:
        invitation.state = Invitation.State.REVOKED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
    return invitation


# --- The organisation and its people (accounts issue) ----------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "primary_colour",
    "default_language",
    "default_timezone",
    "allowed_signup_domains",
    "signup_requires_approval",
    "sso_only",
    "community_creation",
    "intervision_retention_days",
    "takeaway_review_months",
    "outbox_retention_days",
    "sso_name",
    "sso_issuer",
    "sso_client_id",
    "sso_client_secret",
    "sso_allowed_tenants",
)
LOGO_CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
MAX_LOGO_BYTES = 512 * 1024


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise DomainError(_("Only staff can do that."), code="forbidden")


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    changes: dict,
    logo: tuple[bytes, str] | None = None,
    remove_logo: bool = False,
):
    """Change the organisation settings (staff only). ``changes`` maps field names to values;
    ``logo`` is (image bytes, content type). Refuses with a DomainError and changes nothing when a
    value is invalid, or when SSO-only is asked without a single sign-on provider.
    Transaction: one, with the settings row locked. Idempotent for the same input."""

    _require_staff(actor)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting."), code="unknown_field")
    Organisation.objects.get_or_create(pk=1)
    row = Organisation.objects.select_for_update().get(pk=1)
    for name, value in changes.items():
        if name == "allowed_signup_domains":
            value = sorted({normalise_domain(domain) for domain in value if domain.strip()})
        elif name == "sso_allowed_tenants":
            value = sorted({tenant.strip() for tenant in value if tenant.strip()})
        elif name == "primary_colour":
            value = value.strip().lower()
        elif name in ("name", "sso_name", "sso_issuer", "sso_client_id"):
            value = value.strip()
        setattr(row, name, value)
    if remove_logo:
        row.logo, row.logo_content_type = None, ""
    if logo is not None:
        data, content_type = logo
        if len(data) > MAX_LOGO_BYTES or content_type not in LOGO_CONTENT_TYPES.values():
            raise DomainError(
                _("The logo must be a PNG, JPEG, GIF or WebP image of at most 512 KB."),
                code="logo",
            )
        row.logo, row.logo_content_type = data, content_type
    try:
        row.full_clean()
    except ValidationError as error:
        raise DomainError(_validation_message(error), code="invalid") from error
    if not row.name:
        raise DomainError(_("The organisation needs a name."), code="name")
    sso_configured = sso_from_environment() is not None or bool(
        row.sso_issuer and row.sso_client_id
    )
    if row.sso_only and not sso_configured:
        raise DomainError(
            _(
                "Single sign-on only needs a single sign-on provider: fill in its issuer and client id first."
            ),
            code="sso_only_without_sso",
        )
    row.save()
    forget_organisation_settings()
    return row


def _lock_person(user: User) -> User | None:
    """Lock the active staff rows (in id order), then the person's row; None when the person is
    gone. Every service that could remove the last staff member locks in this order, so two of
    them running at once wait for each other instead of deadlocking."""
    list(
        User.objects.select_for_update()
        .filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return User.objects.select_for_update().filter(pk=user.pk).first()


def _is_last_active_staff(user: User) -> bool:
    """Whether ``user`` is the only active staff member (call under ``_lock_person``)."""
    staff_ids = list(
        User.objects.filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return staff_ids == [user.pk]


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> list[Community]:
    """A person leaves the organisation: they can no longer log in, their calendar feed token
    stops working and mail still waiting to be sent to them is skipped. Returns the communities
    they led alone, for staff to hand over. Refuses to deactivate the last active staff member.
    Transaction: one, with the staff rows locked. Idempotent: deactivating twice changes
    nothing more."""
    from communities.selectors import communities_to_hand_over

    _require_staff(actor)
    user = _lock_person(user)
    if user is None:
        raise DomainError(_("This person no longer exists."), code="not_found")
    if user.is_active:
        if user.is_staff and _is_last_active_staff(user):
            raise DomainError(
                _("%(name)s is the last active staff member: make someone else staff first.")
                % {"name": user.name},
                code="last_staff",
            )
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.feed_token_hash = ""
        user.save(update_fields=["is_active", "deactivated_at", "feed_token_hash"])
    OutboxMessage.objects.filter(
        Q(recipient=user) | Q(recipient=None, to_email__iexact=user.email),
        state=OutboxMessage.State.PENDING,
    ).update(state=OutboxMessage.State.SKIPPED, updated_at=timezone.now())
    return communities_to_hand_over(user)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated person in again (their feed needs a new token). Idempotent."""
    _require_staff(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


@transaction.atomic
def user_approve(*, actor: User, user: User) -> User:
    """Let a person who signed up in (organisations that approve new accounts) and tell them
    by mail. Transaction: one; the mail is an outbox row in it. Idempotent: the mail's dedupe
    key is per person, approving twice sends one mail."""

    _require_staff(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.awaiting_approval:
        return user
    user.awaiting_approval = False
    user.save(update_fields=["awaiting_approval"])
    outbox_enqueue(
        dedupe_key=f"account-approved:{user.pk}",
        kind="account_approved",
        template="account_approved",
        recipient=user,
    )
    return user


def user_decline(*, actor: User, user: User) -> None:
    """Refuse a sign-up that waits for approval: the account and its data are erased.
    Transaction: the erasure's. Refuses people who are already let in (deactivate them)."""
    _require_staff(actor)
    if not user.awaiting_approval:
        raise DomainError(
            _("%(email)s is not waiting for approval.") % {"email": user.email},
            code="not_awaiting",
        )
    account_erase(user=user)


def approval_request_notify(*, user: User) -> int:
    """Tell every active staff member that ``user`` waits for approval (after they confirmed
    their address). Transaction: joins the caller's. Idempotent per staff member and person.
    Returns how many messages were enqueued."""

    if not user.awaiting_approval:
        return 0
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
    for member in staff:
        outbox_enqueue(
            dedupe_key=f"approval-request:{user.pk}:{member.pk}",
            kind="approval_request",
            template="approval_request",
            recipient=member,
            context={
                "applicant": user,
                "url": reverse("person_detail", args=[user.pk]),
            },
        )
    return len(staff)
