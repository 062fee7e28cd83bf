"""A person's own pages: profile and preferences, their data, deleting the account, the language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.audit.services import audit_record
from communities.errors import DomainError
from communities.forms import (
    EraseAccountForm,
    ProfileForm,
    ProfilePhotoForm,
)
from communities.organisation import organisation_row, organisation_settings
from communities.personal_data import personal_data_export_json
from communities.selectors import (
    memberships_of,
    profile_photo_of,
    user_has_mfa,
)
from communities.services.accounts import (
    account_erase,
    calendar_delivery_set,
    profile_photo_remove,
    profile_photo_set,
    user_set_language,
    user_update_profile,
)


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
            team=form.cleaned_data["team"],
        )
        calendar_delivery_set(
            user=request.user,
            choice=form.cleaned_data["calendar_delivery"] or request.user.calendar_delivery,
        )
        translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        return _remember_language(redirect("me"), request.user.language)
    return render(
        request,
        "communities/me.html",
        _me_context(request, form=form, erase_form=EraseAccountForm(user=request.user)),
    )


def _me_context(request: HttpRequest, *, form, erase_form, photo_form=None) -> dict:
    return {
        "form": form,
        "photo_form": photo_form or ProfilePhotoForm(),
        "erase_form": erase_form,
        "memberships": memberships_of(request.user),
        "has_mfa": user_has_mfa(request.user),
        "sso_enabled": organisation_settings().sso is not None,
    }


@login_required
@require_POST
def me_photo(request: HttpRequest) -> HttpResponse:
    """Upload, replace or remove the person's own photo."""
    form = ProfilePhotoForm(request.POST, request.FILES)
    if form.is_valid():
        if form.cleaned_data["remove_photo"]:
            profile_photo_remove(user=request.user)
            messages.success(request, _("Your photo has been removed."))
            return redirect("me")
        if form.cleaned_data["photo"]:
            content, content_type = form.cleaned_data["photo"]
            try:
                profile_photo_set(user=request.user, content=content, content_type=content_type)
            except DomainError as error:
                form.add_error("photo", error.message)
            else:
                messages.success(request, _("Your photo has been saved."))
                return redirect("me")
        else:
            form.add_error("photo", _("Choose a photo to upload."))
    return render(
        request,
        "communities/me.html",
        _me_context(
            request,
            form=ProfileForm.for_user(request.user),
            erase_form=EraseAccountForm(user=request.user),
            photo_form=form,
        ),
        status=400,
    )


@login_required
@require_GET
def person_photo(request: HttpRequest, user_id: int) -> HttpResponse:
    """A colleague's photo, for signed-in people; 404 when there is none."""
    photo = profile_photo_of(user_id=user_id)
    if photo is None:
        raise Http404
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def me_data_download(request: HttpRequest) -> HttpResponse:
    audit_record(
        actor=request.user, action="export.personal_data", target=request.user, request=request
    )
    response = HttpResponse(
        personal_data_export_json(user=request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kennisplein-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def me_erase(request: HttpRequest) -> HttpResponse:
    form = EraseAccountForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            account_erase(user=request.user, answers=form.answers)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("me")
        # Who it was is gone with the account: the entry says only that it happened.
        audit_record(actor=None, action="person.erase", target=organisation_row())
        logout(request)
        messages.success(request, _("Your account and your data have been erased."))
        return redirect("home")
    return render(
        request,
        "communities/me.html",
        _me_context(request, form=ProfileForm.for_user(request.user), erase_form=form),
        status=400,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: remembers the choice in a cookie and on the person's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    # Only a path on this site: anything else (another host, a word that is no URL) goes home.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
        _remember_language(response, language)
    return response


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie, with the settings' flags (``Secure`` under HTTPS in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@require_GET
def signup_pending(request: HttpRequest) -> HttpResponse:
    """Where a person waiting for staff approval lands after confirming or logging in."""
    return render(request, "communities/signup_pending.html")
