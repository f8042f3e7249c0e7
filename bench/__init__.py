"""Performance harness for eBOK: `make bench` (`python -m bench --help`).

Builds (or reuses) a large SQLite dataset with `manage.py seed_demo`, starts gunicorn
with production settings in bench mode, logs in as a demo user, drives every page of
`bench.pages.PAGES` with a bounded concurrent client and reports throughput and p50/p99
latency, each page compared with the framework floor (`/bench/floor/`).
"""
