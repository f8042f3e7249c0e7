"""Invoice and statement PDFs, built with reportlab.

`InvoicePdfRenderer.generate(invoice) -> (filename, mimetype, bytes)` renders an invoice
from its stored data; the result is kept as the invoice's snapshot (see
`ebok.billing.documents.invoice_pdf`). Hooks (`styles`, `story`, `on_page`) are methods so
a company can subclass the renderer for its own layout; the base (`BasePdfRenderer`) and
the formatting are in core, shared with the letter and annual-information PDFs.
"""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ebok.billing import qr
from ebok.billing.services import payment_account, vat_summary
from ebok.core.formatting import bank_account, dmy, money, nip, number
from ebok.core.pdf import BasePdfRenderer, esc

# Also imported from here by older code (the annual information PDF).
__all__ = [
    "BasePdfRenderer",
    "InvoicePdfRenderer",
    "StatementPdfRenderer",
    "dmy",
    "esc",
    "money",
    "number",
]

# Printed size of the payment QR code; the standard asks for at least 1.8 cm.
QR_SIZE = 3.0 * cm


class InvoicePdfRenderer(BasePdfRenderer):
    """Renders an invoice from its data: seller, buyer, lines, VAT summary, payment
    details and the ZBP payment QR code."""

    def filename(self, invoice) -> str:
        safe = "".join(ch if ch.isalnum() else "-" for ch in invoice.number).strip("-")
        return f"faktura-{safe}.pdf"

    # A stored or posted document is in the company's language, whoever caused it.
    @translation.override(settings.LANGUAGE_CODE)
    def generate(self, invoice) -> tuple[str, str, bytes]:
        story = self.story(invoice)
        return self.filename(invoice), self.mimetype, self.build(story, title=invoice.number)

    def title(self, invoice) -> str:
        if invoice.kind == invoice.Kind.CORRECTION:
            return _("Faktura korygująca nr %(number)s") % {"number": invoice.number}
        if invoice.kind == invoice.Kind.INTEREST_NOTE:
            return _("Nota odsetkowa nr %(number)s") % {"number": invoice.number}
        return _("Faktura VAT nr %(number)s") % {"number": invoice.number}

    def payment_qr(self, invoice) -> qr.PaymentQr | None:
        account = payment_account(invoice)
        if invoice.gross_amount <= 0 or len(account) != 26:
            return None
        return qr.payment_payload(
            nip=self.config.nip,
            account=account,
            amount=invoice.gross_amount,
            recipient=self.config.company_short_name or self.config.company_name,
            title=invoice.number,
        )

    def story(self, invoice) -> list[Flowable]:
        s = self.styles()
        customer = invoice.customer
        story: list[Flowable] = [Paragraph(esc(self.title(invoice)), s["title"]), Spacer(1, 4)]

        dates = [
            [_("Data wystawienia:"), dmy(invoice.issue_date)],
            [_("Data sprzedaży:"), dmy(invoice.sale_date)],
        ]
        if invoice.period_start and invoice.period_end:
            dates.append(
                [
                    _("Okres rozliczeniowy:"),
                    f"{dmy(invoice.period_start)} – {dmy(invoice.period_end)}",
                ]
            )
        if invoice.contract_id:
            dates.append([_("Umowa:"), invoice.contract.number])
        if invoice.corrected_invoice_id:
            dates.append([_("Dotyczy faktury:"), invoice.corrected_invoice.number])
        if invoice.ksef_number:
            dates.append([_("Numer KSeF:"), invoice.ksef_number])
        story.append(self.table(dates, [4.5 * cm, 12 * cm], header=False))
        story.append(Spacer(1, 8))

        buyer = [customer.name, customer.street, f"{customer.postal_code} {customer.city}"]
        if customer.nip:
            buyer.append(_("NIP: %(nip)s") % {"nip": nip(customer.nip)})
        buyer.append(_("Kod płatnika: %(code)s") % {"code": customer.payer_code})
        parties = Table(
            [
                [Paragraph(esc(_("Sprzedawca")), s["h2"]), Paragraph(esc(_("Nabywca")), s["h2"])],
                [
                    Paragraph("<br/>".join(esc(x) for x in self.seller_lines()), s["base"]),
                    Paragraph("<br/>".join(esc(x) for x in buyer), s["base"]),
                ],
            ],
            colWidths=[8.25 * cm, 8.25 * cm],
            hAlign="LEFT",
        )
        parties.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        story += [parties, Spacer(1, 8)]

        lines = list(invoice.lines.all())
        rows = [
            [
                _("Lp."),
                _("Opis"),
                _("Ilość"),
                _("J.m."),
                _("Cena netto"),
                _("Netto"),
                _("VAT %"),
                _("VAT"),
                _("Brutto"),
            ]
        ]
        for line in lines:
            rows.append(
                [
                    str(line.position),
                    Paragraph(esc(line.description), s["small"]),
                    number(line.quantity),
                    line.unit,
                    number(line.unit_price, 4),
                    money(line.net_amount),
                    number(line.vat_rate, 0),
                    money(line.vat_amount),
                    money(line.gross_amount),
                ]
            )
        story.append(Paragraph(esc(_("Pozycje")), s["h2"]))
        story.append(
            self.table(
                rows,
                [
                    0.7 * cm,
                    3.8 * cm,
                    1.3 * cm,
                    1.0 * cm,
                    2.0 * cm,
                    2.1 * cm,
                    1.3 * cm,
                    1.9 * cm,
                    2.4 * cm,
                ],
                num_cols=(0, 2, 4, 5, 6, 7, 8),
            )
        )

        summary = [[_("Stawka VAT"), _("Netto"), _("VAT"), _("Brutto")]]
        for row in vat_summary(lines):
            summary.append(
                [f"{number(row.rate, 0)}%", money(row.net), money(row.vat), money(row.gross)]
            )
        summary.append(
            [
                _("Razem"),
                money(invoice.net_amount),
                money(invoice.vat_amount),
                money(invoice.gross_amount),
            ]
        )
        story.append(Paragraph(esc(_("Podsumowanie VAT")), s["h2"]))
        story.append(
            self.table(
                summary, [3 * cm, 3 * cm, 3 * cm, 3 * cm], num_cols=(1, 2, 3), total_row=True
            )
        )
        story.append(Spacer(1, 10))
        story.append(self.payment_block(invoice, s))
        return story

    def payment_block(self, invoice, s) -> Flowable:
        account = payment_account(invoice)
        label = _("Do zapłaty:") if invoice.gross_amount > 0 else _("Do zwrotu:")
        text = [
            f"<b>{esc(label)}</b> {esc(money(abs(invoice.gross_amount)))}",
            f"<b>{esc(_('Termin płatności:'))}</b> {dmy(invoice.due_date)}",
        ]
        if account:
            text.append(f"<b>{esc(_('Numer rachunku:'))}</b> {esc(bank_account(account))}")
            if self.config.bank_name:
                text.append(esc(self.config.bank_name))
        text.append(f"<b>{esc(_('Tytuł przelewu:'))}</b> {esc(invoice.number)}")
        details = Paragraph("<br/>".join(text), s["base"])
        payment = self.payment_qr(invoice)
        if payment is None:
            return KeepTogether([Paragraph(esc(_("Płatność")), s["h2"]), details])
        image = Image(io.BytesIO(qr.qr_png(payment.payload)), width=QR_SIZE, height=QR_SIZE)
        note = [
            _(
                "Kod QR do płatności (standard ZBP): zeskanuj go w aplikacji banku, aby wypełnić przelew."
            )
        ]
        if not payment.amount_in_code:
            note.append(
                _(
                    "Kwota przekracza 9 999,99 zł, więc kod QR nie zawiera kwoty: wpisz ją w przelewie samodzielnie."
                )
            )
        block = Table(
            [[details, [image, Paragraph(esc(" ".join(note)), s["small"])]]],
            colWidths=[10.5 * cm, 6 * cm],
            hAlign="LEFT",
        )
        block.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return KeepTogether([Paragraph(esc(_("Płatność")), s["h2"]), block])


