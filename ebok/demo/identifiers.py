"""Valid Polish identifiers for generated data, built by computing check digits.

Everything here takes a `random.Random` so that a seed gives the same numbers. The
numbers are syntactically valid (python-stdnum accepts them) and fictitious.
"""

import random
from datetime import date

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_BANK_WEIGHTS = (3, 9, 7, 1, 3, 9, 7)


def nip(rng: random.Random) -> str:
    """A 10-digit NIP with a valid check digit (a check value of 10 is never valid)."""
    while True:
        # The first three digits are a tax office code; they never start with 0.
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(w * d for w, d in zip(_NIP_WEIGHTS, digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def regon(rng: random.Random) -> str:
    """A 9-digit REGON (check value 10 becomes 0, as the standard says)."""
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = sum(w * d for w, d in zip(_REGON_WEIGHTS, digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def pesel(rng: random.Random, born_between: tuple[date, date]) -> str:
    """An 11-digit PESEL for a birth date in the range (month encodes the century)."""
    start, end = born_between
    born = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
    century_offset = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[born.year // 100 * 100]
    head = f"{born.year % 100:02d}{born.month + century_offset:02d}{born.day:02d}"
    head += f"{rng.randint(0, 9999):04d}"
    check = (10 - sum(w * int(d) for w, d in zip(_PESEL_WEIGHTS, head, strict=True)) % 10) % 10
    return head + str(check)


def bank_sort_code(bank: str, branch: str) -> str:
    """An 8-digit Polish bank sort code: 4-digit bank, 3-digit branch, check digit."""
    digits = bank + branch
    check = (10 - sum(w * int(d) for w, d in zip(_BANK_WEIGHTS, digits, strict=True)) % 10) % 10
    return digits + str(check)


def nrb(sort_code: str, account: str) -> str:
    """A 26-digit Polish account number (NRB) whose IBAN checksum (mod 97) is valid."""
    if len(sort_code) != 8 or len(account) != 16:
        raise ValueError("sort code must have 8 digits and account 16")
    bban = sort_code + account
    # IBAN check: BBAN + "PL00" with letters as numbers (P=25, L=21), 98 - mod 97.
    check = 98 - int(bban + "252100") % 97
    return f"{check:02d}{bban}"
