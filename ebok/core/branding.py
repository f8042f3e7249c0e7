"""The company logo for documents: PDFs draw it from here, e-mails link to /logo/.

The bytes are kept in the shared cache under the logo's storage name, so rendering many
PDFs reads the storage (possibly S3) once; a new logo has a new name, so nothing stale
is ever drawn.
"""

import io

from django.core.cache import cache
from django.core.files.storage import default_storage

from ebok.core.models import CompanySettings

CACHE_SECONDS = 60 * 60


def logo_bytes(config: CompanySettings | None = None) -> bytes | None:
    config = config or CompanySettings.get()
    name = config.logo.name if config.logo else ""
    if not name:
        return None
    key = f"ebok.logo:{name}"
    data = cache.get(key)
    if data is None:
        try:
            with default_storage.open(name, "rb") as f:
                data = f.read()
        except (OSError, ValueError):
            return None
        cache.set(key, data, CACHE_SECONDS)
    return data


def draw_logo(canvas, config, *, right: float, top: float, max_width: float, max_height: float):
    """Draw the logo with its top-right corner at (right, top), scaled to fit the box.
    Nothing happens when no logo is set or it cannot be read."""
    data = logo_bytes(config)
    if not data:
        return
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(io.BytesIO(data))
        width, height = image.getSize()
    except Exception:  # noqa: BLE001 - a broken logo must never break a document
        return
    scale = min(max_width / width, max_height / height)
    w, h = width * scale, height * scale
    canvas.drawImage(image, right - w, top - h, width=w, height=h, mask="auto")
