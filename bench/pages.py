"""The pages `make bench` measures. Add a page here to have it measured.

`user` is the demo login the page is requested as (see docs/demo.md), or None for an
anonymous request. The floor is the framework's lower bound: a ~2 kB template with 20
rows from the database (routed only when EBOK_BENCH is set); every other page is
reported as a multiple of it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None = "demo"


FLOOR = Page("framework floor", "/bench/floor/", user=None)

PAGES = [
    FLOOR,
    Page("start page", "/"),
    # A property manager's start page lists all five of their customers with balances.
    Page("start page (manager)", "/", user="zarzadca"),
    Page("customer data", "/kontrahent/"),
    # Self-service (issue 4). Meter 1 is the demo customer's first meter: with
    # `--months 120` it has ten years of monthly readings.
    Page("unpaid invoices", "/faktury/"),
    Page("invoice history", "/faktury/historia/"),
    Page("balance statement", "/faktury/saldo/"),
    Page("contracts and meters", "/umowy/"),
    Page("meter with readings", "/liczniki/1/"),
]
