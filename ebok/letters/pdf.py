"""The PDF snapshot of a letter: a customer's online request or the company's reply.

`LetterPdfRenderer().generate(letter) -> (filename, mimetype, bytes)`; the result is
stored as the letter's document attachment and never re-rendered.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ebok.core.models import SiteConfiguration
from ebok.core.pdf_fonts import FONT, FONT_BOLD, register_fonts


def _p(text) -> str:
    return escape(str(text or "")).replace("\n", "<br/>")


class LetterPdfRenderer:
    mimetype = "application/pdf"

    def __init__(self):
        register_fonts()
        self.styles = {
            "normal": ParagraphStyle("normal", fontName=FONT, fontSize=10, leading=14),
            "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11),
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=6
            ),
            "bold": ParagraphStyle("bold", fontName=FONT_BOLD, fontSize=10, leading=14),
        }

    def filename(self, letter) -> str:
        return letter.number.replace("/", "-") + ".pdf"

    # A stored or posted document is in the company's language, whoever caused it.
    @translation.override(settings.LANGUAGE_CODE)
    def generate(self, letter):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=letter.number,
            author=SiteConfiguration.get().company_name,
        )
        doc.build(self.story(letter))
        return self.filename(letter), self.mimetype, buffer.getvalue()

    def story(self, letter):
        s = self.styles
        config = SiteConfiguration.get()
        created = timezone.localtime(letter.created_at)
        story = [
            Paragraph(_p(config.company_name), s["bold"]),
            Paragraph(_p(config.address_line), s["small"]),
            Spacer(1, 0.6 * cm),
            Paragraph(_p(letter.get_kind_display()), s["title"]),
        ]
        meta = [
            [_("Numer"), letter.number],
            [_("Data utworzenia"), created.strftime("%d-%m-%Y %H:%M")],
        ]
        if letter.in_reply_to_id:
            meta.append([_("Dotyczy pisma"), letter.in_reply_to.number])
        customer = letter.customer
        if customer is not None:
            meta.append([_("Kontrahent"), f"{customer.name} ({customer.payer_code})"])
            meta.append([_("Adres"), f"{customer.street}, {customer.postal_code} {customer.city}"])
        elif letter.sender_name:
            meta.append([_("Nadawca"), letter.sender_name])
        if letter.description:
            meta.append([_("Opis"), letter.description])
        story.append(self._table(meta))
        data = letter.structured_data or {}
        fields = data.get("fields") or []
        if fields:
            story += [
                Spacer(1, 0.4 * cm),
                Paragraph(_p(data.get("title", _("Dane wniosku"))), s["bold"]),
            ]
            story.append(self._table([[f["label"], f["value"]] for f in fields]))
        if letter.body:
            story += [Spacer(1, 0.4 * cm), Paragraph(_p(letter.body), s["normal"])]
        story += [
            Spacer(1, 1 * cm),
            Paragraph(
                _p(
                    _("Dokument wygenerowany w systemie eBOK %(company)s.")
                    % {"company": config.company_short_name}
                ),
                s["small"],
            ),
        ]
        return story

    def _table(self, rows):
        s = self.styles
        table = Table(
            [[Paragraph(_p(k), s["bold"]), Paragraph(_p(v), s["normal"])] for k, v in rows],
            colWidths=[5 * cm, 12 * cm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#c8ced6"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table
