"""Import benchmark: 1,000,000 readings through the batch-file path, then the same file
again (all unchanged). Used by `python -m bench import` and recorded in
docs/performance.md. Run it against the database under test (DATABASE_URL)."""

from __future__ import annotations

import csv
import os
import tempfile
import time
from pathlib import Path

from django.db import connection

from ebok.integration import files
from ebok.integration.importer import import_records
from ebok.integration.models import ImportBatch


def _prepare(prefix: str, meters: int) -> None:
    customers = max(1, meters // 10)
    import_records(
        "customers",
        [
            {
                "external_id": f"{prefix}C{i}",
                "version": 1,
                "payer_code": f"{prefix}{i}",
                "name": f"Wspólnota Mieszkaniowa {i}",
                "street": f"ul. Benchmarkowa {i}",
                "postal_code": "85-001",
                "city": "Bydgoszcz",
            }
            for i in range(customers)
        ],
        keep_results=False,
    )
    import_records(
        "sites",
        [
            {
                "external_id": f"{prefix}S{i}",
                "version": 1,
                "customer": f"{prefix}C{i % customers}",
                "code": f"W{i}",
                "street": f"ul. Benchmarkowa {i}",
                "postal_code": "85-001",
                "city": "Bydgoszcz",
            }
            for i in range(meters)
        ],
        keep_results=False,
    )
    import_records(
        "meters",
        [
            {
                "external_id": f"{prefix}M{i}",
                "version": 1,
                "customer": f"{prefix}C{i % customers}",
                "site": f"{prefix}S{i}",
                "serial_number": f"SN{i}",
                "meter_type": "Kamstrup MULTICAL 603",
                "installed_on": "2019-06-01",
            }
            for i in range(meters)
        ],
        keep_results=False,
    )


def write_readings_csv(path: Path, prefix: str, readings: int, meters: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["external_id", "version", "meter", "read_on", "value", "consumption", "source"])
        per_meter = max(1, readings // meters)
        for i in range(readings):
            m, k = divmod(i, per_meter)
            day = 1 + k % 28
            month = 1 + (k // 28) % 12
            w.writerow(
                [
                    f"{prefix}R{i}",
                    1,
                    f"{prefix}M{m % meters}",
                    f"{2000 + k // 336:04d}-{month:02d}-{day:02d}",
                    f"{k * 12.5:.3f}".replace(".", ","),
                    "12,500",
                    "remote",
                ]
            )


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend process (Linux,
    database on this machine), so a run can be judged apart from other load."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_import(path: Path) -> tuple[float, dict]:
    db_cpu = _backend_cpu()
    start = time.perf_counter()
    cpu = time.process_time()
    summary = import_records(
        "readings",
        files.read_file(path, "readings", "csv"),
        keep_results=False,
        source=ImportBatch.Source.FILE,
        file_name=path.name,
    )
    summary.counts["cpu_s"] = round(time.process_time() - cpu, 1)
    db_cpu_after = _backend_cpu()
    if db_cpu is not None and db_cpu_after is not None:
        summary.counts["db_cpu_s"] = round(db_cpu_after - db_cpu, 1)
    return time.perf_counter() - start, summary.counts


def run(readings: int = 1_000_000, meters: int = 10_000, out=print) -> dict:
    prefix = f"B{int(time.time())}-"
    out(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    out(f"preparing {meters} meters …")
    _prepare(prefix, meters)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "readings.csv"
        write_readings_csv(path, prefix, readings, meters)
        out(f"importing {readings} readings from {path.stat().st_size / 1e6:.0f} MB of CSV …")
        first, counts1 = _timed_import(path)
        out(f"  first import: {first:.1f} s, {readings / first:,.0f} records/s {counts1}")
        second, counts2 = _timed_import(path)
        out(
            f"  re-import (unchanged): {second:.1f} s, {readings / second:,.0f} records/s {counts2}"
        )
    return {
        "readings": readings,
        "import_rps": readings / first,
        "reimport_rps": readings / second,
        "counts": [counts1, counts2],
    }
