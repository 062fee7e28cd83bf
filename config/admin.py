"""The Django admin, for staff with a second factor only (ARCHITECTURE.md, known traps).

The admin signs in through allauth (``secure_admin_login`` in ``config/urls.py``: rate limits,
verified e-mail, the MFA stage). On top of that this site refuses staff who have not set up
MFA: ``has_permission`` is False for them and the login page sends them to set it up, so the
admin never opens for a password alone.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AdminSite(admin.AdminSite):
    site_header = "Kennisplein"

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
