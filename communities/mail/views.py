"""The outbox screens: for staff, what is due, sent and failed per kind per day with a re-send
for failed rows; in development (DEBUG only), the mail viewer showing each message as its
recipient reads it."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.http import staff_required
from communities.mail.selectors import (
    is_failed,
    latest_messages,
    mail_circuit,
    message_by_id,
    outbox_counts,
    outbox_failed,
    outbox_skip_reasons,
    outbox_summary,
)
from communities.mail.services import outbox_retry

# --- The development mail viewer --------------------------------------------------------------


def _dev_only() -> None:
    if not settings.DEBUG:
        raise Http404


@require_GET
def dev_mail_list(request: HttpRequest) -> HttpResponse:
    """DEBUG only: the latest messages the outbox holds, to read mail without a mail server."""
    _dev_only()
    mails = latest_messages(limit=100)
    return render(request, "communities/mail/dev_mail_list.html", {"mails": mails})


@require_GET
def dev_mail_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    _dev_only()
    mail = message_by_id(message_id)
    if mail is None:
        raise Http404
    return render(request, "communities/mail/dev_mail_detail.html", {"mail": mail})


# --- The outbox screens (staff) -------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def outbox_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "communities/mail/outbox_overview.html",
        {
            "counts": outbox_counts(),
            "failed": outbox_failed(),
            "summary": outbox_summary(),
            "circuit": mail_circuit(),
            "skip_reasons": outbox_skip_reasons(),
        },
    )


@staff_required
@require_POST
def outbox_resend(request: HttpRequest, message_id: int) -> HttpResponse:
    if is_failed(message_id) and outbox_retry(message_ids=[message_id]):
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.error(request, _("Only failed messages can be sent again."))
    return redirect("outbox_overview")
