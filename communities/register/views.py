"""The processing register's page (staff; printable)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communities.http import staff_required
from communities.organisation import organisation_settings
from communities.register.selectors import processing_register, sections_without_activity


@staff_required
@require_GET
def processing_register_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "communities/register/register.html",
        {
            "entries": processing_register(),
            "undescribed": sections_without_activity(),
            "organisation": organisation_settings().name,
            "generated": timezone.localtime(),
        },
    )
