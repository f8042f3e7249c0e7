"""Import of many interruptions from one CSV file (back office).

Every row is checked first; if any row is wrong nothing is saved and the operator gets a
report with the row number and what is wrong in it. Otherwise all rows are created in one
transaction (each with its history, audit entry and notices, as if typed by hand).

Columns (header row required, `;` or `,` as separator, UTF-8 with or without BOM):
identyfikator; rodzaj; dotyczy; poczatek; koniec; opis; obiekty; adresy
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ebok.interruptions import matching, services
from ebok.interruptions.models import Interruption

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
COLUMNS = ["identyfikator", "rodzaj", "dotyczy", "poczatek", "koniec", "opis", "obiekty", "adresy"]
REQUIRED = ["rodzaj", "dotyczy", "poczatek", "koniec"]
KINDS = {"planowa": "planned", "planowe": "planned", "awaria": "failure"}
KINDS.update({v: v for v in Interruption.Kind.values})
AFFECTS = {
    "ogrzewanie": "heating",
    "cwu": "hot_water",
    "ciepla woda": "hot_water",
    "ciepła woda": "hot_water",
    "oba": "both",
    "ogrzewanie i cwu": "both",
}
AFFECTS.update({v: v for v in Interruption.Affects.values})
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M"]


@dataclass
class RowError:
    row: int  # the line number in the file (the header is line 1)
    message: str


class CsvRefused(ValueError):
    """The file as a whole cannot be read (the message is for the operator)."""


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise CsvRefused(_("Plik jest za duży (najwyżej 2 MB)."))
    if b"\x00" in raw[:4096]:
        raise CsvRefused(_("To nie jest plik tekstowy CSV."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused(_("Plik musi być zapisany w kodowaniu UTF-8.")) from None


def _parse_datetime(text: str):
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    return None


def parse(raw: bytes) -> tuple[list[tuple[int, str, services.InterruptionData]], list[RowError]]:
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRefused(
            _("Brak kolumn: %(columns)s. Pierwszy wiersz musi zawierać nazwy kolumn: %(all)s.")
            % {"columns": ", ".join(missing), "all": "; ".join(COLUMNS)}
        )
    reader.fieldnames = header
    rows, errors, seen_ids = [], [], {}
    for record in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            raise CsvRefused(_("Za dużo wierszy (najwyżej %(max)s).") % {"max": MAX_ROWS})
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue
        problems = []
        kind = KINDS.get(values.get("rodzaj", "").lower())
        if kind is None:
            problems.append(_("rodzaj musi być „planowa” albo „awaria”"))
        affects = AFFECTS.get(values.get("dotyczy", "").lower())
        if affects is None:
            problems.append(_("„dotyczy” musi być „ogrzewanie”, „cwu” albo „oba”"))
        starts_at = _parse_datetime(values.get("poczatek", ""))
        if starts_at is None:
            problems.append(_("początek: podaj datę i godzinę jak 2026-12-03 08:00"))
        expected_end_at = _parse_datetime(values.get("koniec", ""))
        if expected_end_at is None:
            problems.append(_("koniec: podaj datę i godzinę jak 2026-12-03 14:00"))
        codes = matching.parse_site_codes(values.get("obiekty", ""))
        try:
            ranges = matching.parse_address_lines(values.get("adresy", ""))
        except matching.ScopeError as exc:
            problems.append(str(exc))
            ranges = []
        external_id = values.get("identyfikator", "")
        if len(external_id) > 64:
            problems.append(_("identyfikator jest za długi (najwyżej 64 znaki)"))
        elif external_id:
            if external_id in seen_ids:
                problems.append(
                    _("identyfikator powtarza się (wiersz %(row)s)")
                    % {"row": seen_ids[external_id]}
                )
            seen_ids[external_id] = line
        if not problems:
            data = services.InterruptionData(
                kind=kind,
                affects=affects,
                starts_at=starts_at,
                expected_end_at=expected_end_at,
                description=values.get("opis", ""),
                site_codes=codes,
                ranges=ranges,
            )
            try:
                data.validate()
            except services.InterruptionError as exc:
                problems.append(str(exc))
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        else:
            rows.append((line, external_id, data))
    existing = set(
        Interruption.objects.filter(external_id__in=[r[1] for r in rows if r[1]]).values_list(
            "external_id", flat=True
        )
    )
    for line, external_id, _data in rows:
        if external_id in existing:
            errors.append(
                RowError(
                    line, _("przerwa o identyfikatorze %(id)s już istnieje") % {"id": external_id}
                )
            )
    if not rows and not errors:
        raise CsvRefused(_("Plik nie zawiera żadnej przerwy."))
    errors.sort(key=lambda e: e.row)
    return rows, errors


def import_csv(raw: bytes, *, user=None, request=None) -> tuple[list[Interruption], list[RowError]]:
    """All rows or none: returns (created, []) or ([], errors)."""
    rows, errors = parse(raw)
    if errors:
        return [], errors
    with transaction.atomic():
        created = [
            services.create_interruption(
                data, user=user, request=request, source="csv", external_id=external_id or None
            )
            for _line, external_id, data in rows
        ]
    return created, []
