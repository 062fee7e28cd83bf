from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from solo.admin import SingletonModelAdmin

from communities.admin_base import ReadOnlyAdmin, run_per_row
from communities.audit.admin import register_admin as register_audit_admin
from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.forms import OrganisationForm
from communities.mail.admin import OutboxMessageAdmin
from communities.mail.models import OutboxMessage
from communities.models import (
    Community,
    Invitation,
    Membership,
    MembershipEvent,
    Organisation,
    Topic,
    User,
)
from communities.services.accounts import user_approve, user_deactivate, user_reactivate
from communities.services.memberships import membership_remove
from communities.services.organisation import organisation_update


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["community", "role", "state", "joined_at"]
    readonly_fields = fields
    verbose_name_plural = _("memberships")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _run(modeladmin, request, queryset, action, done_message, event: str) -> None:
    done = 0
    for user in queryset.order_by("pk"):
        try:
            action(actor=request.user, user=user)
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
        else:
            audit_record(actor=request.user, action=event, target=user, request=request)
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "team",
        "language",
        "is_staff",
        "is_active",
        "awaiting_approval",
        "has_mfa",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "awaiting_approval", "language"]
    search_fields = ["email", "display_name", "team"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "team", "language", "timezone")}),
        (
            _("Access"),
            {"fields": ("is_active", "awaiting_approval", "deactivated_at")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Access changes go through the actions below (services: feed token, pending mail, ...).
    readonly_fields = [
        "is_active",
        "awaiting_approval",
        "deactivated_at",
        "last_login",
        "date_joined",
    ]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [UserMembershipInline]
    actions = ["deactivate", "reactivate", "approve"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_mfa_value=Exists(
                    Authenticator.objects.filter(
                        user=OuterRef("pk"),
                        type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
                    )
                )
            )
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(boolean=True, description=_("two-factor"), ordering="has_mfa_value")
    def has_mfa(self, obj) -> bool:
        return obj.has_mfa_value

    @admin.action(description=_("Deactivate the selected people (leavers)"))
    def deactivate(self, request, queryset) -> None:
        _run(
            self,
            request,
            queryset,
            user_deactivate,
            _("%(count)d deactivated."),
            "person.deactivate",
        )

    @admin.action(description=_("Reactivate the selected people"))
    def reactivate(self, request, queryset) -> None:
        _run(
            self,
            request,
            queryset,
            user_reactivate,
            _("%(count)d reactivated."),
            "person.reactivate",
        )

    @admin.action(description=_("Approve the selected sign-ups"))
    def approve(self, request, queryset) -> None:
        _run(self, request, queryset, user_approve, _("%(count)d approved."), "person.approve")


class MembershipInline(admin.TabularInline):
    """Who is in the community; joining, roles and removal go through the memberships' services
    (the community's members page, or the actions on Memberships), so nobody is left without a
    coordinator and everyone concerned is told."""

    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "state", "joined_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "community", "role", "state", "joined_at"]
    list_filter = ["role", "state"]
    search_fields = ["user__email", "community__name"]
    actions = ["remove"]

    @admin.action(description=_("Remove the selected members (as a coordinator would)"))
    def remove(self, request, queryset) -> None:
        run_per_row(
            self,
            request,
            queryset.select_related("community"),
            lambda actor, row: membership_remove(
                community=row.community, actor=actor, membership_id=row.pk
            ),
            _("%(count)d removed."),
        )


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    list_display = ["membership", "kind", "actor", "role", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["community", "email", "state", "created_at", "expires_at"]
    list_filter = ["state"]
    exclude = ["token_hash"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "visibility", "join_policy", "archived"]
    list_filter = ["kind", "visibility", "join_policy", "archived"]
    search_fields = ["name", "slug", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


# Single sign-on is configured in the environment or the organisation settings, and tokens are not
# stored: allauth's own SocialApp and SocialToken tables are unused, so not offered here.
for _model in (SocialApp, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Organisation)
class OrganisationAdmin(SingletonModelAdmin):
    """The same form and service as the staff's /organisation/ page."""

    form = OrganisationForm
    fieldsets = (
        (
            _("The organisation"),
            {
                "fields": (
                    "name",
                    "logo_upload",
                    "remove_logo",
                    "primary_colour",
                    "default_language",
                    "default_timezone",
                )
            },
        ),
        (
            _("Who may enter"),
            {
                "fields": (
                    "allowed_signup_domains",
                    "signup_requires_approval",
                    "sso_only",
                    "community_creation",
                )
            },
        ),
        (
            _("Single sign-on (OpenID Connect)"),
            {
                "fields": (
                    "sso_name",
                    "sso_issuer",
                    "sso_client_id",
                    "sso_client_secret",
                    "sso_allowed_tenants",
                )
            },
        ),
        (
            _("Retention"),
            {
                "fields": (
                    "intervision_retention_days",
                    "takeaway_review_months",
                    "outbox_retention_days",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change) -> None:
        try:
            organisation_update(
                actor=request.user,
                changes=form.changes(),
                logo=form.cleaned_data.get("logo_upload"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)


# The outbox is part of this app (communities/mail/).
admin.site.register(OutboxMessage, OutboxMessageAdmin)

register_audit_admin()
