"""`python -m bench import` (`make bench BENCH_ARGS="import"`): the billing import's speed.

Imports N readings from a CSV batch file through the same path as
`manage.py import_billing` (parse, validate, compare, write), then imports the same file
again (every record unchanged), on a dedicated database that is dropped and re-created
first (PostgreSQL by default: the requirement is >= 10,000 records/s on the first
import and >= 20,000 records/s on the unchanged re-import).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime

from bench.server import ROOT

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ebok_bench_import"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--meters", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL),
        help="a database of its own: it is dropped and re-created (default %(default)s)",
    )
    return parser.parse_args(argv)


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv) -> int:
    args = parse_args(argv)
    env = {
        **os.environ,
        "DEBUG": "true",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-import"),
        "DATABASE_URL": args.database_url,
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "ebok.settings",
    }
    if args.database_url.startswith("postgres"):
        _recreate_postgres(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    code = (
        "import django, json; django.setup();"
        "from bench import import_run as benchmark;"
        f"print('RESULT', json.dumps(benchmark.run(readings={args.readings}, meters={args.meters})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    print("\n".join(line for line in out.splitlines() if not line.startswith("RESULT")))
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT"))[7:])
    load = os.getloadavg()
    ok = result["import_rps"] >= 10_000 and result["reimport_rps"] >= 20_000
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"
    )
    for label, rps, counts in (
        ("import", result["import_rps"], result["counts"][0]),
        ("re-import", result["reimport_rps"], result["counts"][1]),
    ):
        cpu = counts["cpu_s"] + counts.get("db_cpu_s", 0)
        print(
            f"  {label}: {rps:,.0f} records/s wall clock; CPU {counts['cpu_s']} s importer + "
            f"{counts.get('db_cpu_s', '?')} s database backend = "
            f"{result['readings'] / cpu:,.0f} records per CPU second"
        )
    print(f"  wall-clock targets (10,000 / 20,000 records/s): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1
