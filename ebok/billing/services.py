"""Billing use cases for the portal and the back office: what a customer owes, for what,
and the statement of their account.

Everything here is one or a few aggregate queries whatever the number of invoices, so
list pages keep a constant number of queries.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ebok.billing.models import AccountSummary, Invoice, InvoiceLine, Payment
from ebok.billing.summary import (
    get_account_summaries,
    get_account_summary,
    get_user_account_summaries,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)

# Invoice status filters offered in the invoice history.
STATUS_UNPAID = "unpaid"
STATUS_OVERDUE = "overdue"
STATUS_PAID = "paid"
STATUS_DEBT_COLLECTION = "debt_collection"


def active_invoices(customer) -> QuerySet[Invoice]:
    """Every invoice of the customer that billing has not cancelled."""
    return Invoice.objects.filter(customer=customer, cancelled_at__isnull=True)


def _open() -> Q:
    return Q(paid_amount__lt=F("gross_amount"))


def unpaid_invoices(customer) -> QuerySet[Invoice]:
    """The manual's list: unpaid invoices that are not in debt collection, oldest due first."""
    return (
        active_invoices(customer)
        .filter(_open(), in_debt_collection=False)
        .order_by("due_date", "number")
    )


def latest_readings(customer, today: date, count: int) -> list:
    """The customer's newest readings. Readings come monthly, so the last quarter holds
    them: the query reads a few rows per meter instead of sorting the customer's whole
    history (120 × 600 rows for a large cooperative); older ones only if it has none."""
    from ebok.contracts.models import Reading

    readings = Reading.objects.filter(
        meter__customer=customer, meter__cancelled_at__isnull=True, cancelled_at__isnull=True
    ).select_related("meter")
    recent = list(
        readings.filter(read_on__gte=today - timedelta(days=92)).order_by("-read_on", "-pk")[:count]
    )
    if len(recent) == count:
        return recent
    return list(readings.order_by("-read_on", "-pk")[:count])


def with_status(invoices, today: date) -> list[Invoice]:
    """The invoices with `overdue` and `state`/`state_label` (Invoice.status) set, for
    templates, which cannot pass `today` to a method."""
    invoices = list(invoices)
    for invoice in invoices:
        invoice.overdue = invoice.is_overdue(today)
        invoice.state, invoice.state_label = invoice.status(today)
    return invoices


def invoice_history(
    customer, *, today: date, date_from=None, date_to=None, status=""
) -> QuerySet[Invoice]:
    """All invoices, newest first, filtered by issue date range and status."""
    qs = active_invoices(customer)
    if date_from:
        qs = qs.filter(issue_date__gte=date_from)
    if date_to:
        qs = qs.filter(issue_date__lte=date_to)
    if status == STATUS_UNPAID:
        qs = qs.filter(_open(), in_debt_collection=False)
    elif status == STATUS_OVERDUE:
        qs = qs.filter(_open(), due_date__lt=today)
    elif status == STATUS_PAID:
        qs = qs.filter(paid_amount__gte=F("gross_amount"))
    elif status == STATUS_DEBT_COLLECTION:
        qs = qs.filter(_open(), in_debt_collection=True)
    return qs.order_by("-issue_date", "-number")


def account_summary(customer, today: date) -> AccountSummary:
    """Balance, what is unpaid and overdue, the next due date and counts: the stored
    summary (ebok/billing/summary.py), one query."""
    return get_account_summary(customer, today)


@dataclass(slots=True)
class StatementEntry:
    date: date
    document: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal = ZERO
    due_date: date | None = None
    overdue: bool = False
    invoice_id: int | None = None


@dataclass
class Statement:
    """The account as a statement: opening balance, entries with a running balance, totals."""

    customer: object
    date_from: date | None
    date_to: date | None
    today: date
    opening_balance: Decimal
    entries: list[StatementEntry] = field(default_factory=list)
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    closing_balance: Decimal = ZERO
    overdue_total: Decimal = ZERO


