"""Batch files from billing: CSV (UTF-8, `;` by default) and JSON Lines, one kind per
file. Both yield plain dicts for `importer.import_records`, so a file and an API call
follow exactly the same rules. Formats are documented in docs/integration.md."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ebok.integration.records import SPECS

FORMATS = ("csv", "jsonl")
BOOLEAN_WORDS = {"tak": "true", "nie": "false", "t": "true", "n": "false"}


class RecordParseError(str):
    """A line that could not be read; the importer reports it as that record's error."""


def guess_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return None


def guess_kind(path: Path) -> str | None:
    """`readings.csv`, `readings-2026-11.jsonl` → readings."""
    stem = path.name.split(".")[0].lower()
    for kind in SPECS:
        if stem == kind or stem.startswith(kind + "-") or stem.startswith(kind + "_"):
            return kind
    return None


def count_records(path: Path, fmt: str) -> int:
    """Number of records, for the progress bar (a fast pass over the bytes)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - (1 if fmt == "csv" else 0), 0)


def read_csv(path: Path, kind: str, delimiter: str = ";") -> Iterator[dict]:
    """Rows as dicts keyed by the header. An empty cell means "not given" (the field's
    default, or an error if it is required); decimals may use a comma; `lines` of an
    invoice is a JSON array."""
    spec = SPECS[kind]
    decimals = spec.decimal_fields
    booleans = {name for name, info in spec.schema.model_fields.items() if info.annotation is bool}
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            return
        width = len(header)
        for row in reader:
            if not row:
                continue
            if len(row) > width:
                yield RecordParseError(f"wiersz ma {len(row)} kolumn, nagłówek {width}")
                continue
            record = {k: v for k, v in zip(header, row, strict=False) if v != ""}
            for name in decimals & record.keys():
                record[name] = record[name].replace(",", ".").replace(" ", "")
            for name in booleans & record.keys():
                record[name] = BOOLEAN_WORDS.get(record[name].lower(), record[name])
            if "lines" in record:
                try:
                    record["lines"] = json.loads(record["lines"])
                except ValueError:
                    yield RecordParseError("lines: nieprawidłowy JSON")
                    continue
            yield record


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError:
                yield RecordParseError(f"wiersz {number}: nieprawidłowy JSON")


def read_file(path: Path, kind: str, fmt: str, delimiter: str = ";") -> Iterator[dict]:
    if fmt == "csv":
        return read_csv(path, kind, delimiter)
    return read_jsonl(path)
