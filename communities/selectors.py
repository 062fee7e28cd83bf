"""Reads of communities and memberships; each takes the viewing user (rule 3)."""

import hashlib
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.extensions import directory_annotations
from communities.models import (
    Community,
    Invitation,
    Membership,
    ProfilePhoto,
    Topic,
    User,
)
from communities.permissions import LEAD_ROLES, can_manage_community


def _active_membership(user: User):
    return Membership.objects.filter(
        community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
    )


def communities_visible_to(user: User) -> QuerySet[Community]:
    """Public communities for everyone signed in; private ones only for their active members.

    Anonymous visitors see nothing: Kennisplein is for the organisation's own people. Archived
    communities are hidden (their history stays in the database).
    """
    if not user.is_authenticated:
        return Community.objects.none()
    return (
        Community.objects.filter(archived=False)
        .annotate(is_member=Exists(_active_membership(user)))
        .filter(Q(visibility=Community.Visibility.PUBLIC) | Q(is_member=True))
    )


def _my_state(user: User):
    return Subquery(
        Membership.objects.filter(community=OuterRef("pk"), user=user).values("state")[:1]
    )


def _my_role(user: User):
    return Subquery(
        Membership.objects.filter(
            community=OuterRef("pk"), user=user, state=Membership.State.ACTIVE
        ).values("role")[:1]
    )


def community_directory(user: User) -> QuerySet[Community]:
    """The directory: visible communities with member count, next session and my role, in a
    constant number of queries (topics come with one prefetch)."""
    if not user.is_authenticated:
        return Community.objects.none()
    member_count = (
        Membership.objects.filter(community=OuterRef("pk"), state=Membership.State.ACTIVE)
        .order_by()
        .values("community")
        .annotate(total=Count("id"))
        .values("total")
    )
    return (
        communities_visible_to(user)
        .annotate(
            member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
            my_role=_my_role(user),
            my_state=_my_state(user),
            **directory_annotations(),
        )
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("name")
    )


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    kind: str = ""
    topic: str = ""
    mine: bool = False


def community_search(user: User, filters: DirectoryFilters) -> QuerySet[Community]:
    """Search by name, purpose and topic; filter by kind, topic and my own communities."""
    communities = community_directory(user)
    if filters.query:
        words = filters.query.split()[:8]
        for word in words:
            # A subquery per word, not a join: joining topics once per word multiplies the rows
            # (topics ** words per community) and a few garbage words would stall the database.
            topic_match = Community.topics.through.objects.filter(
                community_id=OuterRef("pk"), topic__name__icontains=word
            )
            communities = communities.filter(
                Q(name__icontains=word) | Q(purpose__icontains=word) | Exists(topic_match)
            )
    if filters.kind in Community.Kind.values:
        communities = communities.filter(kind=filters.kind)
    if filters.topic:
        communities = communities.filter(topics__slug=filters.topic)
    if filters.mine:
        communities = communities.filter(is_member=True)
    return communities


def topics_in_use(user: User) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(communities__in=communities_visible_to(user).values("pk"))
        .distinct()
        .order_by("name")
    )


