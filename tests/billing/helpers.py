"""Helpers shared by the billing and self-service tests: PDF text, QR decoding, media."""

import pytest

# PDF text and QR decoding live in tests/pdf.py; re-exported for the billing tests.
from tests.pdf import pdf_qr_codes, pdf_text  # noqa: F401


@pytest.fixture
def media_root(settings, tmp_path):
    """Generated documents go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
