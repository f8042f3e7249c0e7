"""The one place PDF fonts are registered.

Reportlab's bundled fonts have no Polish letters (ą, ł, ż, …), so every PDF the portal
makes (invoices, statements, letters, posted passwords) embeds DejaVu from Debian's
fonts-dejavu-core. A missing font is a configuration error, never a silent fallback.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


class PdfFontMissing(ImproperlyConfigured):
    """The DejaVu fonts are not installed (Debian: fonts-dejavu-core)."""


FONT = "EbokSans"
FONT_BOLD = "EbokSans-Bold"
FONT_MONO = "EbokMono"

_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_MONO: "DejaVuSansMono.ttf",
}


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    font_dir = Path(settings.EBOK_PDF_FONT_DIR)
    paths = {name: font_dir / filename for name, filename in _FILES.items()}
    for path in paths.values():
        if not path.is_file():
            raise PdfFontMissing(
                f"PDF font {path} is missing: install fonts-dejavu-core or set EBOK_PDF_FONT_DIR."
            )
    for name, path in paths.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
