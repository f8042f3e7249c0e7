from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests import factories


def test_invoice_gross_must_equal_net_plus_vat(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_invoice(customer, gross_amount=Decimal("1.00"))


def test_invoice_due_date_cannot_precede_issue_date(customer):
    from datetime import date

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_invoice(customer, due_date=date(2026, 1, 1))


def test_invoice_number_and_billing_id_are_unique(customer):
    factories.make_invoice(customer, number="FV/1", external_id="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_invoice(customer, number="FV/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_invoice(customer, external_id="X1")


def test_contract_capacity_is_not_negative_and_dates_are_ordered(customer):
    from datetime import date

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_contract(customer, ordered_capacity_mw=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_contract(customer, start_date=date(2022, 1, 1), end_date=date(2021, 1, 1))


def test_payer_code_is_unique(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_customer(payer_code=customer.payer_code)


def test_reading_value_is_not_negative(customer):
    meter = factories.make_meter(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_reading(meter, value=Decimal("-5"))


def test_exact_totals_that_floats_cannot_add_are_accepted_and_a_grosz_off_is_not(customer):
    # 0.10 + 0.20 is not 0.30 in binary floating point, which SQLite uses for decimals.
    from ebok.billing.models import Invoice

    base = {
        "customer": customer,
        "issue_date": "2026-10-01",
        "sale_date": "2026-10-01",
        "due_date": "2026-10-15",
        "net_amount": Decimal("0.10"),
        "vat_amount": Decimal("0.20"),
    }
    Invoice.objects.create(external_id="ok", number="FV/ok", gross_amount=Decimal("0.30"), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            external_id="off", number="FV/off", gross_amount=Decimal("0.31"), **base
        )
