"""The letter that posts a one-time password (reportlab).

The recipient's address sits in the window of a DL envelope (DIN 5008 form B: 20 mm from
the left, 45-90 mm from the top, 85 mm wide), the letterhead comes from CompanySettings.
The PDF holds a clear password, so it is rendered for printing and never stored.
"""

import io

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ebok.core.branding import draw_logo
from ebok.core.models import CompanySettings
from ebok.core.pdf_fonts import FONT, FONT_BOLD, FONT_MONO, register_fonts


class PasswordNoticePdf:
    """`generate(letters) -> (filename, mimetype, bytes)`: one page per IssuedPasswordNotice."""

    width, height = A4

    # A stored or posted document is in the company's language, whoever caused it.
    @translation.override(settings.LANGUAGE_CODE)
    def generate(self, letters) -> tuple[str, str, bytes]:
        register_fonts()
        config = CompanySettings.get()
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setTitle(_("Hasło jednorazowe do systemu eBOK"))
        pdf.setAuthor(config.company_name)
        for letter in letters:
            self._page(pdf, config, letter)
            pdf.showPage()
        pdf.save()
        name = letters[0].number.replace("/", "-") if len(letters) == 1 else "listy-hasla"
        return f"{name}.pdf", "application/pdf", buffer.getvalue()

    def _top(self, from_top_mm: float) -> float:
        return self.height - from_top_mm * mm

    def _page(self, pdf, config, letter):
        left = 20 * mm
        # Letterhead.
        draw_logo(
            pdf,
            config,
            right=self.width - 20 * mm,
            top=self._top(8),
            max_width=45 * mm,
            max_height=14 * mm,
        )
        pdf.setFont(FONT_BOLD, 13)
        pdf.drawString(left, self._top(15), config.company_name)
        pdf.setFont(FONT, 8.5)
        details = [config.address_line] if config.address_line else []
        contact = " · ".join(
            p
            for p in [
                f"{_('tel.')} {config.phone}" if config.phone else "",
                config.email,
                config.website,
            ]
            if p
        )
        if contact:
            details.append(contact)
        ids = " · ".join(
            p
            for p in [
                f"NIP {config.nip}" if config.nip else "",
                f"REGON {config.regon}" if config.regon else "",
                f"KRS {config.krs}" if config.krs else "",
            ]
            if p
        )
        if ids:
            details.append(ids)
        for i, line in enumerate(details):
            pdf.drawString(left, self._top(20 + i * 4), line)
        pdf.setLineWidth(0.5)
        pdf.line(left, self._top(33), self.width - 20 * mm, self._top(33))
        # Place and date, number (right column).
        pdf.setFont(FONT, 10)
        place = config.city or ""
        date_text = formats.date_format(letter.date, "j E Y")
        pdf.drawRightString(
            self.width - 20 * mm, self._top(45), f"{place}, {date_text}".strip(", ")
        )
        pdf.drawRightString(self.width - 20 * mm, self._top(50), f"{_('Nr')} {letter.number}")
        # Return address line and recipient, in the DL window (20 mm, 45-90 mm from top).
        pdf.setFont(FONT, 7)
        pdf.drawString(
            left, self._top(47), f"{config.company_short_name}, {config.address_line}"[:90]
        )
        pdf.setFont(FONT, 11)
        y = 55
        for line in letter.address_lines:
            pdf.drawString(left, self._top(y), line[:60])
            y += 5.5
        # Body.
        pdf.setFont(FONT_BOLD, 12)
        pdf.drawString(left, self._top(105), _("Dostęp do systemu eBOK"))
        pdf.setFont(FONT, 10.5)
        text = pdf.beginText(left, self._top(115))
        text.setLeading(15)
        for line in [
            _("Szanowni Państwo,"),
            "",
            _("Biuro Obsługi Klienta zweryfikowało Państwa wniosek o dostęp do systemu eBOK."),
            _("Poniżej przekazujemy login i hasło jednorazowe do pierwszego logowania."),
        ]:
            text.textLine(line)
        pdf.drawText(text)
        pdf.setFont(FONT, 11)
        pdf.drawString(left + 5 * mm, self._top(150), _("Login:"))
        pdf.drawString(left + 5 * mm, self._top(160), _("Hasło jednorazowe:"))
        pdf.setFont(FONT_MONO, 14)
        pdf.drawString(left + 50 * mm, self._top(150), letter.login)
        pdf.drawString(left + 50 * mm, self._top(160), letter.password)
        pdf.rect(left, self._top(166), self.width - 40 * mm, 24 * mm)
        expires = letter.registration.user.password_expires_at
        steps = [
            _("Jak zalogować się pierwszy raz:"),
            _("1. Wejdź na stronę %(url)s i wybierz „Zaloguj się”.")
            % {"url": settings.EBOK_BASE_URL},
            _(
                "2. Wpisz login i hasło jednorazowe dokładnie tak, jak powyżej (wielkość liter ma znaczenie)."
            ),
            _(
                "3. System poprosi o ustawienie nowego, własnego hasła; hasło jednorazowe przestanie działać."
            ),
        ]
        if expires:
            steps.append(
                _("Hasło jednorazowe jest ważne do %(date)s.")
                % {"date": formats.date_format(expires.date(), "j E Y")}
            )
        steps += [
            "",
            _("Nie przekazuj hasła innym osobom. Pracownicy BOK nigdy nie pytają o hasło."),
            _("Jeśli nie składałeś(-aś) wniosku, skontaktuj się z Biurem Obsługi Klienta."),
        ]
        pdf.setFont(FONT, 10)
        text = pdf.beginText(left, self._top(178))
        text.setLeading(14)
        for line in steps:
            text.textLine(line)
        pdf.drawText(text)
        pdf.setFont(FONT, 8)
        pdf.drawString(left, 15 * mm, f"{config.company_name} · {letter.number}")
