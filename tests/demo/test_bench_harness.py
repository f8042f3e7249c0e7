"""The benchmark harness's own arithmetic and report (no server needed)."""

from types import SimpleNamespace

import bench.__main__ as bench_main
from bench.load import LoadResult
from bench.pages import FLOOR, PAGES


def test_percentiles_use_the_nearest_rank():
    result = LoadResult(latencies=[i / 1000 for i in range(1, 101)], seconds=2.0)
    assert result.requests == 100
    assert result.throughput == 50.0
    assert result.percentile(50) == 50.0
    assert result.percentile(99) == 99.0
    assert result.percentile(100) == 100.0


def test_every_page_has_a_path_and_the_floor_is_anonymous():
    assert PAGES[0] == FLOOR and FLOOR.user is None
    assert all(page.path.startswith("/") for page in PAGES)
    assert len({(page.path, page.user) for page in PAGES}) == len(PAGES)


def test_the_report_compares_each_page_with_the_floor_and_replaces_the_previous_one(
    tmp_path, monkeypatch
):
    floor = LoadResult(latencies=[0.010] * 10, seconds=1.0)
    page = LoadResult(latencies=[0.030] * 5, seconds=1.0)
    args = SimpleNamespace(
        customers=100,
        months=24,
        seed=2026,
        today="2026-11-01",
        workers=2,
        concurrency=4,
        requests=10,
        duration=5.0,
    )
    dataset = {"reused": True, "build_summary": "1 records in 1 s"}
    report = bench_main.render_report(
        ["--customers", "100"], args, dataset, [(FLOOR, floor), (PAGES[1], page)]
    )
    assert "make bench BENCH_ARGS='--customers 100'" in report
    assert "| 3.00 | 0.50 |" in report  # p50 three times the floor, half its throughput

    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nintro\n")
    monkeypatch.setattr(bench_main, "PERFORMANCE_DOC", doc)
    bench_main.write_report("first")
    bench_main.write_report("second")
    text = doc.read_text()
    assert "intro" in text and "second" in text and "first" not in text
