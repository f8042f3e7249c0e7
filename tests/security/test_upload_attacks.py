"""Finding 3 of the outside audit (the ODT decompression bomb) and the upload half of
finding 4 (too many files crashed the anonymous forms), rerun as tests."""

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ebok.core import uploads

MIMETYPE_ODT = b"application/vnd.oasis.opendocument.text"


def make_mimetype_bomb(size: int) -> bytes:
    """An ODT whose `mimetype` member decompresses to `size` bytes at a ratio of about
    25:1 - under the ratio limit, and the total under the size limit, so the central
    directory checks pass (the audit's file: 194 MB at 33.7:1 in a 5.8 MB upload)."""
    buffer = io.BytesIO()
    filler = (MIMETYPE_ODT + b" ") * 24
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            written = 0
            while written < size:
                noise = os.urandom(32 * 1024)
                chunk = b"".join(
                    noise[i : i + 32] + filler[:960] for i in range(0, len(noise), 32)
                )[: size - written]
                member.write(chunk)
                written += len(chunk)
        zf.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_the_bomb_passes_the_central_directory_limits():
    """The attack file is the one described: its declared sizes are within the limits."""
    content = make_mimetype_bomb(120 * 1024 * 1024)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("mimetype")
    assert info.file_size == 120 * 1024 * 1024 < uploads.ZIP_MAX_TOTAL_UNCOMPRESSED
    assert info.file_size < uploads.ZIP_MAX_RATIO * info.compress_size
    assert len(content) < 6 * 1024 * 1024


def test_an_odt_whose_mimetype_member_is_huge_is_refused_with_little_memory():
    bomb = SimpleUploadedFile("wniosek.odt", make_mimetype_bomb(120 * 1024 * 1024))
    tracemalloc.start()
    try:
        with pytest.raises(uploads.UploadError) as exc:
            uploads.check_file(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "uszkodzony lub niebezpieczny" in exc.value.messages[0]
    assert peak < 2 * 1024 * 1024  # reading it whole took 120 MB


def test_a_real_odt_is_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", MIMETYPE_ODT)
        zf.writestr("content.xml", "<office:document-content/>")
    checked = uploads.check_file(SimpleUploadedFile("pismo.odt", buffer.getvalue()))
    assert checked.content_type == MIMETYPE_ODT.decode()


def test_read_member_never_returns_more_than_its_cap():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a", b"x" * 10_000)
        zf.writestr("b", b"y" * 50)
    with zipfile.ZipFile(buffer) as zf:
        assert uploads.read_member(zf, "b", 100) == b"y" * 50
        with pytest.raises(uploads.UploadError):
            uploads.read_member(zf, "a", 100)
