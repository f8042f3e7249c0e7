"""Finding 1 of the outside audit: HTML an operator saved appeared unescaped on public
pages. Now every editable text is escaped, and no template uses `|safe` at all."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

HOSTILE = (
    '<a href="https://evil.example/">Kliknij</a> '
    '<img src=x onerror="alert(1)"> '
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
)


@pytest.fixture
def hostile_formats_text(client, db):
    """An operator saves markup as the attachment-formats text, as the auditors did."""
    operator = factories.make_operator()
    client.force_login(operator)
    response = client.post(
        reverse("backoffice:letters_config"),
        {"action": "formats", "attachment_formats_text": HOSTILE},
    )
    assert response.status_code == 302
    client.logout()
    return client


def _assert_escaped(html: str):
    assert "<img src=x" not in html
    assert '<meta http-equiv="refresh"' not in html
    assert '<a href="https://evil.example/">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_operator_markup_on_the_anonymous_remark_form_is_shown_as_text(hostile_formats_text):
    _assert_escaped(hostile_formats_text.get("/uwagi/nowa/").content.decode())


def test_operator_markup_on_the_customers_letter_form_is_shown_as_text(
    hostile_formats_text, customer_user
):
    hostile_formats_text.force_login(customer_user)
    _assert_escaped(hostile_formats_text.get("/pisma/nowe/").content.decode())


def test_a_multi_line_help_text_keeps_its_line_breaks(client, db):
    from ebok.core.models import CompanySettings

    config = CompanySettings.get()
    config.attachment_formats_text = "PDF, JPG\nnajwyżej 10 MB"
    config.save()
    html = client.get("/uwagi/nowa/").content.decode()
    assert "PDF, JPG<br>najwyżej 10 MB" in html


def test_no_template_renders_anything_with_the_safe_filter():
    """Markup that must not be escaped (a QR code's SVG) is marked safe where it is made."""
    roots = [Path(settings.BASE_DIR) / "ebok"]
    offenders = []
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml", ".ics"} or "locale" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", text):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert not offenders, offenders
