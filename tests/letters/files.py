"""Files and form helpers for the correspondence tests."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_docx(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            zf.writestr(name, content)
    return buffer.getvalue()


def make_zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml declares 50 MB that compress to about 50 kB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\x00" * (50 * 1024 * 1024))
    return buffer.getvalue()


def upload(name="pismo.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def captcha_answer(client, url) -> dict:
    """Load the form, then answer its CAPTCHA the way a person reading the image would."""
    from captcha.models import CaptchaStore

    html = client.get(url).content.decode()
    hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', html)
    return {
        "captcha_0": hashkey,
        "captcha_1": CaptchaStore.objects.get(hashkey=hashkey).response,
        **({"form_token": token.group(1)} if token else {}),
    }


def form_token(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
