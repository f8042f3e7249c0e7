"""Uploaded files: validation from the bytes, safe names, random storage names.

Every feature that accepts attachments uses this module:

    checked = validate_uploads(request.FILES.getlist("attachments"))  # UploadError
    stored = store_file(checked[0])            # StoredFile(path, name, type, size, sha256)

- The type is decided by the content (magic bytes; for zip-based office formats by the
  package's members), never by the name or the browser's Content-Type. HTML, scripts,
  executables and archives are refused.
- Zip-based documents (DOCX, XLSX, ODT, ODS) are checked against zip bombs from the
  central directory alone (number of members, declared sizes, compression ratio) before
  any member is decompressed, and the one member that is read (`mimetype`) is read
  streaming with a hard cap (`read_member`): a member whose declared size is within the
  limits but huge is never decompressed whole.
- `SizeLimitUploadHandler` (first in FILE_UPLOAD_HANDLERS) stops receiving a file the
  moment it passes the limit, so an oversized upload is never held whole, not in memory
  nor on disk; request.FILES holds a `RejectedUpload` placeholder in its place, which
  `validate_uploads` reports.
- Files are stored under `attachments/YYYY/MM/<random>` in the default storage
  (MEDIA_ROOT, outside the web root, or S3 in a multi-node deployment). The original
  name is sanitised and kept only in the database.

Limits come from settings (environment): EBOK_UPLOAD_MAX_BYTES, EBOK_UPLOAD_MAX_FILES,
EBOK_UPLOAD_ALLOWED_TYPES.
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# type code -> (MIME type, canonical extension, label shown to people)
FILE_TYPES = {
    "pdf": ("application/pdf", "pdf", "PDF"),
    "jpeg": ("image/jpeg", "jpg", "JPG"),
    "png": ("image/png", "png", "PNG"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "DOCX",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt", "ODT"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS"),
}
DEFAULT_ALLOWED_TYPES = ["pdf", "jpeg", "png", "docx", "odt", "xlsx", "ods"]

# Zip-bomb limits for office documents (checked on the central directory only).
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100

HEADER_BYTES = 16
# An ODF `mimetype` member is one short line; more is never read.
MIMETYPE_MAX_BYTES = 100


class UploadError(Exception):
    """A file was refused; `messages` are Polish sentences for the person uploading."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


class StorageFailure(Exception):
    """Storing a file failed (disk full, storage unreachable)."""


@dataclass
class CheckedUpload:
    file: File
    name: str  # sanitised original name with the canonical extension
    content_type: str
    size: int
    sha256: str


@dataclass
class StoredFile:
    path: str
    name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return getattr(settings, "EBOK_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def max_files() -> int:
    return getattr(settings, "EBOK_UPLOAD_MAX_FILES", 5)


def allowed_types() -> list[str]:
    return list(getattr(settings, "EBOK_UPLOAD_ALLOWED_TYPES", DEFAULT_ALLOWED_TYPES))


def accept_attribute() -> str:
    """For `<input type=file accept=...>`: a hint to browsers; the server decides."""
    return ",".join(f".{FILE_TYPES[t][1]}" for t in allowed_types() if t in FILE_TYPES)


def _format_mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


# --- the size-limiting upload handler ---------------------------------------------------


class RejectedUpload(UploadedFile):
    """Stands in request.FILES for a file the handler refused, so the form can say so.
    It holds no content."""

    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"

    def __init__(self, name, reason):
        super().__init__(file=None, name=name, content_type="", size=0)
        self.reason = reason

    def close(self):
        # Django closes every received file when parsing fails (e.g. TooManyFilesSent,
        # which then answers 400): there is nothing to close here.
        pass


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file as soon as it passes EBOK_UPLOAD_MAX_BYTES, and does not
    receive files beyond EBOK_UPLOAD_MAX_FILES at all.

    Returning None from `receive_data_chunk` keeps later handlers (memory, temporary
    file) from getting the rest of the data; `file_complete` then puts a RejectedUpload
    in request.FILES instead of the truncated file. (Raising SkipFile instead would make
    Django close the previous, valid file of the same request.)
    """

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self._received = 0
        self._rejected = None
        count = getattr(self.request, "_ebok_upload_count", 0) + 1
        self.request._ebok_upload_count = count
        if count > max_files():
            self._rejected = RejectedUpload.TOO_MANY
            raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        if self._rejected:
            return None
        self._received += len(raw_data)
        if self._received > max_bytes():
            self._rejected = RejectedUpload.TOO_LARGE
            return None
        return raw_data

    def file_complete(self, file_size):
        if self._rejected:
            return RejectedUpload(self.file_name, self._rejected)
        return None


def rejected_uploads(files) -> list[RejectedUpload]:
    return [f for f in files if isinstance(f, RejectedUpload)]


# --- names ------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def sanitize_filename(name: str, extension: str) -> str:
    """A harmless display name: no directories, control characters or odd punctuation,
    at most 100 characters, always ending in the extension of the detected type."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._-")
    stem = re.sub(r"_+", "_", stem)[:90] or "plik"
    return f"{stem}.{extension}"


