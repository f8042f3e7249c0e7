"""Which sites an interruption's scope covers.

Billing stores a site's address as one text, street and number together
(``ul. Gdańska 112``, ``al. Jana Pawła II 5A``, ``Długa 7/3``). We split it into a
normalised street name and a house number; a house number compares as (number, letters),
so 12 < 12A < 12B < 13, and its parity is the parity of the number (12A is even).
A range ``12-20`` holds 12, 12A … 19B, 20 but not 20A (write ``12-20A`` for that).

The scope is written one entry per line (back office, CSV) or as structured data (API):

    Gdańska 10-20 parzyste, Bydgoszcz
    ul. Długa 5A
    al. Wolności              (the whole street, in any city)
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

_PREFIXES = (
    "ulica",
    "ul",
    "aleja",
    "aleje",
    "al",
    "plac",
    "pl",
    "osiedle",
    "os",
    "rondo",
    "skwer",
    "bulwar",
)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(_PREFIXES) + r")\.?\s+", re.IGNORECASE)
_NUMBER = r"\d{1,5}\s?[A-Za-z]{0,2}"
_NUMBER_RE = re.compile(r"^(\d{1,5})\s?([A-Za-z]{0,2})$")
# A site address ends with the house number, perhaps followed by a flat ("/3", "m. 3").
_SITE_ADDRESS_RE = re.compile(
    r"^(?P<street>.*?)\s+(?P<number>" + _NUMBER + r")(?:\s*(?:/|m\.|lok\.)\s*\S+)?\s*$",
    re.IGNORECASE,
)
_PARITY_WORDS = {
    "parzyste": "even",
    "parzyst": "even",
    "nieparzyste": "odd",
    "nieparzyst": "odd",
    "even": "even",
    "odd": "odd",
}
_RANGE_RE = re.compile(
    r"^(?P<street>.*?)\s+(?P<from>" + _NUMBER + r")(?:\s*[-–]\s*(?P<to>" + _NUMBER + r"))?$"
)


class ScopeError(ValueError):
    """A scope line that cannot be understood (the message is for the operator)."""


def house_number(text: str) -> tuple[int, str] | None:
    """``"12a"`` → ``(12, "A")``; None when it is not a house number."""
    match = _NUMBER_RE.match(text.strip())
    if not match:
        return None
    return int(match.group(1)), match.group(2).upper()


def normalise_street(text: str) -> str:
    """``"ul.  Gdańska"`` → ``"gdańska"``: no prefix, single spaces, case-folded."""
    text = " ".join(text.replace(",", " ").split())
    text = _PREFIX_RE.sub("", text)
    return text.casefold()


def split_site_address(street_and_number: str) -> tuple[str, tuple[int, str] | None]:
    """A site's ``street`` field → (normalised street, house number or None)."""
    text = " ".join(street_and_number.split())
    match = _SITE_ADDRESS_RE.match(text)
    if match:
        return normalise_street(match.group("street")), house_number(match.group("number"))
    return normalise_street(text), None


@dataclass(frozen=True)
class AddressRange:
    street: str  # as typed, for display
    number_from: str = ""
    number_to: str = ""
    parity: str = "all"
    city: str = ""

    def covers(self, street: str, number: tuple[int, str] | None, city: str) -> bool:
        if normalise_street(self.street) != street:
            return False
        if self.city and self.city.strip().casefold() != city.strip().casefold():
            return False
        if self.number_from:
            if number is None:
                return False
            low = house_number(self.number_from)
            high = house_number(self.number_to or self.number_from)
            if not (low <= number <= high):
                return False
        if self.parity != "all":
            if number is None:
                return False
            if (number[0] % 2 == 0) != (self.parity == "even"):
                return False
        return True


