"""A learning statement as a PDF (fpdf2, the project's PDF writer; no system libraries), in
the statement's language, with the QR code of its verification URL."""

import io
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from learning.record.models import Statement


def form_labels() -> dict[str, str]:
    return {
        "session": _("knowledge session"),
        "intervision": _("intervision (peer consultation)"),
        "shadowing": _("shadowing (meelopen)"),
        "journey": _("onboarding journey"),
    }


def hours_text(hours) -> str:
    """Hours as the active language writes them (10,50 in Dutch, 10.50 in English)."""
    return formats.number_format(Decimal(str(hours)), 2)


def _latin1(text) -> str:
    """fpdf2's core fonts speak Latin-1: dashes and quotes become their plain forms."""
    text = str(text).translate(str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "’": "'"}))
    return text.encode("latin-1", "replace").decode("latin-1")


def _qr_png(url: str) -> io.BytesIO:
    import qrcode  # noqa: PLC0415 -- slow

    image = qrcode.make(url, box_size=4, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def statement_pdf(statement: Statement, *, verify_url: str, organisation: str) -> bytes:
    from fpdf import FPDF  # noqa: PLC0415 -- slow

    with translation.override(statement.language):
        labels = form_labels()
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        title = _("Statement of learning hours")
        pdf.set_title(_latin1(title))
        pdf.set_author(_latin1(organisation))
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        period = "{} - {}".format(
            formats.date_format(statement.period_start, "j F Y"),
            formats.date_format(statement.period_end, "j F Y"),
        )
        facts = [
            (_("Name"), statement.person_name),
            (_("Period"), period),
            (_("Total hours"), hours_text(statement.total_hours)),
            (_("Issued by"), organisation),
            (_("Issued on"), formats.date_format(statement.issued_at, "j F Y")),
        ]
        for label, value in facts:
            pdf.cell(35, 6, _latin1(label + ":"))
            pdf.cell(0, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.multi_cell(
            0,
            5,
            _latin1(
                _(
                    "For professional registers such as SKJ and Registerplein. It lists date, "
                    "hours, form of learning and facilitator; never the content of an "
                    "intervision case or who else took part."
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        headers = (_("Date"), _("Hours"), _("Form of learning"), _("Title"), _("Facilitator"))
        with pdf.table(col_widths=(22, 14, 42, 62, 40), text_align="LEFT") as table:
            table.row([_latin1(text) for text in headers])
            for line in statement.lines:
                table.row(
                    [
                        line["date"],
                        hours_text(line["hours"]),
                        _latin1(labels.get(line["form"], line["form"])),
                        _latin1(line["title"]),
                        _latin1(line["facilitator"]),
                    ]
                )
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _latin1(_("Check this statement")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        y = pdf.get_y()
        pdf.image(_qr_png(verify_url), x=pdf.l_margin, y=y, w=30, h=30)
        pdf.set_xy(pdf.l_margin + 34, y)
        pdf.multi_cell(
            0,
            4,
            _latin1(_("Scan the code or open this address to see that the statement is genuine:"))
            + "\n"
            + verify_url,
        )
        return bytes(pdf.output())