class StatementPdfRenderer(BasePdfRenderer):
    """The balance statement (saldo płatności) as a PDF; rendered on request, not stored."""

    def generate(self, statement) -> tuple[str, str, bytes]:
        s = self.styles()
        customer = statement.customer
        story: list[Flowable] = [
            Paragraph(esc(_("Saldo płatności — zestawienie rozrachunków")), s["title"]),
            Spacer(1, 4),
            Paragraph(
                "<br/>".join(
                    esc(x)
                    for x in [
                        customer.name,
                        _("Kod płatnika: %(code)s") % {"code": customer.payer_code},
                        _("Okres: %(start)s – %(end)s")
                        % {"start": dmy(statement.date_from), "end": dmy(statement.date_to)},
                        _("Stan na: %(date)s")
                        % {"date": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
                    ]
                ),
                s["base"],
            ),
            Spacer(1, 8),
        ]
        rows = [[_("Data"), _("Dokument"), _("Termin"), _("Winien"), _("Ma"), _("Saldo")]]
        rows.append(
            [
                dmy(statement.date_from) if statement.date_from else "",
                _("Saldo początkowe"),
                "",
                "",
                "",
                money(statement.opening_balance),
            ]
        )
        for e in statement.entries:
            rows.append(
                [
                    dmy(e.date),
                    Paragraph(
                        esc(f"{e.document} ({e.description})")
                        + (" — " + esc(_("po terminie")) if e.overdue else ""),
                        s["small"],
                    ),
                    dmy(e.due_date) if e.due_date else "",
                    money(e.debit) if e.debit else "",
                    money(e.credit) if e.credit else "",
                    money(e.balance),
                ]
            )
        rows.append(
            [
                "",
                _("Razem"),
                "",
                money(statement.total_debit),
                money(statement.total_credit),
                money(statement.closing_balance),
            ]
        )
        story.append(
            self.table(
                rows,
                [2 * cm, 5.0 * cm, 2 * cm, 2.5 * cm, 2.5 * cm, 2.5 * cm],
                num_cols=(3, 4, 5),
                total_row=True,
            )
        )
        story.append(Spacer(1, 8))
        story.append(
            Paragraph(
                f"<b>{esc(_('Saldo końcowe:'))}</b> {esc(money(statement.closing_balance))}",
                s["base"],
            )
        )
        story.append(
            Paragraph(
                f"<b>{esc(_('W tym po terminie:'))}</b> {esc(money(statement.overdue_total))}",
                s["base"],
            )
        )
        story.append(
            Paragraph(
                esc(_("Saldo dodatnie oznacza kwotę do zapłaty, ujemne — nadpłatę.")), s["small"]
            )
        )
        filename = f"saldo-{customer.payer_code}-{statement.today:%Y-%m-%d}.pdf"
        return filename, self.mimetype, self.build(story, title=_("Saldo płatności"))
