"""Directory sync: the directory's tokens, its view of people and groups, the links from its
groups to communities, and the deprovisionings held for staff.

A person's SCIM id is their user id; ``DirectoryAccount`` holds what only the directory knows
about them (its ``externalId``, the ``userName`` it sent, their manager) and whether the
directory deleted them. Groups are the directory's; a ``CommunityLink`` made by staff is the
only way a group reaches a community.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DirectoryToken(models.Model):
    """A bearer token the directory (Entra ID, Okta, Keycloak) calls /scim/v2/ with. Stored as a
    SHA-256 hash; shown once. It acts as the staff member who made it, and stops working when
    it is revoked or that person is no longer active staff."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_tokens"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="directory_token_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DirectoryAccount(models.Model):
    """What the directory told us about a person beyond the account itself."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account"
    )
    external_id = models.CharField(max_length=255, blank=True)
    user_name = models.CharField(max_length=254)
    # What the directory sent, as it sent it (SCIM reads it back); the account's name and
    # language are derived from these.
    display_name = models.CharField(max_length=150, blank=True)
    formatted_name = models.CharField(max_length=150, blank=True)
    preferred_language = models.CharField(max_length=100, blank=True)
    emails = models.JSONField(default=list, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    manager = models.CharField(max_length=255, blank=True)
    manager_ref = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The directory deleted the person (DELETE /Users/<id>): deactivated and gone from SCIM.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # The last time the directory deactivated the person (the hourly share counts these).
    deprovisioned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="directory_account_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.user_name


class DirectoryGroup(models.Model):
    """A group of the directory: from SCIM, or seen in a login's ``groups`` claim."""

    class Source(models.TextChoices):
        SCIM = "scim", _("directory sync (SCIM)")
        OIDC = "oidc", _("single sign-on groups claim")

    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name"), max_length=255, unique=True)
    external_id = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SCIM)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name=""), name="directory_group_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["scim", "oidc"]), name="directory_group_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class DirectoryGroupMember(models.Model):
    group = models.ForeignKey(DirectoryGroup, on_delete=models.CASCADE, related_name="rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_group_rows"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="directory_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.user_id}"


class CommunityLink(models.Model):
    """Staff's decision that a directory group fills a community (its members become members;
    a coordinators link makes them coordinators). ``group_name`` is matched against a group's
    name and its external id (Entra's object id), and against the values of the ``groups``
    claim at login."""

    class Role(models.TextChoices):
        MEMBER = "member", _("members")
        COORDINATOR = "coordinator", _("coordinators")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="directory_links"
    )
    group_name = models.CharField(_("directory group"), max_length=255)
    role = models.CharField(_("becomes"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community__name", "role", "group_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "role", "group_name"], name="directory_link_once"
            ),
            models.CheckConstraint(condition=~Q(group_name=""), name="directory_link_has_a_group"),
            models.CheckConstraint(
                condition=Q(role__in=["member", "coordinator"]), name="directory_link_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_name} → {self.community_id} ({self.role})"


class DeprovisionHold(models.Model):
    """A deactivation the directory asked for while more than the allowed share of people had
    already been deactivated within the hour: it waits for staff to confirm or discard it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for staff")
        CONFIRMED = "confirmed", _("confirmed")
        DISCARDED = "discarded", _("discarded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deprovision_holds"
    )
    delete = models.BooleanField(default=False)  # DELETE rather than active=false
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="pending"), name="deprovision_hold_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "confirmed", "discarded"]),
                name="deprovision_hold_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="deprovision_hold_decided_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.user_id} ({self.state})"
