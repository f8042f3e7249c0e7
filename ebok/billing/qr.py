"""QR codes on invoices.

The payment QR follows the Polish banks' "Rekomendacja ZBP — standard 2D" (2013): nine
fields joined by ``|``, empty fields kept, at most 160 characters. Banking apps read it
to pre-fill a transfer. The KSeF verification QR is a link to the Ministry of Finance's
check of an e-invoice; it is a different thing and is always shown apart.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import segno

MAX_PAYLOAD = 160
MAX_QR_AMOUNT = Decimal("9999.99")
NAME_MAX = 20
TITLE_MAX = 32
RESERVE_MAX = (20, 12, 24)
KSEF_QR_BASE = "https://qr.ksef.mf.gov.pl/invoice"


def _clean(value: str, limit: int) -> str:
    """A value for one field: no separator, no line breaks, trimmed to its length."""
    value = re.sub(r"[|\r\n\t]+", " ", value or "")
    return re.sub(r" {2,}", " ", value).strip()[:limit].strip()


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


@dataclass(frozen=True)
class PaymentQr:
    payload: str
    amount_in_code: bool  # False above 9 999,99 zł: the payer types the amount


def amount_field(amount: Decimal) -> str:
    """Grosze, six digits zero-padded; ``000000`` when the amount does not fit."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount <= 0 or amount > MAX_QR_AMOUNT:
        return "000000"
    return f"{int(amount * 100):06d}"


def payment_payload(
    *, nip: str, account: str, amount: Decimal, recipient: str, title: str
) -> PaymentQr:
    """Build the ZBP 2D payload. `account` must be a 26-digit Polish account number."""
    account = _digits(account)
    if len(account) != 26:
        raise ValueError("A payment QR code needs a 26-digit account number.")
    nip = _digits(nip)
    if len(nip) != 10:
        nip = ""
    amount_str = amount_field(amount)
    fields = [
        nip,
        "PL",
        account,
        amount_str,
        _clean(recipient, NAME_MAX),
        _clean(title, TITLE_MAX),
        "",
        "",
        "",
    ]
    payload = "|".join(fields)
    assert len(payload) <= MAX_PAYLOAD  # guaranteed by the field limits
    return PaymentQr(payload=payload, amount_in_code=amount_str != "000000")


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """A PNG of the code with error correction L, as the standard asks."""
    import io

    out = io.BytesIO()
    segno.make(payload, error="L", boost_error=False, micro=False).save(
        out, kind="png", scale=scale, border=4
    )
    return out.getvalue()


def qr_svg(payload: str, *, title: str = "") -> str:
    """Inline SVG markup (no style attributes, so it passes a strict CSP).

    Marked safe here, where it is made: segno writes only path data and the escaped
    title, so templates never need `|safe`.

    Drawing a code costs milliseconds, so the markup is kept in the shared cache under a
    digest of exactly what it is drawn from (payload and title): the same input always
    gives the same markup, and the key names no customer."""
    from django.core.cache import cache
    from django.utils.safestring import mark_safe

    key = "ebok.qr-svg:" + hashlib.sha256(f"{payload}\0{title}".encode()).hexdigest()
    markup = cache.get(key)
    if markup is None:
        markup = _draw_svg(payload, title)
        cache.set(key, markup, 7 * 24 * 60 * 60)
    return mark_safe(markup)  # noqa: S308 - generated markup, title escaped


def _draw_svg(payload: str, title: str) -> str:
    import io

    out = io.BytesIO()
    segno.make(payload, error="L", boost_error=False, micro=False).save(
        out,
        kind="svg",
        scale=4,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    return out.getvalue().decode()


def ksef_verification_url(*, seller_nip: str, issue_date: date, xml: bytes) -> str:
    """The KSeF "verify this invoice" link: NIP, issue date, SHA-256 of the XML in Base64URL."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip("=")
    return f"{KSEF_QR_BASE}/{_digits(seller_nip)}/{issue_date:%d-%m-%Y}/{digest}"
