"""The Django admin, for staff with a second factor only (ARCHITECTURE.md, known traps).

The admin signs in through allauth (``secure_admin_login`` in ``config/urls.py``: rate limits,
verified e-mail, the MFA stage). On top of that this site refuses staff who have not set up
MFA: ``has_permission`` is False for them and the login page sends them to set it up, so the
admin never opens for a password alone.

Every change made in the admin is also an entry of the audit log (``AuditedAdmin``, mixed into
each registered ModelAdmin): who, what and which fields.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def _changed_fields(message) -> str:
    """The field names of the admin's change message (``[{"changed": {"fields": [...]}}]``)."""
    if not isinstance(message, list):
        return ""
    names = []
    for part in message:
        for change in part.values():
            names.extend(str(name) for name in change.get("fields", ()))
    return ", ".join(names)


class AuditedAdmin:
    """Record additions, changes and deletions of the admin in the audit log."""

    def log_addition(self, request, obj, message):
        from communities.audit.services import audit_record  # noqa: PLC0415 -- startup

        entry = super().log_addition(request, obj, message)
        audit_record(actor=request.user, action="admin.add", target=obj, request=request)
        return entry

    def log_change(self, request, obj, message):
        from communities.audit.services import audit_record  # noqa: PLC0415 -- startup

        entry = super().log_change(request, obj, message)
        audit_record(
            actor=request.user,
            action="admin.change",
            target=obj,
            detail=_changed_fields(message),
            request=request,
        )
        return entry

    def log_deletions(self, request, queryset):
        from communities.audit.services import audit_record  # noqa: PLC0415 -- startup

        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", target=obj, request=request)
        return entries


class AdminSite(admin.AdminSite):
    site_header = "Kennisplein"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        from communities.selectors import user_has_mfa  # noqa: PLC0415 -- startup

        return super().has_permission(request) and user_has_mfa(request.user)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        from communities.selectors import user_has_mfa  # noqa: PLC0415 -- startup

        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not user_has_mfa(user):
            messages.error(
                request, _("The admin needs two-factor authentication: set it up to continue.")
            )
            return redirect("mfa_index")
        return super().login(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.AdminSite"
