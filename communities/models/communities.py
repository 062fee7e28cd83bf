"""Communities (of practice, guilds, intervision groups), who belongs to them, invitations."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A subject communities work on (Python, toegankelijkheid, security, ...)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY_OF_PRACTICE = "community_of_practice", _("community of practice")
        GUILD = "guild", _("guild")
        INTERVISION_GROUP = "intervision_group", _("intervision group")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public in the organisation")
        PRIVATE = "private", _("private: only members see it")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("open: anyone may join")
        APPROVAL = "approval", _("on approval by a coordinator")
        INVITE = "invite", _("by invitation only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=280, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    cadence = models.CharField(_("cadence"), max_length=120, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("join policy"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="communities", verbose_name=_("topics")
    )
    archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_communities",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="community_name_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["community_of_practice", "guild", "intervision_group"]
                ),
                name="community_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "private"]),
                name="community_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(join_policy__in=["open", "approval", "invite"]),
                name="community_join_policy_valid",
            ),
            # Intervision groups are always private and invite only.
            models.CheckConstraint(
                condition=~models.Q(kind="intervision_group")
                | models.Q(visibility="private", join_policy="invite"),
                name="community_intervision_private_invite",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_intervision(self) -> bool:
        return self.kind == self.Kind.INTERVISION_GROUP


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")
        FACILITATOR = "facilitator", _("facilitator")
        AMBASSADOR = "ambassador", _("ambassador")

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        PENDING = "pending", _("waiting for approval")
        INVITED = "invited", _("invited")
        LEFT = "left", _("left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # A request to join (approval policy) carries a short motivation for the coordinators.
    motivation = models.CharField(_("motivation"), max_length=500, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "coordinator", "facilitator", "ambassador"]),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["active", "pending", "invited", "left"]),
                name="membership_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def leads(self) -> bool:
        """Coordinators lead a community; in an intervision group a facilitator counts as one."""
        return self.role in (self.Role.COORDINATOR, self.Role.FACILITATOR)


class MembershipEvent(models.Model):
    """History of a membership: one row per change, so re-joining keeps the past."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("joined")
        REQUESTED = "requested", _("asked to join")
        APPROVED = "approved", _("request approved")
        DECLINED = "declined", _("request declined")
        WITHDRAWN = "withdrawn", _("request withdrawn")
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted the invitation")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")
        ROLE_CHANGED = "role_changed", _("role changed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_actions",
    )
    role = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.kind}"


class Invitation(models.Model):
    """An invitation by e-mail to an invite-only (or any) community.

    The token is sent in the mail and stored only as its SHA-256. The invitee may not have an
    account yet: the link leads through sign-up and lands on the invitation.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("revoked")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "community",
                Lower("email"),
                condition=models.Q(state="pending"),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"
