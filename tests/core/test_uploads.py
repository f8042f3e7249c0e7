"""Upload attacks and the rules of ebok.core.uploads, at the level of one file."""

import io
import zipfile

import pytest

from ebok.core import uploads
from tests.letters.files import PDF, PNG, make_docx, make_zip_bomb_docx, upload


def test_a_pdf_is_accepted_with_its_sha256():
    checked = uploads.check_file(upload("Faktura 11.pdf"))
    assert checked.content_type == "application/pdf"
    assert checked.name == "Faktura 11.pdf"
    assert checked.size == len(PDF)
    import hashlib

    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("zdjecie.png", PNG, "image/png"),
        ("skan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        (
            "wniosek.docx",
            make_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_types_are_recognised_from_their_bytes(name, content, expected):
    assert uploads.check_file(upload(name, content)).content_type == expected


def test_odt_and_xlsx_are_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    assert uploads.check_file(upload("a.odt", buffer.getvalue())).name == "a.odt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert uploads.check_file(upload("a.xlsx", buffer.getvalue())).content_type.endswith(
        "spreadsheetml.sheet"
    )


def test_html_renamed_to_pdf_is_refused():
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_file(upload("faktura.pdf", b"<html><script>alert(1)</script></html>"))
    assert "Nieobsługiwany format pliku" in exc.value.messages[0]


def test_an_executable_is_refused_whatever_its_name():
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_file(upload("skan.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert "wykonywalne" in exc.value.messages[0]


def test_a_zip_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("faktury/1.pdf", PDF)
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_file(upload("dokumenty.docx", buffer.getvalue()))
    assert "Archiwa" in exc.value.messages[0]


def test_a_zip_bomb_docx_is_refused_before_it_is_decompressed(monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("a member was decompressed")

    bomb = upload("wniosek.docx", make_zip_bomb_docx())
    assert bomb.size < 200 * 1024
    monkeypatch.setattr(zipfile.ZipFile, "read", no_reading)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_file(bomb)
    assert "zip bomb" in exc.value.messages[0]


def test_path_traversal_and_odd_characters_are_removed_from_names():
    assert uploads.sanitize_filename("../../etc/passwd.pdf", "pdf") == "passwd.pdf"
    assert uploads.sanitize_filename("..\\..\\windows\\win.ini.pdf", "pdf") == "win.ini.pdf"
    assert uploads.sanitize_filename("<script>zażółć\x00.pdf", "pdf") == "script_zażółć.pdf"
    assert uploads.sanitize_filename("....", "pdf") == "plik.pdf"


def test_the_extension_follows_the_content_not_the_name():
    assert uploads.check_file(upload("skan.exe", PNG)).name == "skan.png"


def test_an_empty_file_is_refused():
    with pytest.raises(uploads.UploadError):
        uploads.check_file(upload("pusty.pdf", b""))


def test_more_files_than_the_limit_are_refused(settings):
    settings.EBOK_UPLOAD_MAX_FILES = 2
    with pytest.raises(uploads.UploadError) as exc:
        uploads.validate_uploads([upload("a.pdf"), upload("b.pdf"), upload("c.pdf")])
    assert "najwyżej 2 plików" in exc.value.messages[0]


def test_an_oversized_file_is_refused(settings):
    settings.EBOK_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_file(upload("duzy.pdf", PDF + b"0" * 2048))
    assert "za duży" in exc.value.messages[0]


@pytest.mark.parametrize("order", ["big_first", "small_first"])
def test_the_upload_handler_stops_reading_an_oversized_file(rf, settings, order):
    """Past the limit nothing more reaches the storing handlers, and the file is replaced
    by a placeholder; the valid file next to it stays intact."""
    settings.EBOK_UPLOAD_MAX_BYTES = 100 * 1024
    from django.test.client import encode_multipart

    big = upload("duzy.pdf", PDF + b"0" * (300 * 1024))
    small = upload("maly.pdf")
    pair = [big, small] if order == "big_first" else [small, big]
    body = encode_multipart("BoUnDaRy", {"attachments": pair, "text": "abc"})
    request = rf.post("/", data=body, content_type="multipart/form-data; boundary=BoUnDaRy")
    handlers = [uploads.SizeLimitUploadHandler(request), *request.upload_handlers[1:]]
    stored = []
    for handler in handlers[1:]:
        original = handler.receive_data_chunk

        def counting(raw, start, original=original):
            stored.append(len(raw))
            return original(raw, start)

        handler.receive_data_chunk = counting
    request.upload_handlers = handlers
    files = {f.name: f for f in request.FILES.getlist("attachments")}
    assert isinstance(files["duzy.pdf"], uploads.RejectedUpload) and files["duzy.pdf"].size == 0
    assert files["maly.pdf"].read() == PDF
    assert sum(stored) <= 100 * 1024 + len(PDF) + 64 * 1024  # at most one chunk past the limit
    with pytest.raises(uploads.UploadError) as exc:
        uploads.validate_uploads(request.FILES.getlist("attachments"))
    assert "„duzy.pdf” jest za duży" in exc.value.messages[0]


def test_stored_files_get_random_names(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = uploads.store_file(uploads.check_file(upload("../../a.pdf")))
    b = uploads.store_file(uploads.check_file(upload("a.pdf")))
    assert a.path != b.path
    assert a.path.startswith("attachments/") and "a.pdf" not in a.path
    assert (tmp_path / a.path).read_bytes() == PDF


def test_files_beyond_the_limit_are_not_even_received(rf, settings):
    settings.EBOK_UPLOAD_MAX_FILES = 2
    from django.test.client import encode_multipart

    body = encode_multipart("BoUnDaRy", {"attachments": [upload(f"{i}.pdf") for i in range(4)]})
    request = rf.post("/", data=body, content_type="multipart/form-data; boundary=BoUnDaRy")
    request.upload_handlers = [
        uploads.SizeLimitUploadHandler(request),
        *request.upload_handlers[1:],
    ]
    files = request.FILES.getlist("attachments")
    assert [f.name for f in files] == ["0.pdf", "1.pdf", "2.pdf", "3.pdf"]
    assert [f.size for f in files[2:]] == [0, 0]  # placeholders: never received
    assert files[0].read() == PDF and files[1].read() == PDF
    with pytest.raises(uploads.UploadError) as exc:
        uploads.validate_uploads(files)
    assert "najwyżej 2 plików" in exc.value.messages[0]
