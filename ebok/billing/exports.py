"""Tabular exports (CSV and XLSX) of invoices, the statement and meter readings.

CSV follows what Polish spreadsheets open directly: UTF-8 with a BOM, `;` between
fields, decimal comma. XLSX (openpyxl) holds real dates and numbers with formats.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass
class Column:
    title: str
    kind: str = "text"  # text | date | money | number


def _csv_value(value, kind):
    if value is None or value == "":
        return ""
    if kind == "date":
        return value.strftime("%Y-%m-%d")
    if kind in ("money", "number"):
        text = (
            f"{Decimal(value):.2f}" if kind == "money" else format(Decimal(value).normalize(), "f")
        )
        return text.replace(".", ",")
    return str(value)


def to_csv(columns: list[Column], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(columns: list[Column], rows, *, sheet_title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for value, col in zip(row, columns, strict=True):
            if value is None or value == "":
                values.append(None)
            elif col.kind in ("money", "number"):
                values.append(float(value))
            else:
                values.append(value)
        ws.append(values)
    for idx, col in enumerate(columns, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        fmt = {"date": "DD-MM-YYYY", "money": "#,##0.00", "number": "#,##0.000"}.get(col.kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                cell.number_format = fmt
        width = max(len(col.title), 12 if col.kind != "text" else 18)
        ws.column_dimensions[letter].width = width + 2
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(fmt: str, columns, rows, *, basename: str, sheet_title: str) -> tuple[str, str, bytes]:
    """(filename, mimetype, bytes) for `fmt` in FORMATS."""
    rows = list(rows)
    if fmt == "csv":
        return f"{basename}.csv", CSV_MIMETYPE, to_csv(columns, rows)
    if fmt == "xlsx":
        return f"{basename}.xlsx", XLSX_MIMETYPE, to_xlsx(columns, rows, sheet_title=sheet_title)
    raise ValueError(fmt)


def today_stamp(today: date) -> str:
    return today.strftime("%Y-%m-%d")
