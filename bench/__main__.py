"""`python -m bench` (`make bench`): measure the portal's pages against two floors measured
in the same run: the anonymous framework floor and the logged-in chrome floor."""

import argparse
import os
import platform
import shlex
import sys
from datetime import UTC, date, datetime

from bench.dataset import dataset_path, ensure_dataset
from bench.load import login, login_operator, run_load
from bench.pages import CHROME, DEMO_TOTP_SECRET, FLOOR, OPERATORS, PAGES
from bench.resolve import dataset_ids, resolve
from bench.server import ROOT, bench_env, gunicorn

PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--today",
        default=date.today().replace(day=1).isoformat(),
        help="reference date of the dataset (default: the 1st of this month, so the "
        "dataset is reused for a month)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="build the dataset even if one exists"
    )
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent client connections")
    parser.add_argument("--requests", type=int, default=1000, help="at most this many per page")
    parser.add_argument(
        "--duration", type=float, default=20.0, help="at most this many seconds per page"
    )
    parser.add_argument(
        "--no-docs", action="store_true", help=f"do not update {PERFORMANCE_DOC.name}"
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["import"]:
        from bench.import_bench import main as import_main

        return import_main(argv[1:])
    args = parse_args(argv)
    from ebok.demo.logins import DEMO_PASSWORD

    var_dir = ROOT / "var" / "bench"
    params = {
        "customers": args.customers,
        "months": args.months,
        "seed": args.seed,
        "today": args.today,
    }
    db_path = dataset_path(var_dir, **params)
    env = bench_env(db_path, var_dir)
    os.chdir(ROOT)
    dataset = ensure_dataset(env, db_path, params, rebuild=args.rebuild)

    ids = dataset_ids(db_path)
    load_before = os.getloadavg()
    rows, skipped = [], []
    with gunicorn(
        env, port=args.port, workers=args.workers, log_path=var_dir / "gunicorn.log"
    ) as host:
        sessions = {}
        pages = []
        for page in PAGES:
            path = resolve(page.path, ids)
            if path is None:
                skipped.append(page)
                continue
            pages.append((page, path))
            if page.user and page.user not in sessions:
                if page.user in OPERATORS:
                    sessions[page.user] = login_operator(
                        host, page.user, DEMO_PASSWORD, DEMO_TOTP_SECRET
                    )
                else:
                    sessions[page.user] = login(host, page.user, DEMO_PASSWORD)
        for page, path in pages:
            result = run_load(
                host,
                path,
                sessions.get(page.user),
                requests=args.requests,
                duration=args.duration,
                concurrency=args.concurrency,
            )
            rows.append((page, path, result))
            print(
                f"  {page.name:<32} {result.throughput:7.1f} req/s  p50 {result.percentile(50):6.1f} ms"
                f"  p99 {result.percentile(99):6.1f} ms  CPU {result.cpu_median_us / 1000:6.2f} ms"
                f"  errors {result.errors}"
            )

    report = render_report(argv, args, dataset, rows, load_before=load_before, skipped=skipped)
    print()
    print(report)
    if not args.no_docs:
        write_report(report)
        print(f"Written to {PERFORMANCE_DOC.relative_to(ROOT)}")
    return 1 if any(result.errors or not result.requests for _page, _path, result in rows) else 0


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and a == a and b == b else "n/a"  # NaN-safe


def render_report(argv, args, dataset, rows, *, load_before=None, skipped=()) -> str:
    """The results as Markdown: per page its throughput and server CPU, each as a ratio
    to the anonymous framework floor and to the logged-in chrome floor of the same run."""
    floor = next(result for page, _path, result in rows if page == FLOOR)
    chrome = next((result for page, _path, result in rows if page == CHROME), None)
    command = "make bench" + (f" BENCH_ARGS={shlex.quote(' '.join(argv))}" if argv else "")
    load = os.getloadavg()
    before = (
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} at the start, "
        if load_before
        else ""
    )
    lines = [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`",
        "",
        f"- Dataset: {args.customers:,} customers, {args.months} months of history, seed {args.seed}, "
        f"reference date {args.today}, plus the large customer ({'reused' if dataset['reused'] else 'built'}; "
        f"build: {dataset.get('build_summary') or 'n/a'}).",
        f"- Server: gunicorn, {args.workers} sync workers, DEBUG off, SQLite (WAL), CONN_MAX_AGE 60; "
        "server CPU per request measured by the server (`X-Bench-CPU-us`, median).",
        f"- Client: {args.concurrency} concurrent connections, at most {args.requests} requests or "
        f"{args.duration:g} s per page after 10 warm-up requests.",
        f"- Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {before}{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end (1/5/15 min).",
        "- Targets: req/s ÷ floor ≥ 0.5 and CPU ÷ floor ≤ 2 for every logged-in page; the "
        "chrome floor ≥ 0.7 × the floor; p99 ≤ 4 × p50.",
        "",
        "| page | path | as | requests | errors | req/s | p50 ms | p99 ms | p99 ÷ p50 "
        "| CPU ms | req/s ÷ floor | CPU ÷ floor | req/s ÷ chrome | CPU ÷ chrome |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page, path, r in rows:
        lines.append(
            f"| {page.name} | `{path}` | {page.user or 'anonymous'} | {r.requests} | {r.errors} "
            f"| {r.throughput:.1f} | {r.percentile(50):.1f} | {r.percentile(99):.1f} "
            f"| {_ratio(r.percentile(99), r.percentile(50))} "
            f"| {r.cpu_median_us / 1000:.2f} "
            f"| {_ratio(r.throughput, floor.throughput)} "
            f"| {_ratio(r.cpu_median_us, floor.cpu_median_us)} "
            f"| {_ratio(r.throughput, chrome.throughput) if chrome else 'n/a'} "
            f"| {_ratio(r.cpu_median_us, chrome.cpu_median_us) if chrome else 'n/a'} |"
        )
    for page in skipped:
        lines.append(
            f"| {page.name} | `{page.path}` | {page.user or 'anonymous'} | — | — | — | — | — "
            "| — | — | — | — | — | — |"
        )
    if skipped:
        lines += ["", "Pages marked — were skipped: the dataset has no such record."]
    return "\n".join(lines)


def write_report(report: str) -> None:
    """Replace the latest results between the markers in docs/performance.md."""
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else ""
    block = f"{START}\n{report}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _old, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n## Latest `make bench` results\n\n" + block + "\n"
    PERFORMANCE_DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