def community_for_viewer(*, user: User, slug: str) -> Community | None:
    """One community the viewer may see, with its coordinators; None means 404."""
    leads = (
        Membership.objects.filter(
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
        )
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    return (
        community_directory(user)
        .prefetch_related(Prefetch("memberships", queryset=leads, to_attr="leads"))
        .filter(slug=slug)
        .first()
    )


def community_for_manager(*, user: User, slug: str) -> Community | None:
    """A community the viewer may manage, archived ones included (to restore them)."""

    community = Community.objects.filter(slug=slug).first()
    if community is None or not can_manage_community(user, community):
        return None
    return community


def membership_of(*, user: User, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def community_members(community: Community) -> QuerySet[Membership]:
    """Active members, leads first. Callers check ``can_see_members`` first."""
    return (
        Membership.objects.filter(community=community, state=Membership.State.ACTIVE)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def community_pending_requests(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=Membership.State.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def community_open_invitations(community: Community) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            community=community, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("created_at")
    )


def invitations_for(user: User) -> QuerySet[Invitation]:
    """Open invitations addressed to one of the person's verified addresses."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email__iexact=user.email, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("community")
        .order_by("created_at")
    )


# --- People and the organisation (staff pages, /me/) ----------------------------------------


def user_has_mfa(user: User) -> bool:
    """True when the person has a second factor (an authenticator app or a security key).

    Recovery codes alone do not count. Remembered on the user object for the request.
    """

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_kp_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        user._kp_has_mfa = cached
    return cached


def memberships_of(user: User) -> QuerySet[Membership]:
    """A person's own memberships (active, pending, invited), for /me/."""
    return (
        Membership.objects.filter(
            user=user,
            state__in=[
                Membership.State.ACTIVE,
                Membership.State.PENDING,
                Membership.State.INVITED,
            ],
        )
        .select_related("community")
        .order_by("community__name", "community_id")
    )


PEOPLE_STATUSES = ("all", "active", "awaiting", "deactivated", "staff")


def people_for_staff(*, viewer: User, query: str = "", status: str = "all") -> QuerySet[User]:
    """Everyone in the organisation for the staff's people page (nobody for non-staff)."""

    if not (viewer.is_authenticated and viewer.is_active and viewer.is_staff):
        return User.objects.none()
    people = User.objects.annotate(
        has_mfa=Exists(
            Authenticator.objects.filter(
                user=OuterRef("pk"),
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
            )
        )
    )
    for word in query.split()[:5]:
        people = people.filter(
            Q(email__icontains=word) | Q(display_name__icontains=word) | Q(team__icontains=word)
        )
    if status == "active":
        people = people.filter(is_active=True, awaiting_approval=False)
    elif status == "awaiting":
        people = people.filter(is_active=True, awaiting_approval=True)
    elif status == "deactivated":
        people = people.filter(is_active=False)
    elif status == "staff":
        people = people.filter(is_staff=True)
    return people.order_by("-awaiting_approval", "email")


def person_for_staff(*, viewer: User, user_id: int) -> User | None:
    """One person for the staff's person page; None (404) for anyone else."""
    return people_for_staff(viewer=viewer).filter(pk=user_id).first()


def may_see_community(viewer: User, community: Community, member_of: set[int]) -> bool:
    """Public communities, and private ones the viewer is an active member of (staff too:
    private communities are invisible to staff who are not members, everywhere)."""
    return community.visibility == Community.Visibility.PUBLIC or community.pk in member_of


def _active_community_ids(viewer: User) -> set[int]:
    return set(
        Membership.objects.filter(user=viewer, state=Membership.State.ACTIVE).values_list(
            "community_id", flat=True
        )
    )


@dataclass(frozen=True)
class SeenByViewer:
    """What a viewer may see of a list of communities (or memberships of them), and how many
    more there are that they may not see (no names, no ids)."""

    visible: list
    hidden: int


def communities_seen_by(*, viewer: User, communities) -> SeenByViewer:
    """Split ``communities`` into those ``viewer`` may see and a count of the rest. One query
    (the viewer's memberships) on top of evaluating ``communities``."""
    member_of = _active_community_ids(viewer)
    items = list(communities)
    visible = [c for c in items if may_see_community(viewer, c, member_of)]
    return SeenByViewer(visible=visible, hidden=len(items) - len(visible))


def person_memberships_for_staff(*, viewer: User, person: User) -> SeenByViewer:
    """A person's memberships for the staff's person page: those in communities the viewer may
    see, and how many others (private communities the viewer is not a member of). Two
    queries."""
    member_of = _active_community_ids(viewer)
    items = list(memberships_of(person))
    visible = [m for m in items if may_see_community(viewer, m.community, member_of)]
    return SeenByViewer(visible=visible, hidden=len(items) - len(visible))


def leads() -> QuerySet[Membership]:
    """Who leads a community, the one definition: an active coordinator (or, in an intervision
    group, facilitator) membership of a person who is still active. A co-coordinator who left
    the organisation (deactivated) leads nothing."""
    return Membership.objects.filter(
        state=Membership.State.ACTIVE, role__in=LEAD_ROLES, user__is_active=True
    )


def another_lead_exists(membership: Membership) -> bool:
    """Whether the membership's community has a lead besides this membership."""
    return leads().filter(community_id=membership.community_id).exclude(pk=membership.pk).exists()


def communities_led_alone(user: User) -> list[Community]:
    """Communities (not archived) that ``user`` leads and nobody else does: they hand over before
    they leave or erase their account, and staff see them when the person leaves (so the
    person's own lead counts whether or not they are still active)."""
    others = leads().filter(community=OuterRef("community")).exclude(user=OuterRef("user"))
    leading = (
        Membership.objects.filter(
            user=user,
            state=Membership.State.ACTIVE,
            role__in=LEAD_ROLES,
            community__archived=False,
        )
        .annotate(has_other_lead=Exists(others))
        .filter(has_other_lead=False)
        .select_related("community")
        .order_by("community__name", "community_id")
    )
    return [membership.community for membership in leading]


def communities_needing_a_coordinator() -> QuerySet[Community]:
    """Communities (not archived) whose every lead has been deactivated: for staff."""
    active_lead = leads().filter(community=OuterRef("pk"))
    inactive_lead = Membership.objects.filter(
        community=OuterRef("pk"),
        state=Membership.State.ACTIVE,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
        user__is_active=False,
    )
    return (
        Community.objects.filter(archived=False)
        .filter(Exists(inactive_lead), ~Exists(active_lead))
        .order_by("name")
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("community", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_person(user_id: int) -> User | None:
    """An active person by id (deactivated people have no public page)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def people_to_invite(*, community: Community, query: str, limit: int = 8) -> list[User]:
    """Active people whose name or address matches, who are not members of the community yet:
    the coordinators' people picker (autocomplete by name)."""
    query = query.strip()
    if len(query) < 2:
        return []
    members = Membership.objects.filter(community=community, state=Membership.State.ACTIVE).values(
        "user_id"
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(display_name__icontains=query) | Q(email__icontains=query))
        .exclude(pk__in=members)
        .order_by("display_name", "email")[:limit]
    )


def people_by_ids(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "email"))


def profile_photo_of(*, user_id: int) -> ProfilePhoto | None:
    """A person's photo, if they uploaded one and their account is active."""
    return ProfilePhoto.objects.filter(user_id=user_id, user__is_active=True).first()
