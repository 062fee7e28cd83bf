"""Speaker pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.errors import DomainError
from events.festivals.forms import SpeakerProfileForm
from events.festivals.selectors import (
    own_speaker_profile,
    speaker_page,
    speaker_photo,
)
from events.festivals.services.speakers import speaker_profile_update


@login_required
@require_GET
def speaker_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    page = speaker_page(viewer=request.user, user_id=user_id)
    if page is None:
        raise Http404
    page["is_me"] = page["speaker"].pk == request.user.pk
    return render(request, "events/festivals/speaker.html", page)


@login_required
@require_GET
def speaker_photo_view(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = speaker_photo(viewer=request.user, user_id=user_id)
    if profile is None or not profile.photo:
        raise Http404
    response = HttpResponse(bytes(profile.photo), content_type=profile.photo_content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request: HttpRequest) -> HttpResponse:
    profile = own_speaker_profile(request.user)
    posting = request.method == "POST"
    form = SpeakerProfileForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        initial={"bio": profile.bio if profile else ""},
    )
    if posting and form.is_valid():
        try:
            speaker_profile_update(
                user=request.user,
                bio=form.cleaned_data["bio"],
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your speaker page has been saved."))
            return redirect("speaker_detail", request.user.pk)
    # A refused form (a file that is no image, a bio too long) is a bad request: 400.
    return render(
        request,
        "events/festivals/speaker_form.html",
        {"form": form, "profile": profile},
        status=400 if posting else 200,
    )
