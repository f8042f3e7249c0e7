"""core/rows.py: a RowReader builds the same instance the ORM would, on every backend."""

from datetime import date
from decimal import Decimal

from ebok.billing.models import AccountSummary
from ebok.billing.summary import get_account_summary
from ebok.core.rows import RowReader
from ebok.customers.models import Customer, CustomerAccess
from ebok.portal.scoping import _chosen_customer
from tests import factories


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _same(read, loaded):
    assert _values(read) == _values(loaded)
    for name, value in _values(read).items():
        assert type(value) is type(_values(loaded)[name]), name
    assert read._state.adding is False and read._state.db == loaded._state.db


def test_the_account_summary_is_the_row_the_orm_reads_with_dates_and_decimals(db):
    customer = factories.make_customer()
    factories.make_invoice(customer, due_date=date(2026, 12, 15))
    get_account_summary(customer, date(2026, 12, 1))
    read = RowReader(AccountSummary, "customer").get(customer.pk)
    _same(read, AccountSummary.objects.get(customer=customer))
    assert isinstance(read.unpaid_total, Decimal) and read.next_due_date == date(2026, 12, 15)


def test_the_user_and_the_customer_are_the_rows_the_orm_reads(db):
    customer = factories.make_customer(name="Wspólnota „Zielona”")
    user = factories.make_user(customers=[customer])
    _same(RowReader(type(user), "id").get(user.pk), type(user).objects.get(pk=user.pk))
    _same(RowReader(Customer, "id").get(customer.pk), Customer.objects.get(pk=customer.pk))
    assert RowReader(Customer, "id").get(customer.pk + 1000) is None


def test_the_chosen_customer_needs_an_access_and_counts_the_users_customers(db):
    mine, also_mine, theirs = (factories.make_customer() for _ in range(3))
    user = factories.make_user(customers=[mine, also_mine])
    chosen = _chosen_customer(mine.pk, user.pk)
    _same(chosen, Customer.objects.get(pk=mine.pk))
    assert chosen.access_count == 2
    assert _chosen_customer(theirs.pk, user.pk) is None
    CustomerAccess.objects.filter(user=user, customer=mine).delete()
    assert _chosen_customer(mine.pk, user.pk) is None
    assert _chosen_customer("1 OR 1=1", user.pk) is None
    assert _chosen_customer(2**70, user.pk) is None
