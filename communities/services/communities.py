"""Writes of communities: creating, editing, archiving and restoring, and their topics."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.extensions import community_access_changed
from communities.models import (
    Community,
    Membership,
    MembershipEvent,
    Topic,
    User,
)
from communities.permissions import can_create_community, require_manager, require_not_archived
from communities.services.memberships import record_membership_event

# Paths under /communities/ that are pages of their own, never a community's slug.
RESERVED_SLUGS = frozenset(
    {"new", "edit", "join", "leave", "members", "invitations", "archive", "restore", "calendar",
     "search", "admin", "api", "static", "media", "me", "accounts", "sessions", "intervision",
     "festivals", "takeaways", "feeds", "manage"}
)  # fmt: skip
MAX_TOPICS = 10


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
        # Intervision groups are always private and invite only.
        fields["visibility"] = Community.Visibility.PRIVATE
        fields["join_policy"] = Community.JoinPolicy.INVITE
    return fields


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
    record_membership_event(membership, MembershipEvent.Kind.JOINED, creator)
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
    require_manager(actor, community)
    require_not_archived(community)
    community.name = _check_name_free(name=name, exclude_pk=community.pk)
    community.purpose = purpose.strip()
    community.description = description
    community.cadence = cadence.strip()
    fields = _apply_kind_rules(
        {"kind": community.kind, "visibility": visibility, "join_policy": join_policy}
    )
    turned_private = (
        community.visibility != fields["visibility"]
        and fields["visibility"] != Community.Visibility.PUBLIC
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
    if turned_private:
        community_access_changed(community)  # non-members lose its sessions
    return community


def community_archive(*, community: Community, actor: User) -> Community:
    """Archive: read-only and hidden from the directory; history kept. Idempotent."""
    require_manager(actor, community)
    if not community.archived:
        community.archived = True
        community.archived_at = timezone.now()
        community.save(update_fields=["archived", "archived_at", "updated_at"])
    return community


def community_restore(*, community: Community, actor: User) -> Community:
    """Bring an archived community back. Idempotent."""
    require_manager(actor, community)
    if community.archived:
        community.archived = False
        community.archived_at = None
        community.save(update_fields=["archived", "archived_at", "updated_at"])
    return community
