"""Helpers shared by the billing and self-service tests: PDF text, QR decoding, media."""

import subprocess
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Generated documents go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_qr_codes(content: bytes) -> list[str]:
    """Every QR code on the PDF's first page, decoded by zbarimg from a 300 dpi render."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "300",
                "-f",
                "1",
                "-l",
                "1",
                "-png",
                str(path),
                str(Path(tmp) / "p"),
            ],
            check=True,
        )
        png = next(Path(tmp).glob("p*.png"))
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
            capture_output=True,
            text=True,
        )
        return [line for line in result.stdout.splitlines() if line]
