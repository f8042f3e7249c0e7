"""Small builders for test data. Every builder takes overrides as keyword arguments."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group

from ebok.accounts.models import User
from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.customers.models import Customer, CustomerAccess

_seq = itertools.count(1)
PASSWORD = "Ciepło-2026-test"


def n() -> int:
    return next(_seq)


def make_customer(**kw) -> Customer:
    i = n()
    defaults = {
        "external_id": f"C{i}",
        "payer_code": f"{100000 + i}",
        "name": f"Wspólnota Mieszkaniowa ul. Testowa {i}",
        "kind": Customer.Kind.HOUSING_COMMUNITY,
        "nip": "5260250995",
        "street": f"ul. Testowa {i}",
        "postal_code": "85-001",
        "city": "Bydgoszcz",
        "email": f"wspolnota{i}@example.com",
    }
    defaults.update(kw)
    return Customer.objects.create(**defaults)


def make_user(customers=(), **kw) -> User:
    i = n()
    password = kw.pop("password", PASSWORD)
    defaults = {"username": f"user{i}", "email": f"user{i}@example.com"}
    defaults.update(kw)
    user = User.objects.create_user(password=password, **defaults)
    for customer in customers:
        CustomerAccess.objects.create(user=user, customer=customer)
    return user


def make_operator(role="Operator", **kw) -> User:
    user = make_user(**kw)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_site(customer, **kw) -> Site:
    i = n()
    defaults = {
        "external_id": f"S{i}",
        "customer": customer,
        "code": f"W-{i:04d}",
        "street": f"ul. Ciepła {i}",
        "postal_code": "85-002",
        "city": "Bydgoszcz",
    }
    defaults.update(kw)
    return Site.objects.create(**defaults)


def make_contract(customer, site=None, **kw) -> Contract:
    i = n()
    defaults = {
        "external_id": f"K{i}",
        "customer": customer,
        "site": site or make_site(customer),
        "number": f"UM/{i:05d}/2020",
        "start_date": date(2020, 1, 1),
        "tariff_group": "A1",
        "ordered_capacity_mw": Decimal("0.2500"),
    }
    defaults.update(kw)
    return Contract.objects.create(**defaults)


def make_meter(customer, site=None, **kw) -> Meter:
    i = n()
    site = site or make_site(customer)
    defaults = {
        "external_id": f"M{i}",
        "customer": customer,
        "site": site,
        "serial_number": f"6521{i:04d}",
        "meter_type": "Kamstrup MULTICAL 603",
        "installed_on": date(2019, 6, 1),
        "legalisation_valid_until": date(2029, 6, 1),
    }
    defaults.update(kw)
    return Meter.objects.create(**defaults)


def make_reading(meter, **kw) -> Reading:
    i = n()
    defaults = {
        "external_id": f"R{i}",
        "meter": meter,
        "read_on": date(2026, 10, 31),
        "value": Decimal("1234.500"),
        "consumption": Decimal("45.250"),
        "source": Reading.Source.REMOTE,
    }
    defaults.update(kw)
    return Reading.objects.create(**defaults)


def make_invoice(customer, lines=None, **kw) -> Invoice:
    """An invoice whose totals are the sum of its lines (default: one heat line)."""
    i = n()
    lines = lines or [
        {
            "component": InvoiceLine.Component.HEAT,
            "description": "Opłata za ciepło",
            "quantity": Decimal("10.0000"),
            "unit": "GJ",
            "unit_price": Decimal("80.0000"),
            "vat_rate": Decimal("23.00"),
        }
    ]
    built = []
    for line in lines:
        net = (line["quantity"] * line["unit_price"]).quantize(Decimal("0.01"))
        vat = (net * line["vat_rate"] / 100).quantize(Decimal("0.01"))
        built.append({**line, "net_amount": net, "vat_amount": vat})
    net = sum(line["net_amount"] for line in built)
    vat = sum(line["vat_amount"] for line in built)
    defaults = {
        "external_id": f"F{i}",
        "customer": customer,
        "number": f"FV/2026/10/{i:05d}",
        "issue_date": date(2026, 10, 31),
        "sale_date": date(2026, 10, 31),
        "due_date": date(2026, 11, 14),
        "net_amount": net,
        "vat_amount": vat,
        "gross_amount": net + vat,
    }
    defaults.update(kw)
    invoice = Invoice.objects.create(**defaults)
    for pos, line in enumerate(built, start=1):
        InvoiceLine.objects.create(invoice=invoice, position=pos, **line)
    return invoice


def make_payment(customer, **kw) -> Payment:
    i = n()
    defaults = {
        "external_id": f"P{i}",
        "customer": customer,
        "paid_on": date(2026, 11, 5),
        "amount": Decimal("100.00"),
        "title": "Wpłata",
    }
    defaults.update(kw)
    return Payment.objects.create(**defaults)
