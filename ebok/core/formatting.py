"""How amounts, numbers, dates, NIPs and bank accounts are written, in one place for
templates (the `ebok` template filters), PDFs and texts stored by the domain."""

from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from stdnum import iban as stdnum_iban
from stdnum.pl import nip as stdnum_nip

EMPTY = "—"


def money(value) -> str:
    """1234.5 -> '1 234,50 zł' (grouping and decimal comma of the active language, always
    two decimals); nothing -> '—'."""
    if value in (None, ""):
        return EMPTY
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} zł"


def number(value, places=None) -> str:
    """A number with grouping; without `places`, as many decimals as it has (0.2500 -> '0,25')."""
    value = Decimal(value)
    if places is None:
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
    return number_format(value, places, use_l10n=True, force_grouping=True)


def dmy(value: date | None) -> str:
    """31-10-2026, the portal's date format; nothing -> '—'."""
    return value.strftime("%d-%m-%Y") if value else EMPTY


def nip(value: str) -> str:
    """1234567890 -> '123-456-78-90', as NIPs are usually written; anything that is not
    ten digits is shown as it is."""
    if not value or len(value) != 10 or not value.isdigit():
        return value or ""
    return stdnum_nip.format(value)


def bank_account(value: str) -> str:
    """A 26-digit Polish account number (NRB) -> 'NN NNNN NNNN NNNN NNNN NNNN NNNN'
    (the IBAN grouping without 'PL'); anything else is shown as it is."""
    if not value or len(value) != 26 or not value.isdigit():
        return value or ""
    return stdnum_iban.format("PL" + value)[2:].lstrip()
