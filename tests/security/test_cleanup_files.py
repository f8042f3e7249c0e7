"""Finding 6 of the outside audit: killed workers left stored files without a row and
temporary upload files behind. `manage.py cleanup_files` removes both (after a grace
period); a failing transaction removes what it stored at once."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from ebok.core import uploads
from ebok.letters import services
from ebok.letters.models import Attachment, LetterKind
from tests import factories
from tests.letters.files import PDF, upload

DAY = 24 * 60 * 60


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    return tmp_path


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def _submit_with_attachment(customer):
    checked = uploads.validate_uploads([upload("pismo.pdf", PDF)])
    return services.submit_letter(
        kind=LetterKind.INCOMING, description="Pismo", customer=customer, files=checked
    ).letter


def run(*args) -> str:
    out = StringIO()
    call_command("cleanup_files", *args, stdout=out)
    return out.getvalue()


def test_files_without_a_row_go_and_files_with_one_stay(db, media, settings):
    customer = factories.make_customer()
    kept = Attachment.objects.get(letter=_submit_with_attachment(customer))
    # A worker killed between storing a file and committing its row: the file stays.
    orphan = uploads.store_content(PDF, "pismo.pdf", "application/pdf")
    fresh_orphan = uploads.store_content(PDF, "w-trakcie.pdf", "application/pdf")
    for name in (kept.file.name, orphan.path):
        _age(settings.MEDIA_ROOT / name, 2 * DAY)
    stale_tmp = media / "uploads" / "tmpk1ll3d.upload.pdf"
    stale_tmp.write_bytes(b"x" * 1000)
    _age(stale_tmp, 2 * DAY)
    live_tmp = media / "uploads" / "tmpl1ve.upload.pdf"
    live_tmp.write_bytes(b"x")

    report = run("--dry-run")
    assert f"would delete stored file {orphan.path}" in report
    assert "would delete: 1 stored file(s) without a row, 1 temporary upload file(s)" in report
    assert (settings.MEDIA_ROOT / orphan.path).exists() and stale_tmp.exists()

    report = run()
    assert "deleted: 1 stored file(s) without a row, 1 temporary upload file(s)" in report
    assert not (settings.MEDIA_ROOT / orphan.path).exists()
    assert not stale_tmp.exists()
    # Referenced, or younger than the grace period (perhaps being stored right now): kept.
    assert (settings.MEDIA_ROOT / kept.file.name).exists()
    assert (settings.MEDIA_ROOT / fresh_orphan.path).exists()
    assert live_tmp.exists()


def test_the_grace_period_can_be_shortened(db, media, settings):
    orphan = uploads.store_content(PDF, "pismo.pdf", "application/pdf")
    _age(settings.MEDIA_ROOT / orphan.path, 2 * 60 * 60)
    assert "0 stored file(s)" in run("--dry-run")
    assert "1 stored file(s)" in run("--dry-run", "--grace-hours", "1")


def test_a_failed_transaction_deletes_the_files_it_stored(db, media, settings):
    customer = factories.make_customer()
    checked = uploads.validate_uploads([upload("pismo.pdf", PDF)])

    def fail(letter):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        services.submit_letter(
            kind=LetterKind.INCOMING,
            description="Pismo",
            customer=customer,
            files=checked,
            after_create=fail,
        )
    stored = [p for p in (settings.MEDIA_ROOT / "attachments").rglob("*") if p.is_file()]
    assert stored == []
