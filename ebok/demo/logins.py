"""The demo logins and their password (no Django imports: the bench harness reads them)."""

from dataclasses import dataclass

# One password for every demo login; it passes the password policy (12+ characters,
# a letter and a digit, not like the login or e-mail).
DEMO_PASSWORD = "Kaloryfer-2026"  # noqa: S105 - documented demo credential


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    shows: str


DEMO_LOGINS = [
    DemoLogin(
        "demo",
        DEMO_PASSWORD,
        "customer: one housing community, unpaid and overdue invoices, 4 meters",
    ),
    DemoLogin(
        "zarzadca", DEMO_PASSWORD, "property manager: 5 housing communities, switch between them"
    ),
    DemoLogin("operator", DEMO_PASSWORD, "back office (/obsluga/), group Operator"),
    DemoLogin(
        "admin", DEMO_PASSWORD, "back office (/obsluga/), group Administrator (not a superuser)"
    ),
]

# Created only by `seed_demo --large-customer` (the benchmark's dataset): the housing
# cooperative with 300 buildings, 600 meters and ten years of monthly history.
LARGE_CUSTOMER_LOGIN = DemoLogin(
    "spoldzielnia",
    DEMO_PASSWORD,
    "customer: a housing cooperative with 300 buildings, 600 meters, 10 years of history",
)
