"""Request middleware: a person's language, the second factor staff must have, no NUL in input."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from communities.organisation import organisation_settings
from communities.parsing import has_nul
from communities.selectors import user_has_mfa


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        elif (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not _browser_asks_for_a_supported_language(request)
        ):
            # Nobody chose: the organisation's default language rather than the server's.

            language = organisation_settings().default_language
            if language in dict(settings.LANGUAGES) and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def _browser_asks_for_a_supported_language(request) -> bool:
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            continue
        try:
            translation.get_supported_language_variant(code)
        except LookupError:
            continue
        return True
    return False


class StaffMfaMiddleware:
    """Staff must use a second factor: a staff member without one is sent to set it up.

    Everything under /accounts/ (allauth: the MFA pages, logout, e-mail) stays reachable, and so
    do the few public resources every page loads.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/language/", "/organisation/logo")
    ALLOWED_PATHS = ("/organisation/theme.css",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path not in self.ALLOWED_PATHS
        ) and not user_has_mfa(user):
            messages.warning(
                request,
                _("Staff need two-factor authentication: set it up to continue."),
            )
            return redirect("mfa_index")
        return self.get_response(request)


class RejectNulMiddleware:
    """No free-text input may hold a NUL byte (PostgreSQL text cannot store one): a request with
    one in a query or form parameter, name or value, is answered 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request.GET) or (request.method == "POST" and _carries_nul(request.POST)):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _carries_nul(query) -> bool:
    return any(has_nul(key) or any(map(has_nul, values)) for key, values in query.lists())
