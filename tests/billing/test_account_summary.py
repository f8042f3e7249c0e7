"""The stored account summary: kept by the import and by ORM writes in the same
transaction, valid until the next due date passes, checked by reconcile_summaries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ebok.billing.models import AccountSummary
from ebok.billing.summary import get_account_summary, reconcile_account_summaries
from ebok.customers.models import Customer
from ebok.integration.importer import import_records
from tests import factories
from tests.integration import records

D = date(2026, 11, 23)


def stored(customer) -> AccountSummary:
    return AccountSummary.objects.get(customer=customer)


def test_an_import_of_invoices_and_payments_stores_the_summary_in_the_same_import(db):
    import_records("customers", [records.customer("C1")])
    import_records(
        "invoices",
        [
            # 984.00 due 14 Nov: overdue by today (1 Dec 2026 or later).
            records.invoice("F1", due_date="2026-11-14"),
            # 984.00, 84.00 paid by billing, due far ahead: unpaid 900.00, not overdue.
            records.invoice("F2", due_date="2099-01-31", paid_amount="84.00"),
        ],
    )
    import_records("payments", [records.payment("P1", amount="84.00")])
    customer = Customer.objects.get(external_id="C1")

    summary = stored(customer)
    assert summary.invoiced_total == Decimal("1968.00")
    assert summary.paid_total == Decimal("84.00")
    assert summary.balance == Decimal("1884.00")
    assert summary.unpaid_count == 2
    assert summary.unpaid_total == Decimal("1884.00")
    assert summary.overdue_count == 1
    assert summary.overdue_total == Decimal("984.00")
    assert summary.next_due_date == date(2099, 1, 31)
    assert (summary.invoice_count, summary.payment_count) == (2, 1)


def test_a_newer_version_cancelling_an_invoice_changes_the_balance_and_the_stamp(db):
    import_records("customers", [records.customer("C1")])
    import_records("invoices", [records.invoice("F1"), records.invoice("F2")])
    customer = Customer.objects.get(external_id="C1")
    before = stored(customer)
    assert before.balance == Decimal("1968.00")

    import_records(
        "invoices", [records.invoice("F2", version=2, cancelled_at="2026-11-30T10:00:00+01:00")]
    )

    after = stored(customer)
    assert after.balance == Decimal("984.00")
    assert after.invoice_count == 1
    assert after.stamp != before.stamp


def test_importing_readings_gives_the_customer_a_new_stamp_and_leaves_the_figures(db):
    import_records("customers", [records.customer("C1"), records.customer("C2")])
    import_records("sites", [records.site("S1", customer="C1")])
    import_records("meters", [records.meter("M1", customer="C1", site="S1")])
    import_records("invoices", [records.invoice("F1", customer="C1")])
    import_records("payments", [records.payment("P1", customer="C2")])
    one, two = Customer.objects.get(external_id="C1"), Customer.objects.get(external_id="C2")
    stamp_one, stamp_two = stored(one).stamp, stored(two).stamp

    import_records("readings", [records.reading("R1", meter="M1")])

    assert stored(one).stamp != stamp_one
    assert stored(one).balance == Decimal("984.00")
    assert stored(two).stamp == stamp_two  # another customer's pages stay cached


def test_a_rolled_back_write_leaves_the_summary_as_it_was(customer):
    factories.make_invoice(customer)
    before = stored(customer)
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_invoice(customer)
        assert stored(customer).invoice_count == 2  # kept inside the transaction
        raise RuntimeError("billing write failed")
    after = stored(customer)
    assert (after.invoice_count, after.stamp) == (1, before.stamp)


def test_a_due_date_passing_makes_the_invoice_overdue_without_any_import(customer):
    factories.make_invoice(customer, issue_date=D, sale_date=D, due_date=D + timedelta(days=2))
    AccountSummary.objects.filter(customer=customer).delete()

    first = get_account_summary(customer, D)
    assert (first.overdue_total, first.next_due_date) == (Decimal("0.00"), D + timedelta(days=2))
    assert first.valid_until == D + timedelta(days=2)

    # On the due date itself the invoice is not overdue yet; the stored row still holds.
    on_due = get_account_summary(customer, D + timedelta(days=2))
    assert on_due.overdue_total == Decimal("0.00")
    assert stored(customer).as_of == D

    # The day after, the row is out of date: recomputed, stored, same stamp.
    late = get_account_summary(customer, D + timedelta(days=3))
    assert late.overdue_total == Decimal("984.00")
    assert late.next_due_date is None
    row = stored(customer)
    assert (row.as_of, row.overdue_total, row.stamp) == (
        D + timedelta(days=3),
        Decimal("984.00"),
        first.stamp,
    )


def test_reading_a_current_summary_is_one_query(customer, django_assert_num_queries):
    factories.make_invoice(customer)
    today = timezone.localdate()
    get_account_summary(customer, today)
    with django_assert_num_queries(1):
        summary = get_account_summary(customer, today)
    assert summary.invoiced_total == Decimal("984.00")


def test_reconcile_dry_run_reports_a_wrong_row_and_leaves_it(customer, other_customer, capsys):
    factories.make_invoice(customer)
    factories.make_payment(other_customer, amount=Decimal("100.00"))
    AccountSummary.objects.filter(customer=customer).update(invoiced_total=Decimal("1.00"))

    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile_summaries", "--dry-run")

    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert f"customer {customer.pk}: invoiced_total stored 1.00 actual 984.00" in out
    assert "1 account summaries differ" in out
    assert stored(customer).invoiced_total == Decimal("1.00")


def test_reconcile_repairs_wrong_and_missing_rows(customer, other_customer, capsys):
    factories.make_invoice(customer)
    AccountSummary.objects.filter(customer=customer).update(unpaid_count=7)
    AccountSummary.objects.filter(customer=other_customer).delete()

    call_command("reconcile_summaries")

    assert "2 account summaries differed and were repaired" in capsys.readouterr().out
    assert stored(customer).unpaid_count == 1
    assert stored(other_customer).balance == 0
    assert reconcile_account_summaries(dry_run=True) == []
    call_command("reconcile_summaries", "--dry-run")
    assert "Every account summary matches" in capsys.readouterr().out


def test_the_summary_agrees_with_the_statement_and_the_back_office(customer):
    from ebok.backoffice.views.customers import balance_for
    from ebok.billing import services

    today = timezone.localdate()
    factories.make_invoice(customer, gross_amount=Decimal("984.00"))
    factories.make_invoice(customer, in_debt_collection=True)
    factories.make_payment(customer, amount=Decimal("0.10"))
    factories.make_payment(customer, amount=Decimal("0.20"))

    summary = services.account_summary(customer, today)
    statement = services.statement(customer, today=today)
    office = balance_for(customer, today)

    assert summary.balance == statement.closing_balance == Decimal("1967.70")
    assert office.outstanding == summary.outstanding_total == Decimal("1968.00")
    assert office.debt_collection == Decimal("984.00")
    assert office.payments_total == Decimal("0.30")  # exact to the grosz, also on SQLite
