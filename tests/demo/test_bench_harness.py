"""The benchmark harness's own arithmetic and report (no server needed)."""

from types import SimpleNamespace

import bench.__main__ as bench_main
from bench.load import LoadResult, totp
from bench.pages import CHROME, FLOOR, PAGES
from bench.resolve import resolve


def test_percentiles_use_the_nearest_rank():
    result = LoadResult(latencies=[i / 1000 for i in range(1, 101)], seconds=2.0)
    assert result.requests == 100
    assert result.throughput == 50.0
    assert result.percentile(50) == 50.0
    assert result.percentile(99) == 99.0
    assert result.percentile(100) == 100.0


def test_every_page_has_a_path_and_the_floor_is_anonymous():
    assert PAGES[0] == FLOOR and FLOOR.user is None
    assert PAGES[1] == CHROME and CHROME.user == "demo"
    assert all(page.path.startswith("/") for page in PAGES)
    assert len({(page.path, page.user) for page in PAGES}) == len(PAGES)


def test_the_issue_pages_are_measured_for_the_demo_and_the_large_customer():
    measured = {(page.path, page.user) for page in PAGES}
    for path in ("/", "/faktury/", "/faktury/historia/", "/faktury/saldo/", "/umowy/"):
        assert (path, "demo") in measured and (path, "spoldzielnia") in measured
    for path in ("/kontrahent/", "/pisma/", "/wnioski/", "/odczyty/{demo_reading}/"):
        assert (path, "demo") in measured
    assert ("/", "zarzadca") in measured
    assert ("/obsluga/pisma/", "operator") in measured


def test_paths_take_their_ids_from_the_dataset_or_are_skipped():
    ids = {"demo_invoice": 17}
    assert resolve("/faktury/{demo_invoice}/", ids) == "/faktury/17/"
    assert resolve("/pisma/{demo_letter}/", ids) is None


def test_totp_codes_follow_rfc_6238():
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s: 94287082 (8
    # digits); six digits are its last six.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp(secret, at=59) == "287082"
    assert totp(secret, at=1111111109) == "081804"


def test_server_cpu_is_the_median_of_what_the_server_reported():
    result = LoadResult(latencies=[0.01] * 3, seconds=1.0, cpu_us=[900, 1000, 5000])
    assert result.cpu_median_us == 1000


def test_the_report_compares_each_page_with_the_floor_and_replaces_the_previous_one(
    tmp_path, monkeypatch
):
    floor = LoadResult(latencies=[0.010] * 10, seconds=1.0, cpu_us=[1000] * 10)
    chrome = LoadResult(latencies=[0.020] * 8, seconds=1.0, cpu_us=[1500] * 8)
    page = LoadResult(latencies=[0.030] * 5, seconds=1.0, cpu_us=[3000] * 5)
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
        ["--customers", "100"],
        args,
        dataset,
        [(FLOOR, FLOOR.path, floor), (CHROME, CHROME.path, chrome), (PAGES[2], "/", page)],
        load_before=(1.0, 2.0, 3.0),
    )
    assert "make bench BENCH_ARGS='--customers 100'" in report
    assert "load average 1.0 / 2.0 / 3.0 at the start" in report
    # The page: half the floor's throughput and three times its CPU; 5/8 of the chrome
    # floor's throughput and twice its CPU.
    assert "| 3.00 | 0.50 | 3.00 | 0.62 | 2.00 |" in report

    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nintro\n")
    monkeypatch.setattr(bench_main, "PERFORMANCE_DOC", doc)
    bench_main.write_report("first")
    bench_main.write_report("second")
    text = doc.read_text()
    assert "intro" in text and "second" in text and "first" not in text


def test_the_bench_knows_the_operators_demo_totp_secret():
    from bench.pages import DEMO_TOTP_SECRET
    from ebok.accounts.demo import DEMO_TOTP_SECRET as SECRET

    assert DEMO_TOTP_SECRET == SECRET
