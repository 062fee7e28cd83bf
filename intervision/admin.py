"""Admin for the method catalogue and group settings. Cases, live items, votes, private copies,
phase runs, swaps, attendance, evaluations and commitments are deliberately not in the admin:
they are for the group (or the presenter) only."""

from django.contrib import admin

from communities.admin_base import ReadOnlyAdmin
from intervision.models import AgreementAcceptance, GroupSettings, IntervisionSession, Method, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("order", "name_nl", "name_en", "minutes", "presenter_state", "group_mode")


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ("name_nl", "name_en", "code", "group", "verified")
    list_filter = ("verified", "family")
    search_fields = ("name_nl", "name_en", "code")
    inlines = [PhaseInline]


@admin.register(GroupSettings)
class GroupSettingsAdmin(admin.ModelAdmin):
    list_display = ("group", "cadence_weeks", "selection_mode", "agreement_version")
    exclude = ("agreement",)


@admin.register(IntervisionSession)
class IntervisionSessionAdmin(admin.ModelAdmin):
    """Metadata only: date, group, method, state (roles and the theme are group-private)."""

    list_display = ("id", "group", "method", "state", "closed_at")
    list_filter = ("state",)
    fields = ("group", "method", "state", "closed_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    """Who accepted which version of a group's agreement, and when."""

    list_display = ("group", "user", "version", "accepted_at")
