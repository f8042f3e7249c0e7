from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 -> '1 234,50 zł' (Polish grouping, always two decimals)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} zł"


@register.filter
def nip(value: str) -> str:
    """1234567890 -> 123-456-78-90, as NIPs are usually written."""
    if not value or len(value) != 10 or not value.isdigit():
        return value or ""
    return f"{value[:3]}-{value[3:6]}-{value[6:8]}-{value[8:]}"


@register.filter
def bank_account(value: str) -> str:
    """26 digits -> 'NN NNNN NNNN NNNN NNNN NNNN NNNN'."""
    if not value or len(value) != 26:
        return value or ""
    return value[:2] + " " + " ".join(value[i : i + 4] for i in range(2, 26, 4))
