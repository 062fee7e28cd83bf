"""My learning record (page, CSV), issuing and downloading statements, and the public
verification page a statement's QR code opens."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.csv import csv_response
from communities.errors import DomainError
from communities.http import first_error
from communities.organisation import organisation_settings
from learning.record import selectors
from learning.record.forms import StatementForm
from learning.record.pdf import form_labels, statement_pdf
from learning.record.services import statement_issue
from learning.record.signing import read_token, statement_is_intact, statement_token


def verify_path(statement) -> str:
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    return reverse("learning:statement_verify", args=[token])


@login_required
@require_GET
def record(request: HttpRequest) -> HttpResponse:
    lines = selectors.learning_lines(request.user)
    labels = form_labels()
    today = timezone.localdate()
    statements = list(selectors.statements_of(request.user)[:20])
    return render(
        request,
        "learning/record/record.html",
        {
            "lines": [{"line": line, "label": labels[line.form]} for line in reversed(lines)],
            "years": selectors.hours_per_year(lines),
            "statements": [(s, verify_path(s)) for s in statements],
            "form": StatementForm(
                initial={"period_start": date(today.year, 1, 1), "period_end": today}
            ),
        },
    )


@login_required
@require_GET
def record_csv(request: HttpRequest) -> HttpResponse:
    labels = form_labels()
    return csv_response(
        filename="learning-record.csv",
        header=[_("date"), _("hours"), _("form of learning"), _("title"), _("facilitator")],
        rows=(
            (
                line.date.isoformat(),
                str(line.hours),
                labels[line.form],
                line.title,
                line.facilitator,
            )
            for line in selectors.learning_lines(request.user)
        ),
    )


@login_required
@require_POST
def statement_new(request: HttpRequest) -> HttpResponse:
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("learning:record")
    try:
        statement = statement_issue(user=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learning:record")
    messages.success(request, _("Your statement is ready to download."))
    return redirect(f"{reverse('learning:record')}#statement-{statement.pk}")


@login_required
@require_GET
def statement_download(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = selectors.statement_of(user=request.user, statement_id=statement_id)
    if statement is None:
        raise Http404
    content = statement_pdf(
        statement,
        verify_url=settings.SITE_URL + verify_path(statement),
        organisation=organisation_settings().name,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="learning-statement-{statement.pk}.pdf"'
    )
    return response


@require_GET
def statement_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the statement (a register) checks it here, without an account. A token we
    did not sign, one that was changed, or a statement that no longer exists or no longer says
    the same: "not valid", with status 404."""
    payload = read_token(token)
    statement = selectors.statement_by_public_id(payload["s"]) if payload else None
    valid = (
        statement is not None
        and payload["d"] == statement.digest
        and statement_is_intact(statement)
    )
    if not valid:
        return render(request, "learning/record/verify_invalid.html", status=404)
    labels = form_labels()
    return render(
        request,
        "learning/record/verify.html",
        {
            "statement": statement,
            "lines": [
                {**line, "label": labels.get(line["form"], line["form"])}
                for line in statement.lines
            ],
        },
    )
