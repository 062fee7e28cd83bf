"""Session pages, and the development mail viewer."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from events.models import OutboxMessage
from events.selectors.sessions import session_for_viewer, sessions_upcoming


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sessions_upcoming(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "events/session_list.html", {"page": page})


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_viewer(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return render(request, "events/session_detail.html", {"session": session})


def _dev_only() -> None:
    if not settings.DEBUG:
        raise Http404


@require_GET
def dev_mail_list(request: HttpRequest) -> HttpResponse:
    """DEBUG only: the latest messages the outbox holds, to read mail without a mail server."""
    _dev_only()
    mails = OutboxMessage.objects.order_by("-created_at", "-id")[:100]
    return render(request, "events/dev_mail_list.html", {"mails": mails})


@require_GET
def dev_mail_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    _dev_only()
    mail = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "events/dev_mail_detail.html", {"mail": mail})
