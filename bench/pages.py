"""The pages `make bench` measures. Add a page here to have it measured.

`user` is the demo login the page is requested as (see docs/demo.md), or None for an
anonymous request. A path may name ids of the dataset in braces (`{demo_invoice}`),
looked up in the bench database before the run (bench/resolve.py); a page whose id the
dataset does not have is skipped and reported as such.

Two floors are measured in the same run, and every page is reported as a ratio to both:
the anonymous framework floor (one query, a ~2 kB template, 20 rows) and the logged-in
chrome floor (an empty page in the portal's full layout behind the same login).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None = "demo"


FLOOR = Page("framework floor", "/bench/floor/", user=None)
CHROME = Page("chrome floor", "/bench/chrome/")

# The large customer: a housing cooperative with 300 buildings, 600 meters and ten years
# of monthly history (`seed_demo --large-customer`, login `spoldzielnia`).
LARGE = "spoldzielnia"

PAGES = [
    FLOOR,
    CHROME,
    Page("start page", "/"),
    # A property manager's start page lists all five of their customers with balances.
    Page("start page (manager)", "/", user="zarzadca"),
    Page("customer data", "/kontrahent/"),
    Page("unpaid invoices", "/faktury/"),
    Page("invoice history", "/faktury/historia/"),
    Page("balance statement", "/faktury/saldo/"),
    Page("one invoice", "/faktury/{demo_invoice}/"),
    Page("contracts and meters", "/umowy/"),
    Page("meter with readings", "/liczniki/{demo_meter}/"),
    Page("one reading", "/odczyty/{demo_reading}/"),
    Page("letters register", "/pisma/"),
    Page("one letter", "/pisma/{demo_letter}/"),
    Page("online requests", "/wnioski/"),
    Page("interruptions at my sites", "/przerwy/moje/"),
    # Forms: a data-change request, an online request, the notification settings.
    Page("data-change form", "/kontrahent/zmiana-danych/"),
    Page("online request form", "/wnioski/nowy/zmiana-mocy/"),
    Page("notification settings", "/powiadomienia/"),
    Page("heat insight", "/analiza/"),
    Page("heat insight: one site", "/analiza/obiekty/{demo_site}/"),
    Page("annual information letter", "/informacja-roczna/{demo_annual_year}/"),
    Page("interruptions (public)", "/przerwy/", user=None),
    Page("chrome floor (large)", "/bench/chrome/", user=LARGE),
    Page("start page (large)", "/", user=LARGE),
    Page("unpaid invoices (large)", "/faktury/", user=LARGE),
    Page("invoice history (large)", "/faktury/historia/", user=LARGE),
    Page("balance statement (large)", "/faktury/saldo/", user=LARGE),
    Page("one invoice (large)", "/faktury/{large_invoice}/", user=LARGE),
    Page("contracts and meters (large)", "/umowy/", user=LARGE),
    Page("meter with readings (large)", "/liczniki/{large_meter}/", user=LARGE),
    Page("heat insight (large)", "/analiza/", user=LARGE),
    Page("heat insight: one site (large)", "/analiza/obiekty/{large_site}/", user=LARGE),
    Page("back office: customer (large)", "/obsluga/kontrahenci/{large_customer}/", "operator"),
    Page("back office: customer", "/obsluga/kontrahenci/{demo_customer}/", user="operator"),
    Page("back office: letters inbox", "/obsluga/pisma/", user="operator"),
]

# Logins that pass the operator's second factor with the demo TOTP secret (the same as
# ebok.accounts.demo.DEMO_TOTP_SECRET, which needs Django; a test keeps them equal).
OPERATORS = {"operator"}
DEMO_TOTP_SECRET = "EBOKDEMOEBOKDEMOEBOKDEMOEBOKDEMO"  # noqa: S105 - public demo secret
