"""Pages for communities and for a person's own profile and data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import DomainError
from communities.forms import EraseAccountForm, ProfileForm
from communities.selectors import community_directory, community_for_viewer, membership_of
from communities.services import (
    account_erase,
    personal_data_export_json,
    user_set_language,
    user_update_profile,
)
from events.selectors.sessions import sessions_upcoming


@login_required
@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    communities = community_directory(request.user)
    return render(request, "communities/list.html", {"communities": communities})


@login_required
@require_GET
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_for_viewer(user=request.user, slug=slug)
    if community is None:
        raise Http404
    sessions = sessions_upcoming(request.user).filter(community=community)[:10]
    return render(
        request,
        "communities/detail.html",
        {
            "community": community,
            "membership": membership_of(user=request.user, community=community),
            "sessions": sessions,
        },
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
        translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("me")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
        return response
    return render(
        request,
        "communities/me.html",
        {"form": form, "erase_form": EraseAccountForm(user=request.user)},
    )


@login_required
@require_GET
def me_data_download(request: HttpRequest) -> HttpResponse:
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
            account_erase(user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("me")
        logout(request)
        messages.success(request, _("Your account and your data have been erased."))
        return redirect("home")
    return render(
        request,
        "communities/me.html",
        {"form": ProfileForm.for_user(request.user), "erase_form": form},
        status=400,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: remembers the choice in a cookie and on the person's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    return response
