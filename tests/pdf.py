"""Reading what the portal generates, with libraries pip installs: PDF text and page
images (pypdfium2, the PDFium engine) and QR codes (zxing-cpp). No system tool needed,
so `make test` checks documents on a machine with only Python."""

import io

import pypdfium2
import zxingcpp
from PIL import Image


def _page_lines(textpage) -> list[str]:
    """Text runs that share a baseline, left to right, top to bottom: a label and the
    value drawn beside it read as one line, as on paper. Runs closer than a letter's
    height are joined by one space, farther ones (table columns) by two."""
    runs = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top).strip()
        if text:
            runs.append(((top + bottom) / 2, left, top - bottom, text, right))
    lines: list[list] = []
    for middle, left, height, text, right in sorted(runs, key=lambda run: (-run[0], run[1])):
        if lines and abs(lines[-1][0] - middle) <= max(height, lines[-1][1]) / 2:
            lines[-1][2].append((left, right, height, text))
        else:
            lines.append([middle, height, [(left, right, height, text)]])
    result = []
    for _, _, parts in lines:
        parts.sort()
        line, previous_right = "", None
        for left, right, height, text in parts:
            if previous_right is not None:
                line += " " if left - previous_right < height else "  "
            line += text
            previous_right = right
        result.append(line)
    return result


def pdf_text(content: bytes) -> str:
    """The text of every page, line by line, pages separated by a form feed."""
    document = pypdfium2.PdfDocument(content)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append("\n".join(_page_lines(textpage)))
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def pdf_page_image(content: bytes, page_number: int = 0, dpi: int = 300) -> Image.Image:
    document = pypdfium2.PdfDocument(content)
    try:
        page = document[page_number]
        image = page.render(scale=dpi / 72).to_pil()
        page.close()
        return image
    finally:
        document.close()


def image_qr_codes(image: Image.Image) -> list[str]:
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in results]


def png_qr_codes(png: bytes) -> list[str]:
    return image_qr_codes(Image.open(io.BytesIO(png)).convert("RGB"))


def pdf_qr_codes(content: bytes) -> list[str]:
    """Every QR code on the PDF's first page, decoded from a 300 dpi render."""
    return image_qr_codes(pdf_page_image(content))
