"""The benchmark database: built once per set of parameters under var/bench/ and reused."""

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.server import manage

# Bump when the generator changes what it builds, so old bench databases are rebuilt.
# 2: the large customer (a cooperative with 300 buildings, 600 meters, 10 years of
# history; login `spoldzielnia`) and the account summaries.
# 3: the demo customer's correspondence (so the bench measures one letter).
DATASET_VERSION = 3


def dataset_path(var_dir: Path, *, customers: int, months: int, seed: int, today: str) -> Path:
    return var_dir / f"ebok-c{customers}-m{months}-s{seed}-{today}.sqlite3"


def ensure_dataset(env: dict, db_path: Path, params: dict, *, rebuild: bool = False) -> dict:
    """Make sure `db_path` holds the dataset for `params`; return what happened.

    A database is reused only when its sidecar file says it was completely built with the
    same parameters; anything else (no sidecar: an interrupted build) is rebuilt.
    """
    meta_path = db_path.with_suffix(".json")
    wanted = {**params, "dataset_version": DATASET_VERSION}
    if not rebuild and db_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("params") == wanted:
            manage(env, "migrate", "--noinput", "-v0")  # new migrations since the build
            return {"reused": True, **meta}
    for stale in (db_path, meta_path, *db_path.parent.glob(db_path.name + "-*")):
        stale.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Building the bench dataset {db_path.name} (this takes minutes for 100,000 customers)")
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_demo",
            "--customers",
            str(params["customers"]),
            "--months",
            str(params["months"]),
            "--seed",
            str(params["seed"]),
            "--today",
            params["today"],
            "--large-customer",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"seed_demo failed (exit {result.returncode}); the dataset was not built")
    seconds = time.monotonic() - started
    lines = result.stdout.splitlines()
    summary = [line for line in lines if "records/s" in line]
    counts = [line.strip() for line in lines if line.startswith("  ") and line.count(":") == 1]
    meta = {
        "counts": counts,
        "params": wanted,
        "build_seconds": round(seconds, 1),
        "build_summary": summary[0] if summary else "",
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    print(f"  built in {seconds:.0f} s: {meta['build_summary']}")
    return {"reused": False, **meta}
