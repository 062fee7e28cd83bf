"""The audit log's page and its CSV export (staff)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communities.audit.events import event_label
from communities.audit.forms import AuditFilterForm
from communities.audit.selectors import audit_entries
from communities.audit.services import audit_record
from communities.csv import csv_response
from communities.http import query_without_page, staff_required
from communities.organisation import organisation_row

PAGE_SIZE = 50


def _rows(entries):
    for entry in entries:
        yield (
            entry,
            {
                "when": timezone.localtime(entry.timestamp),
                "who": entry.actor_email or (_("the system") if entry.actor_id is None else ""),
                "what": event_label((entry.additional_data or {}).get("event", "")),
                "kind": entry.content_type.name if entry.content_type_id else "",
                "target": entry.object_repr,
                "detail": (entry.additional_data or {}).get("detail", ""),
                "changes": entry.changes or {},
                "address": entry.remote_addr or "",
            },
        )


@staff_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries(viewer=request.user, **form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": [row for _entry, row in _rows(page.object_list)],
            "query_string": query_without_page(request),
            "export_query": request.GET.urlencode(),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV; the export itself is an entry (recorded before it is read)."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    audit_record(
        actor=request.user,
        action="export.audit",
        target=organisation_row(),
        detail=request.GET.urlencode()[:500],
        request=request,
    )
    entries = audit_entries(viewer=request.user, **filters)
    rows = (
        [
            row["when"].isoformat(),
            row["who"],
            row["what"],
            row["kind"],
            row["target"],
            row["detail"],
            "; ".join(f"{field}: {values}" for field, values in row["changes"].items()),
            row["address"],
        ]
        for _entry, row in _rows(entries.iterator(chunk_size=500))
    )
    return csv_response(
        filename=f"kennisplein-audit-{timezone.localdate().isoformat()}.csv",
        header=[
            _("When"),
            _("Who"),
            _("What"),
            _("Kind"),
            _("Concerning"),
            _("Detail"),
            _("Changes"),
            _("Address"),
        ],
        rows=rows,
    )
