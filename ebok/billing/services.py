"""Billing use cases for the portal and the back office: what a customer owes, for what,
and the statement of their account.

Everything here is one or a few aggregate queries whatever the number of invoices, so
list pages keep a constant number of queries.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ebok.billing.models import Invoice, InvoiceLine, Payment

ZERO = Decimal("0.00")
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


@dataclass
class AccountSummary:
    """The numbers on the start page and the top of the statement."""

    balance: Decimal  # positive: the customer owes the company
    unpaid_count: int
    unpaid_total: Decimal
    overdue_total: Decimal
    next_due_date: date | None


def account_summary(customer, today: date) -> AccountSummary:
    """Balance, what is unpaid and overdue, and the next due date: three queries."""
    invoices = active_invoices(customer).aggregate(
        gross=Coalesce(Sum("gross_amount"), Value(ZERO), output_field=MONEY_FIELD),
        unpaid_count=Count("pk", filter=_open() & Q(in_debt_collection=False)),
        unpaid_gross=Coalesce(
            Sum("gross_amount", filter=_open() & Q(in_debt_collection=False)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        ),
        unpaid_paid=Coalesce(
            Sum("paid_amount", filter=_open() & Q(in_debt_collection=False)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        ),
        overdue_gross=Coalesce(
            Sum("gross_amount", filter=_open() & Q(due_date__lt=today)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        ),
        overdue_paid=Coalesce(
            Sum("paid_amount", filter=_open() & Q(due_date__lt=today)),
            Value(ZERO),
            output_field=MONEY_FIELD,
        ),
    )
    paid = Payment.objects.filter(customer=customer, cancelled_at__isnull=True).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD)
    )["total"]
    next_due = (
        unpaid_invoices(customer)
        .filter(due_date__gte=today)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    return AccountSummary(
        balance=invoices["gross"] - paid,
        unpaid_count=invoices["unpaid_count"] or 0,
        unpaid_total=invoices["unpaid_gross"] - invoices["unpaid_paid"],
        overdue_total=invoices["overdue_gross"] - invoices["overdue_paid"],
        next_due_date=next_due,
    )


@dataclass
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
    return qs.aggregate(total=Coalesce(Sum(field_name), Value(ZERO), output_field=MONEY_FIELD))[
        "total"
    ]


def statement(customer, *, date_from=None, date_to=None, today: date) -> Statement:
    """Invoices debit the account, payments credit it (a correction with a negative
    amount credits it). Entries before `date_from` form the opening balance. Five queries."""
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

    entries = []
    for inv in invoices.only(
        "pk", "number", "kind", "issue_date", "due_date", "gross_amount", "paid_amount"
    ):
        gross = inv.gross_amount
        entries.append(
            StatementEntry(
                date=inv.issue_date,
                document=inv.number,
                description=str(inv.get_kind_display()),
                debit=gross if gross > 0 else ZERO,
                credit=-gross if gross < 0 else ZERO,
                due_date=inv.due_date,
                overdue=inv.is_overdue(today),
                invoice_id=inv.pk,
            )
        )
    for pay in payments.only("pk", "paid_on", "amount", "title", "external_id"):
        entries.append(
            StatementEntry(
                date=pay.paid_on,
                document=pay.title or _("Wpłata"),
                description=_("wpłata"),
                debit=ZERO,
                credit=pay.amount,
            )
        )
    # Same day: the invoice first, then the payment that settles it.
    entries.sort(key=lambda e: (e.date, e.credit > 0, e.document))
    running = opening
    for entry in entries:
        running += entry.debit - entry.credit
        entry.balance = running
    result = Statement(
        customer=customer,
        date_from=date_from,
        date_to=date_to,
        today=today,
        opening_balance=opening,
        entries=entries,
        total_debit=sum((e.debit for e in entries), ZERO),
        total_credit=sum((e.credit for e in entries), ZERO),
        closing_balance=running,
    )
    overdue = (
        active_invoices(customer)
        .filter(_open(), due_date__lt=today)
        .aggregate(
            gross=Coalesce(Sum("gross_amount"), Value(ZERO), output_field=MONEY_FIELD),
            paid=Coalesce(Sum("paid_amount"), Value(ZERO), output_field=MONEY_FIELD),
        )
    )
    result.overdue_total = overdue["gross"] - overdue["paid"]
    return result


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
    account, else the company's account from the site configuration."""
    from ebok.core.models import SiteConfiguration

    return (
        invoice.bank_account
        or invoice.customer.bank_account
        or SiteConfiguration.get().bank_account
    )


def customers_with_balances(customers: QuerySet, today: date) -> QuerySet:
    """Annotate customers with `balance` and `overdue_total`: one query for any number."""
    active = Invoice.objects.filter(customer=OuterRef("pk"), cancelled_at__isnull=True)

    def total(qs, expr):
        return Coalesce(
            Subquery(
                qs.order_by().values("customer").annotate(total=Sum(expr)).values("total")[:1],
                output_field=MONEY_FIELD,
            ),
            Value(ZERO),
            output_field=MONEY_FIELD,
        )

    paid = Payment.objects.filter(customer=OuterRef("pk"), cancelled_at__isnull=True)
    overdue = active.filter(_open(), due_date__lt=today)
    return customers.annotate(
        invoiced=total(active, "gross_amount"),
        paid_total=total(paid, "amount"),
        overdue_total=total(overdue, F("gross_amount") - F("paid_amount")),
    ).annotate(balance=F("invoiced") - F("paid_total"))