def _sum(qs, field_name) -> Decimal:
    total = qs.aggregate(total=Coalesce(Sum(field_name), Value(ZERO), output_field=MONEY_FIELD))[
        "total"
    ]
    return total.quantize(CENT)


def statement(customer, *, date_from=None, date_to=None, today: date) -> Statement:
    """Invoices debit the account, payments credit it (a correction with a negative
    amount credits it). Entries before `date_from` form the opening balance; the overdue
    total is the account summary's. Four queries with a start date, two without; rows
    are read as tuples, not model objects."""
    invoices = active_invoices(customer)
    payments = Payment.objects.filter(customer=customer, cancelled_at__isnull=True)
    opening = ZERO
    if date_from:
        opening = _sum(invoices.filter(issue_date__lt=date_from), "gross_amount") - _sum(
            payments.filter(paid_on__lt=date_from), "amount"
        )
        invoices = invoices.filter(issue_date__gte=date_from)
        payments = payments.filter(paid_on__gte=date_from)
    if date_to:
        invoices = invoices.filter(issue_date__lte=date_to)
        payments = payments.filter(paid_on__lte=date_to)

    kinds = {value: str(label) for value, label in Invoice.Kind.choices}
    entries = []
    add = entries.append
    for pk, number, kind, issued, due, gross, paid in invoices.order_by().values_list(
        "pk", "number", "kind", "issue_date", "due_date", "gross_amount", "paid_amount"
    ):
        gross = gross.quantize(CENT)
        add(
            StatementEntry(
                issued,
                number,
                kinds.get(kind, kind),
                gross if gross > 0 else ZERO,
                -gross if gross < 0 else ZERO,
                ZERO,
                due,
                paid < gross and due < today,  # Invoice.is_overdue, on a tuple
                pk,
            )
        )
    payment_word, payment_label = _("wpłata"), _("Wpłata")
    for paid_on, amount, title in payments.order_by().values_list("paid_on", "amount", "title"):
        add(
            StatementEntry(
                paid_on, title or payment_label, payment_word, ZERO, amount.quantize(CENT)
            )
        )
    # Same day: the invoice first, then the payment that settles it.
    entries.sort(key=lambda e: (e.date, e.credit > 0, e.document))
    running = opening
    total_debit = total_credit = ZERO
    for entry in entries:
        running += entry.debit - entry.credit
        total_debit += entry.debit
        total_credit += entry.credit
        entry.balance = running
    return Statement(
        customer=customer,
        date_from=date_from,
        date_to=date_to,
        today=today,
        opening_balance=opening,
        entries=entries,
        total_debit=total_debit,
        total_credit=total_credit,
        closing_balance=running,
        overdue_total=get_account_summary(customer, today).overdue_total,
    )


@dataclass
class VatSummaryRow:
    rate: Decimal
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def vat_summary(lines: list[InvoiceLine]) -> list[VatSummaryRow]:
    """Net, VAT and gross per VAT rate, as the invoice's summary table shows them."""
    rows: dict[Decimal, VatSummaryRow] = {}
    for line in lines:
        row = rows.setdefault(line.vat_rate, VatSummaryRow(line.vat_rate, ZERO, ZERO))
        row.net += line.net_amount
        row.vat += line.vat_amount
    return [rows[rate] for rate in sorted(rows, reverse=True)]


def payment_account(invoice) -> str:
    """Where to pay: billing's account for this invoice, else the customer's individual
    account, else the company's account from the company settings."""
    from ebok.core.models import CompanySettings

    return (
        invoice.bank_account or invoice.customer.bank_account or CompanySettings.get().bank_account
    )


def customers_with_balances(customers, today: date, *, user=None) -> list:
    """The customers with their `summary` (balance, overdue): two queries for any number.
    With `user` (whose customers these are), the summaries are read by one statement
    written once."""
    customers = list(customers)
    ids = [c.pk for c in customers]
    if user is not None:
        summaries = get_user_account_summaries(user.pk, ids, today)
    else:
        summaries = get_account_summaries(ids, today)
    for customer in customers:
        customer.summary = summaries[customer.pk]
    return customers
