"""What a customer owes: balance, unpaid, overdue and the statement's running balance."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ebok.billing import services
from tests import factories

TODAY = date(2026, 11, 23)


def invoice(customer, number, issued, due, **kw):
    return factories.make_invoice(
        customer, number=number, issue_date=issued, sale_date=issued, due_date=due, **kw
    )


def test_summary_counts_unpaid_overdue_and_the_next_due_date(customer):
    invoice(customer, "A", date(2026, 9, 30), date(2026, 10, 14))  # overdue 984
    invoice(
        customer, "B", date(2026, 10, 31), date(2026, 11, 30), paid_amount=Decimal("84.00")
    )  # 900 left
    invoice(
        customer, "C", date(2026, 8, 31), date(2026, 9, 14), paid_amount=Decimal("984.00")
    )  # paid
    invoice(
        customer, "D", date(2026, 7, 31), date(2026, 8, 14), in_debt_collection=True
    )  # debt 984
    invoice(customer, "E", date(2026, 6, 30), date(2026, 7, 14), cancelled_at=timezone.now())
    factories.make_payment(customer, amount=Decimal("1068.00"), paid_on=date(2026, 11, 1))

    s = services.account_summary(customer, TODAY)

    assert s.unpaid_count == 2  # debt collection is not on the manual's list
    assert s.unpaid_total == Decimal("1884.00")
    assert s.overdue_total == Decimal("1968.00")  # A and the debt-collection invoice
    assert s.next_due_date == date(2026, 11, 30)
    assert s.balance == Decimal("984.00") * 4 - Decimal("1068.00")


def test_statement_runs_the_balance_from_an_opening_balance(customer):
    invoice(customer, "OLD", date(2025, 12, 31), date(2026, 1, 14), paid_amount=Decimal("984.00"))
    invoice(customer, "NEW", date(2026, 10, 31), date(2026, 11, 14))
    factories.make_payment(
        customer, amount=Decimal("984.00"), paid_on=date(2026, 1, 10), title="za OLD"
    )
    factories.make_payment(
        customer, amount=Decimal("500.00"), paid_on=date(2026, 10, 31), title="część NEW"
    )

    st = services.statement(customer, date_from=date(2026, 6, 1), today=TODAY)

    assert st.opening_balance == Decimal("0.00")
    assert [e.document for e in st.entries] == [
        "NEW",
        "część NEW",
    ]  # invoice before payment on the same day
    assert [e.balance for e in st.entries] == [Decimal("984.00"), Decimal("484.00")]
    assert st.total_debit == Decimal("984.00") and st.total_credit == Decimal("500.00")
    assert st.closing_balance == Decimal("484.00")
    # Overdue follows what billing applied to each invoice (paid_amount): NEW is past due.
    assert st.overdue_total == Decimal("984.00")
    assert st.entries[0].overdue is True


def test_a_negative_correction_credits_the_account(customer):
    original = invoice(customer, "FV", date(2026, 9, 30), date(2026, 10, 14))
    lines = [
        {
            "component": "heat",
            "description": "Korekta",
            "quantity": Decimal("-1"),
            "unit": "GJ",
            "unit_price": Decimal("80.0000"),
            "vat_rate": Decimal("23.00"),
        }
    ]
    invoice(
        customer,
        "FK",
        date(2026, 10, 5),
        date(2026, 10, 19),
        kind="correction",
        corrected_invoice=original,
        lines=lines,
    )

    st = services.statement(customer, today=TODAY)

    correction = st.entries[1]
    assert correction.credit == Decimal("98.40") and correction.debit == 0
    assert st.closing_balance == Decimal("885.60")


def test_property_manager_balances_in_two_queries_whatever_the_number_of_customers(
    customer, other_customer, django_assert_num_queries
):
    from ebok.billing.summary import rebuild_account_summaries
    from ebok.customers.models import Customer

    today = timezone.localdate()
    invoice(customer, "A", today - timedelta(days=40), today - timedelta(days=26))  # 984
    factories.make_payment(customer, amount=Decimal("84.00"))
    rebuild_account_summaries(today)
    # The customers, then their stored summaries.
    with django_assert_num_queries(2):
        rows = {c.pk: c for c in services.customers_with_balances(Customer.objects.all(), today)}
    assert rows[customer.pk].summary.balance == Decimal("900.00")
    assert rows[customer.pk].summary.overdue_total == Decimal("984.00")
    assert rows[other_customer.pk].summary.balance == 0
