"""Ids of the bench dataset the page paths name (`{demo_invoice}`), read straight from the
SQLite file before the server starts."""

import sqlite3
from pathlib import Path

LOGINS = {"demo": "demo", "large": "spoldzielnia"}


def dataset_ids(db_path: Path) -> dict:
    ids = {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:

        def one(sql, *params):
            row = db.execute(sql, params).fetchone()
            return row[0] if row else None

        for prefix, username in LOGINS.items():
            customer = one(
                "SELECT a.customer_id FROM customers_customeraccess a "
                "JOIN accounts_user u ON u.id = a.user_id WHERE u.username = ? "
                "ORDER BY a.customer_id LIMIT 1",
                username,
            )
            if customer is None:
                continue
            ids[f"{prefix}_customer"] = customer
            ids[f"{prefix}_invoice"] = one(
                "SELECT id FROM billing_invoice WHERE customer_id = ? AND cancelled_at IS NULL "
                "ORDER BY issue_date DESC, id DESC LIMIT 1",
                customer,
            )
            ids[f"{prefix}_meter"] = one(
                "SELECT id FROM contracts_meter WHERE customer_id = ? AND cancelled_at IS NULL "
                "ORDER BY id LIMIT 1",
                customer,
            )
            ids[f"{prefix}_reading"] = one(
                "SELECT id FROM contracts_reading WHERE meter_id = ? AND cancelled_at IS NULL "
                "ORDER BY read_on DESC LIMIT 1",
                ids[f"{prefix}_meter"],
            )
            ids[f"{prefix}_site"] = one(
                "SELECT id FROM contracts_site WHERE customer_id = ? AND cancelled_at IS NULL "
                "ORDER BY id LIMIT 1",
                customer,
            )
            ids[f"{prefix}_annual_year"] = one(
                "SELECT year FROM insight_annualinformation WHERE customer_id = ? "
                "ORDER BY year DESC LIMIT 1",
                customer,
            )
            ids[f"{prefix}_letter"] = one(
                "SELECT id FROM letters_letter WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                customer,
            )
    return {key: value for key, value in ids.items() if value is not None}


def resolve(path: str, ids: dict) -> str | None:
    """The path with its ids filled in, or None when the dataset lacks one."""
    try:
        return path.format(**ids)
    except KeyError:
        return None
