"""The base of every PDF the company issues (invoices, statements, letters, annual
information), built with reportlab: fonts with Polish letters, the company's styles,
tables, the logo and footer on each page. `generate(obj) -> (filename, mimetype, bytes)`
is the subclasses' contract."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from ebok.core import formatting
from ebok.core.branding import draw_logo
from ebok.core.models import CompanySettings
from ebok.core.pdf_fonts import FONT, FONT_BOLD, register_fonts


class _Esc:
    """Escape text for reportlab's mini-markup."""

    @staticmethod
    def __call__(text) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


esc = _Esc()


class BasePdfRenderer:
    mimetype = "application/pdf"
    table_header_bg = colors.HexColor("#e9edf1")
    line_colour = colors.HexColor("#b8c2cc")
    font_size = 8

    def __init__(self):
        register_fonts()
        self.config = CompanySettings.get()

    def styles(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
        return {
            "base": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
            "title": ParagraphStyle(
                "title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=10.5,
                leading=14,
                spaceBefore=8,
                spaceAfter=4,
            ),
            "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            "right_bold": ParagraphStyle(
                "right_bold", parent=base, alignment=TA_RIGHT, fontName=FONT_BOLD
            ),
        }

    def table(self, rows, col_widths, *, header=True, num_cols=(), total_row=False) -> Table:
        table = Table(rows, colWidths=col_widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, self.font_size),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.line_colour),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style += [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, self.font_size),
                ("BACKGROUND", (0, 0), (-1, 0), self.table_header_bg),
            ]
        if total_row:
            style.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, self.font_size))
        for col in num_cols:
            style.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
        table.setStyle(TableStyle(style))
        return table

    def seller_lines(self) -> list[str]:
        c = self.config
        lines = [c.company_name]
        if c.street:
            lines.append(c.street)
        if c.postal_code or c.city:
            lines.append(f"{c.postal_code} {c.city}".strip())
        if c.nip:
            lines.append(_("NIP: %(nip)s") % {"nip": formatting.nip(c.nip)})
        return lines

    def on_page(self, canvas, doc) -> None:
        canvas.saveState()
        draw_logo(
            canvas,
            self.config,
            right=A4[0] - 2 * cm,
            top=A4[1] - 1 * cm,
            max_width=4 * cm,
            max_height=1.2 * cm,
        )
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        footer = f"{self.config.company_name} · eBOK"
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("strona %(page)d") % {"page": doc.page})
        canvas.restoreState()

    def build(self, story, *, title: str) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=1.8 * cm,
            bottomMargin=2 * cm,
            title=title,
            author=self.config.company_name,
            creator="eBOK",
        )
        doc.build(story, onFirstPage=self.on_page, onLaterPages=self.on_page)
        return out.getvalue()
