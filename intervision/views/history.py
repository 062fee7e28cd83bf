"""A member's intervision history (page, CSV, PDF for professional registers) and the leads'
attendance CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communities.audit.services import audit_record
from communities.csv import csv_response
from intervision import selectors
from intervision.views.access import lead_group_or_404


def _role_labels() -> dict:
    return {
        "presenter": _("case presenter"),
        "facilitator": _("facilitator"),
        "timekeeper": _("timekeeper"),
        "participant": _("participant"),
    }


@login_required
@require_GET
def attendance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    group = lead_group_or_404(request, slug)
    return csv_response(
        filename=f"attendance-{group.slug}.csv",
        header=[_("date"), _("hours"), _("method"), _("person"), _("present")],
        rows=(
            (
                timezone.localtime(row.isession.session.start).date().isoformat(),
                round(
                    (row.isession.session.end - row.isession.session.start).total_seconds() / 3600,
                    2,
                ),
                row.isession.method.name,
                row.user.name,
                _("yes") if row.present else _("no"),
            )
            for row in selectors.attendance_rows(group)
        ),
    )


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    rows = selectors.history_of(request.user)
    labels = _role_labels()
    for row in rows:
        row["role_label"] = labels[row["role"]]

    return render(
        request,
        "intervision/history.html",
        {
            "rows": rows,
            "total_hours": round(sum(r["hours"] for r in rows), 2),
            "copies": selectors.presenter_copies_of(request.user),
        },
    )


@login_required
@require_GET
def history_csv(request: HttpRequest) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="export.intervision_history",
        target=request.user,
        detail="csv",
        request=request,
    )
    labels = _role_labels()
    return csv_response(
        filename="intervision-history.csv",
        header=[_("date"), _("hours"), _("method"), _("group"), _("role")],
        rows=(
            (
                row["date"].isoformat(),
                row["hours"],
                row["method"],
                row["group"],
                labels[row["role"]],
            )
            for row in selectors.history_of(request.user)
        ),
    )


def _latin1(text: str) -> str:
    """fpdf2's core fonts speak Latin-1: dashes and quotes become their plain forms."""
    text = str(text).translate(str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "’": "'"}))
    return text.encode("latin-1", "replace").decode("latin-1")


@login_required
@require_GET
def history_pdf(request: HttpRequest) -> HttpResponse:
    """The same history as a one-table PDF, with the person's name and the total hours."""
    from fpdf import FPDF  # noqa: PLC0415 -- slow

    audit_record(
        actor=request.user,
        action="export.intervision_history",
        target=request.user,
        detail="pdf",
        request=request,
    )
    rows = selectors.history_of(request.user)
    labels = _role_labels()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(_("My intervision history")))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, _latin1(_("My intervision history")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    total = round(sum(r["hours"] for r in rows), 2)
    pdf.cell(
        0, 6, _latin1(f"{request.user.name} <{request.user.email}>"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(
        0,
        6,
        _latin1(_("For professional registers: %(hours)s hours in total.") % {"hours": total}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    with pdf.table(col_widths=(25, 15, 60, 50, 30), text_align="LEFT") as table:
        table.row([_latin1(x) for x in (_("date"), _("hours"), _("method"), _("group"), _("role"))])
        for row in rows:
            table.row(
                [
                    row["date"].isoformat(),
                    str(row["hours"]),
                    _latin1(row["method"]),
                    _latin1(row["group"]),
                    _latin1(labels[row["role"]]),
                ]
            )
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="intervision-history.pdf"'
    return response
