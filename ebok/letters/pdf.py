"""The PDF snapshot of a letter: a customer's online request or the company's reply.

`LetterPdfRenderer().generate(letter) -> (filename, mimetype, bytes)`; the result is
stored as the letter's document attachment and never re-rendered. It shares the base,
styles, logo and page footer of every company document (`ebok.core.pdf`).
"""

from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer

from ebok.core.pdf import BasePdfRenderer


def _p(text) -> str:
    return escape(str(text or "")).replace("\n", "<br/>")


class LetterPdfRenderer(BasePdfRenderer):
    font_size = 10

    def filename(self, letter) -> str:
        return letter.number.replace("/", "-") + ".pdf"

    # A stored or posted document is in the company's language, whoever caused it.
    @translation.override(settings.LANGUAGE_CODE)
    def generate(self, letter):
        content = self.build(self.story(letter), title=letter.number)
        return self.filename(letter), self.mimetype, content

    def story(self, letter):
        s = self.styles()
        config = self.config
        created = timezone.localtime(letter.created_at)
        story = [
            Paragraph(_p(config.company_name), s["bold"]),
            Paragraph(_p(config.address_line), s["small"]),
            Spacer(1, 0.6 * cm),
            Paragraph(_p(letter.get_kind_display()), s["title"]),
            Spacer(1, 0.3 * cm),
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
        story.append(self._rows(meta, s))
        data = letter.structured_data or {}
        fields = data.get("fields") or []
        if fields:
            story += [
                Spacer(1, 0.4 * cm),
                Paragraph(_p(data.get("title", _("Dane wniosku"))), s["h2"]),
                self._rows([[f["label"], f["value"]] for f in fields], s),
            ]
        if letter.body:
            story += [Spacer(1, 0.4 * cm), Paragraph(_p(letter.body), s["base"])]
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

    def _rows(self, rows, s):
        """Label and value rows, the label in bold, long values wrapped."""
        return self.table(
            [[Paragraph(_p(k), s["bold"]), Paragraph(_p(v), s["base"])] for k, v in rows],
            [5 * cm, 12 * cm],
            header=False,
        )