# --- type detection ---------------------------------------------------------------------


def _read_header(f) -> bytes:
    f.seek(0)
    header = f.read(HEADER_BYTES)
    f.seek(0)
    return header


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most `limit` bytes of one archive member, decompressed in small steps: memory
    stays bounded whatever the member's declared or real size (the ODT `mimetype` bomb).
    Raises UploadError when the member holds more than `limit` bytes."""
    with zf.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_("Plik jest uszkodzony lub niebezpieczny."))
    return data


def _zip_office_type(f) -> str | None:
    """The office format of a zip package, after checking it is not a zip bomb.

    Raises UploadError for bombs and for zips that are no office document (archives).
    """
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise UploadError(_("Plik zawiera zbyt wiele elementów."))
            total = 0
            for info in infos:
                total += info.file_size
                if info.compress_size == 0 and info.file_size > 0:
                    raise UploadError(_("Plik jest uszkodzony lub niebezpieczny (zip bomb)."))
                if (
                    info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
                    and info.file_size > 1024 * 1024
                ):
                    raise UploadError(_("Plik jest uszkodzony lub niebezpieczny (zip bomb)."))
                if info.filename.startswith("/") or ".." in info.filename.split("/"):
                    raise UploadError(_("Plik jest uszkodzony lub niebezpieczny."))
            if total > ZIP_MAX_TOTAL_UNCOMPRESSED:
                raise UploadError(_("Plik jest uszkodzony lub niebezpieczny (zip bomb)."))
            names = {info.filename for info in infos}
            if "mimetype" in names:
                mimetype = (
                    read_member(zf, "mimetype", MIMETYPE_MAX_BYTES)
                    .decode("ascii", "replace")
                    .strip()
                )
                if mimetype == FILE_TYPES["odt"][0]:
                    return "odt"
                if mimetype == FILE_TYPES["ods"][0]:
                    return "ods"
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        # NotImplementedError: an unsupported compression method; EOFError: truncated.
        raise UploadError(_("Plik jest uszkodzony.")) from exc
    finally:
        f.seek(0)
    return None


def detect_type(f) -> str | None:
    """The type code of the file's content, or None when it is none we know."""
    header = _read_header(f)
    if header.startswith(b"%PDF-"):
        return "pdf"
    if header.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if header.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if header.startswith(b"PK\x03\x04"):
        office = _zip_office_type(f)
        if office is None:
            raise UploadError(_("Archiwa (ZIP i podobne) nie są przyjmowane."))
        return office
    return None


def _describe_refusal(header: bytes) -> str:
    if header.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return _("Pliki wykonywalne nie są przyjmowane.")
    if header.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")):
        return _("Archiwa (ZIP i podobne) nie są przyjmowane.")
    return _("Nieobsługiwany format pliku.")


# --- validation and storage ------------------------------------------------------------