def parse_address_line(line: str) -> AddressRange:
    """``"Gdańska 10-20 parzyste, Bydgoszcz"`` → AddressRange. Raises ScopeError."""
    text = " ".join(line.split())
    city = ""
    if "," in text:
        text, city = (part.strip() for part in text.rsplit(",", 1))
    parity = "all"
    words = text.split(" ")
    if words and words[-1].casefold() in _PARITY_WORDS:
        parity = _PARITY_WORDS[words[-1].casefold()]
        text = " ".join(words[:-1])
    number_from = number_to = ""
    match = _RANGE_RE.match(text)
    if match and match.group("street").strip():
        text = match.group("street").strip()
        number_from = match.group("from").replace(" ", "").upper()
        number_to = (match.group("to") or "").replace(" ", "").upper()
        if number_to and house_number(number_to) < house_number(number_from):
            raise ScopeError(
                _("„%(line)s”: numer końcowy jest mniejszy niż początkowy.") % {"line": line}
            )
        if number_to == number_from:
            number_to = ""
    if not normalise_street(text) or not re.search(r"[^\W\d_]", text):
        raise ScopeError(
            _("„%(line)s”: podaj ulicę, np. „Gdańska 10-20 parzyste, Bydgoszcz”.") % {"line": line}
        )
    if len(text) > 200 or len(city) > 100:
        raise ScopeError(_("„%(line)s”: za długi adres.") % {"line": line[:60]})
    return AddressRange(
        street=text, number_from=number_from, number_to=number_to, parity=parity, city=city
    )


def parse_site_codes(text: str) -> list[str]:
    """Codes separated by commas, semicolons, spaces or lines; duplicates dropped."""
    codes = []
    for code in re.split(r"[\s,;]+", text or ""):
        code = code.strip().upper()
        if code and code not in codes:
            codes.append(code)
    return codes


def parse_address_lines(text: str) -> list[AddressRange]:
    """One address range per line (or separated by ``;``). Raises ScopeError with every
    bad line in one message."""
    ranges, errors = [], []
    for line in re.split(r"[\n;]+", text or ""):
        if not line.strip():
            continue
        try:
            ranges.append(parse_address_line(line.strip()))
        except ScopeError as exc:
            errors.append(str(exc))
    if errors:
        raise ScopeError(" ".join(errors))
    return ranges


def _street_prefilter(ranges) -> Q:
    """A SQL pre-filter on the site's street text (the exact comparison follows in Python).
    SQLite's LIKE folds the case of ASCII letters only, so the street's last word is tried
    as typed, lower-case, upper-case and capitalised."""
    q = Q(pk__in=[])
    for r in ranges:
        word = normalise_street(r.street).split(" ")[-1]
        for variant in {word, word.lower(), word.upper(), word.capitalize()}:
            q |= Q(street__icontains=variant)
    return q


def match_sites(site_codes, ranges, sites_queryset=None):
    """The sites (not cancelled) that the codes and address ranges cover, by pk."""
    from ebok.contracts.models import Site

    qs = sites_queryset if sites_queryset is not None else Site.objects.all()
    qs = qs.filter(cancelled_at__isnull=True)
    matched = {}
    if site_codes:
        for site in qs.filter(code__in=site_codes):
            matched[site.pk] = site
    if ranges:
        for site in qs.filter(_street_prefilter(ranges)).exclude(pk__in=list(matched)):
            street, number = split_site_address(site.street)
            if any(r.covers(street, number, site.city) for r in ranges):
                matched[site.pk] = site
    return sorted(matched.values(), key=lambda s: (s.city, s.street, s.code))


def entry_range(entry) -> AddressRange:
    return AddressRange(
        street=entry.street,
        number_from=entry.number_from,
        number_to=entry.number_to,
        parity=entry.parity,
        city=entry.city,
    )


def describe_range(r: AddressRange) -> str:
    """``ul. Gdańska 10–20 (parzyste), Bydgoszcz`` — what the public may read."""
    text = r.street
    if r.number_from:
        text += f" {r.number_from}" + (f"–{r.number_to}" if r.number_to else "")
    if r.parity == "even":
        text += " (" + _("numery parzyste") + ")"
    elif r.parity == "odd":
        text += " (" + _("numery nieparzyste") + ")"
    if r.city:
        text += f", {r.city}"
    return text


def describe_entry(entry) -> str:
    if entry.type == "site":
        return _("obiekt/węzeł %(code)s") % {"code": entry.site_code}
    return describe_range(entry_range(entry))


def range_line(r: AddressRange) -> str:
    """Back to the line syntax the form accepts (for editing)."""
    text = r.street
    if r.number_from:
        text += f" {r.number_from}" + (f"-{r.number_to}" if r.number_to else "")
    if r.parity == "even":
        text += " parzyste"
    elif r.parity == "odd":
        text += " nieparzyste"
    if r.city:
        text += f", {r.city}"
    return text