def _sha256(f) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    f.seek(0)
    for chunk in f.chunks() if hasattr(f, "chunks") else iter(lambda: f.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    f.seek(0)
    return digest.hexdigest(), size


def check_file(f) -> CheckedUpload:
    """Validate one uploaded file; raise UploadError with a Polish message."""
    original = getattr(f, "name", "") or "plik"
    shown = sanitize_filename(original, original.rsplit(".", 1)[-1] if "." in original else "")
    shown = shown.rstrip(".")
    size = getattr(f, "size", None)
    if size is not None and size > max_bytes():
        raise UploadError(
            _("Plik „%(name)s” jest za duży (najwyżej %(max)s).")
            % {"name": shown, "max": _format_mb(max_bytes())}
        )
    if size == 0:
        raise UploadError(_("Plik „%(name)s” jest pusty.") % {"name": shown})
    try:
        kind = detect_type(f)
    except UploadError as exc:
        raise UploadError([f"„{shown}”: {m}" for m in exc.messages]) from exc
    if kind is None or kind not in allowed_types():
        reason = (
            _describe_refusal(_read_header(f))
            if kind is None
            else _("Nieobsługiwany format pliku.")
        )
        raise UploadError(f"„{shown}”: {reason}")
    digest, real_size = _sha256(f)
    if real_size > max_bytes():
        raise UploadError(
            _("Plik „%(name)s” jest za duży (najwyżej %(max)s).")
            % {"name": shown, "max": _format_mb(max_bytes())}
        )
    mime, ext, _label = FILE_TYPES[kind]
    return CheckedUpload(
        file=f,
        name=sanitize_filename(original, ext),
        content_type=mime,
        size=real_size,
        sha256=digest,
    )


def validate_uploads(files) -> list[CheckedUpload]:
    """Validate every file of one form (including the handler's RejectedUpload
    placeholders); collect all problems into one UploadError."""
    errors = []
    files = [f for f in files if f]
    refused = rejected_uploads(files)
    received = [f for f in files if not isinstance(f, RejectedUpload)]
    for f in refused:
        if f.reason == RejectedUpload.TOO_LARGE:
            shown = sanitize_filename(
                f.name, f.name.rsplit(".", 1)[-1] if "." in f.name else ""
            ).rstrip(".")
            errors.append(
                _("Plik „%(name)s” jest za duży (najwyżej %(max)s).")
                % {"name": shown, "max": _format_mb(max_bytes())}
            )
    if len(files) > max_files():
        errors.append(_("Można dołączyć najwyżej %(n)d plików.") % {"n": max_files()})
    checked = []
    if not errors:
        for f in received:
            try:
                checked.append(check_file(f))
            except UploadError as exc:
                errors.extend(exc.messages)
    if errors:
        raise UploadError(errors)
    return checked


def store_bytes_name() -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{secrets.token_hex(16)}"


def store_file(checked: CheckedUpload) -> StoredFile:
    """Save under a random name; raise StorageFailure when the storage fails."""
    try:
        checked.file.seek(0)
        path = default_storage.save(store_bytes_name(), checked.file)
    except Exception as exc:  # noqa: BLE001 - any storage error is the same to the user
        raise StorageFailure(str(exc)) from exc
    return StoredFile(path, checked.name, checked.content_type, checked.size, checked.sha256)


def store_content(content: bytes, name: str, content_type: str) -> StoredFile:
    """Save generated bytes (a rendered PDF) the same way as an upload."""
    from django.core.files.base import ContentFile

    try:
        path = default_storage.save(store_bytes_name(), ContentFile(content))
    except Exception as exc:  # noqa: BLE001
        raise StorageFailure(str(exc)) from exc
    return StoredFile(path, name, content_type, len(content), hashlib.sha256(content).hexdigest())


def delete_stored(paths) -> None:
    """Remove files whose database rows were rolled back. Best effort."""
    for path in paths:
        try:
            default_storage.delete(path)
        except Exception:  # noqa: BLE001, S112 - cleanup must never mask the original error
            continue


def download_response(path: str, name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download: never rendered by the browser."""
    response = FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- form support -----------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; the form mixin below validates them together."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data] if data else []
        # Placeholders of refused files pass through: validate_uploads reports them.
        return [
            d if isinstance(d, RejectedUpload) else super(AttachmentsField, self).clean(d, initial)
            for d in items
            if d
        ]


class AttachmentsFormMixin:
    """For forms with an `attachments` AttachmentsField: `cleaned_data["attachments"]`
    becomes a list of CheckedUpload, or the field gets the Polish reasons of refusal."""

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            return validate_uploads(files)
        except UploadError as exc:
            raise forms.ValidationError(exc.messages) from exc
