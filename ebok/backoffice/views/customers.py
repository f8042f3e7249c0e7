"""Customer search and the customer view of the back office.

Everything billing holds about a customer, for operators with
`accounts.view_customer_data`. Every look at personal data is audit-logged.
"""

import hashlib
import operator
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache, reduce

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ebok.accounts.models import User
from ebok.backoffice.permissions import operator_required
from ebok.billing.models import AccountSummary, Invoice, Payment
from ebok.billing.summary import get_account_summary
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.core import jinja
from ebok.core import rows as sqlrows
from ebok.core.audit import log_action
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import fragment_key
from ebok.core.pages import render_page
from ebok.core.paging import page_of, query_without_page
from ebok.core.rows import key_or_404
from ebok.customers.models import Customer, CustomerAccess

PERMISSION = "accounts.view_customer_data"
SEARCH_PAGE_SIZE = 25
READINGS_PAGE_SIZE = 25
# The customer page shows the newest invoices and payments; "show all" lists every one.
LATEST_LIMIT = 12

_NIP_LIKE = re.compile(r"^[\d\s-]+$")


def search_customers(query: str):
    """Customers matching one query box: payer code, name, NIP, meter serial, invoice number.

    One query (a subquery per related table, no joins that multiply rows).
    """
    customers = Customer.objects.all()
    query = query.strip()
    if not query:
        return customers.order_by("name", "pk")
    # SQLite's LIKE ignores the case of ASCII letters only: also try the usual spellings
    # of Polish letters ("ŁÓDZKA", "łódzka", "Łódzka"). PostgreSQL needs just the first.
    name_variants = {query, query.lower(), query.upper(), query.title()}
    condition = (
        Q(payer_code__iexact=query)
        | reduce(operator.or_, (Q(name__icontains=v) for v in sorted(name_variants)))
        | Q(pk__in=Meter.objects.filter(serial_number__iexact=query).values("customer_id"))
        | Q(pk__in=Invoice.objects.filter(number__iexact=query).values("customer_id"))
    )
    if _NIP_LIKE.match(query):
        digits = re.sub(r"\D", "", query)
        if digits:
            condition |= Q(payer_code__startswith=digits)
        if len(digits) >= 3:
            condition |= Q(nip__startswith=digits)
    return customers.filter(condition).order_by("name", "pk")


@operator_required(PERMISSION)
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    page = page_of(request, search_customers(query), SEARCH_PAGE_SIZE)
    if query:
        # Searching shows names and national numbers: that is access to personal data.
        log_action("backoffice.customer.searched", request=request, data={"q": query})
    return render(
        request,
        "backoffice/customers/search.html",
        {
            "query": query,
            "page": page,
            "paginator": page.paginator,
            "page_query": query_without_page(request),
        },
    )


@dataclass
class Balance:
    """The back office's names for the account summary's figures."""

    invoiced: Decimal
    outstanding: Decimal
    overdue: Decimal
    debt_collection: Decimal
    payments_total: Decimal


def balance_for(customer: Customer, today, summary=None) -> Balance:
    """From the stored account summary, the same numbers the customer sees."""
    summary = summary or get_account_summary(customer, today)
    return Balance(
        invoiced=summary.invoiced_total,
        outstanding=summary.outstanding_total,
        overdue=summary.overdue_total,
        debt_collection=summary.debt_collection_total,
        payments_total=summary.paid_total,
    )


def meters_with_latest_reading(customer: Customer):
    latest = Reading.objects.filter(meter=OuterRef("pk"), cancelled_at__isnull=True).order_by(
        "-read_on", "-pk"
    )
    return (
        Meter.objects.filter(customer=customer)
        .select_related("site")
        .annotate(
            latest_read_on=Subquery(latest.values("read_on")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_consumption=Subquery(latest.values("consumption")[:1]),
        )
        .order_by("removed_on", "serial_number")
    )


@dataclass
class Shortlist:
    """The first rows of a list, and whether there are more (no count query)."""

    rows: list
    more: bool

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _first_or_all(request, param: str, queryset) -> Shortlist:
    if request.GET.get(param) == "wszystkie":
        return Shortlist(list(queryset), False)
    rows = list(queryset[: LATEST_LIMIT + 1])
    return Shortlist(rows[:LATEST_LIMIT], len(rows) > LATEST_LIMIT)


# The columns of the customer page's invoice, meter and user tables, and what
# Invoice.status reads.
INVOICE_ROW_FIELDS = (
    "number",
    "kind",
    "issue_date",
    "due_date",
    "gross_amount",
    "paid_amount",
    "cancelled_at",
    "in_debt_collection",
)
METER_ROW_FIELDS = (
    "serial_number",
    "removed_on",
    "meter_type",
    "location",
    "unit",
    "legalisation_valid_until",
    "site__code",
)


def _invoice_kinds() -> dict:
    return {kind: str(label) for kind, label in Invoice._meta.get_field("kind").flatchoices}


# The query parameters that ask for a whole list instead of its first LATEST_LIMIT rows.
SHOW_ALL_PARAMS = ("obiekty", "umowy", "liczniki", "faktury", "wplaty")


def billing_lists(request, customer: Customer, today) -> dict:
    """The lists of the customer page's billing sections: sites, contracts, meters,
    invoices and payments, each the first LATEST_LIMIT rows unless asked for all."""
    # The rows read only the columns their tables show (jinja/backoffice/customer_*_rows.html):
    # building and converting a model's every column cost more than the query itself. A
    # column added to a table must be added here too, or each row loads it by a query.
    invoices = _first_or_all(
        request,
        "faktury",
        Invoice.objects.filter(customer=customer)
        .order_by("-issue_date", "-number")
        .only(*INVOICE_ROW_FIELDS),
    )
    kinds = _invoice_kinds()
    for invoice in invoices:
        invoice.status_key, invoice.status_label = invoice.status(today)
        # get_kind_display() rebuilds the dict of choices for every invoice.
        invoice.kind_label = kinds.get(invoice.kind, invoice.kind)
    payments = _first_or_all(
        request,
        "wplaty",
        Payment.objects.filter(customer=customer)
        .select_related("invoice")
        .only("paid_on", "cancelled_at", "amount", "title", "invoice__number"),
    )
    return {
        # A cooperative has hundreds of each: the first LATEST_LIMIT unless asked for all.
        "sites": _first_or_all(
            request, "obiekty", Site.objects.filter(customer=customer).order_by("code")
        ),
        "contracts": _first_or_all(
            request, "umowy", Contract.objects.filter(customer=customer).select_related("site")
        ),
        "meters": _first_or_all(
            request, "liczniki", meters_with_latest_reading(customer).only(*METER_ROW_FIELDS)
        ),
        "invoices": invoices,
        "payments": payments,
    }


@dataclass(frozen=True)
class UserWithAccess:
    """A row of the customer page's users table."""

    username: str
    full_name: str
    email: str
    is_active: bool
    must_change_password: bool
    last_login: datetime | None
    granted_at: datetime


# The columns of the users table (jinja/backoffice/customer_user_rows.html).
USER_ROW_FIELDS = ("username", "first_name", "last_name", "email", "is_active")
USER_ROW_FIELDS += ("must_change_password", "last_login")


@lru_cache(maxsize=16)
def _customer_page_query(ops) -> tuple[str, list, int, int]:
    """One statement for what the customer page reads on every view: the customer, their
    account summary and the users with access (one row per user, or one row with empty
    user columns), in place of three ORM queries built on every request. Returns the SQL,
    the columns (ebok/core/rows.py), and where the summary's and the access's
    columns start. Built once per database connection (`ops`, its operations)."""
    qn = ops.quote_name
    customer = sqlrows.columns(Customer, "c")
    summary = sqlrows.columns(AccountSummary, "s")
    access = sqlrows.columns(CustomerAccess, "a", ["granted_at"])
    access += sqlrows.columns(User, "u", USER_ROW_FIELDS)
    columns = customer + summary + access
    summary_fk = AccountSummary._meta.get_field("customer").column
    access_customer = CustomerAccess._meta.get_field("customer").column
    access_user = CustomerAccess._meta.get_field("user").column
    # Model tables and columns only; the customer's id is a parameter.
    sql = (
        f"SELECT {sqlrows.select_list(columns)} FROM {qn(Customer._meta.db_table)} c"  # noqa: S608
        f" LEFT JOIN {qn(AccountSummary._meta.db_table)} s ON s.{qn(summary_fk)} = c.{qn('id')}"
        f" LEFT JOIN {qn(CustomerAccess._meta.db_table)} a"
        f" ON a.{qn(access_customer)} = c.{qn('id')}"
        f" LEFT JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = a.{qn(access_user)}"
        f" WHERE c.{qn('id')} = %s ORDER BY u.{qn('username')}"
    )
    return sql, columns, len(customer), len(customer) + len(summary)


def customer_page_data(pk: int, today):
    """(customer, account summary, users with access, digest), or Http404. The summary is
    read again (and recomputed) through get_account_summary when it is missing or out of
    date. `digest` sums up every value read (the customer's, the summary's, the users'),
    or is None when the summary was recomputed."""
    sql, columns, summary_at, access_at = _customer_page_query(connection.ops)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_or_404(pk)])
        found = cursor.fetchall()
    if not found:
        raise Http404
    first = sqlrows.converted(found[0][:access_at], columns[:access_at])
    customer = Customer.from_db(
        connection.alias, [col.field.attname for col in columns[:summary_at]], first[:summary_at]
    )
    if first[summary_at] is None:  # no stored summary yet (its key is the customer's id)
        summary = None
    else:
        summary = AccountSummary.from_db(
            connection.alias,
            [col.field.attname for col in columns[summary_at:access_at]],
            first[summary_at:access_at],
        )
    digest = hashlib.sha256(repr(found).encode()).hexdigest()[:32]
    if summary is None or not summary.is_current(today):
        summary, digest = get_account_summary(customer, today), None
    accesses = []
    for row in found:
        if row[access_at] is None:  # the customer has no users
            continue
        granted_at, username, first_name, last_name, email, active, must_change, last_login = (
            sqlrows.converted(row[access_at:], columns[access_at:])
        )
        accesses.append(
            UserWithAccess(
                username=username,
                # User.get_full_name()
                full_name=f"{first_name} {last_name}".strip(),
                email=email,
                is_active=active,
                must_change_password=must_change,
                last_login=last_login,
                granted_at=granted_at,
            )
        )
    return customer, summary, accesses, digest


def cached_fragments(customer_id: int, stamp: str, wanted: list[tuple]) -> list[SafeString]:
    """cached_fragment (ebok/core/fragments.py) for several fragments of one page, read
    from the cache by one query: `wanted` holds (name, parts, render, store); a fragment
    not to be stored (store false) is rendered."""
    keys = {
        i: fragment_key(name, customer_id, stamp, *parts)
        for i, (name, parts, _r, store) in enumerate(wanted)
        if store
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    result, missing = [], {}
    for i, (_name, _parts, draw, _store) in enumerate(wanted):
        html = found.get(keys[i]) if i in keys else None
        if html is None:
            html = str(draw())
            if i in keys:
                missing[keys[i]] = html
        result.append(mark_safe(html))  # noqa: S308 - Jinja2 output, autoescaped
    if missing:
        cache.set_many(missing, FRAGMENT_TIMEOUT)
    return result


@operator_required(PERMISSION)
def detail(request, pk):
    today = timezone.localdate()
    # The balance is the stored account summary. "Show all" has no number: counting a
    # cooperative's tens of thousands of invoices and payments on every view costs too
    # much, and the summary's counts leave out the cancelled rows the lists show (decision
    # 102). The users with access and their last logins change without any billing change:
    # read on every view, like the customer's own data.
    customer, summary, accesses, digest = customer_page_data(pk, today)
    balance = balance_for(customer, today, summary)
    lists = {}

    def render_data():
        data = {"customer": customer, "balance": balance, "accesses": accesses}
        return jinja.render("backoffice/customer_data.html", data)

    def render_sections():
        lists.update(billing_lists(request, customer, today))
        return jinja.render("backoffice/customer_sections.html", lists)

    show_all = any(request.GET.get(param) == "wszystkie" for param in SHOW_ALL_PARAMS)
    # Both parts are cached per customer, billing stamp (new at every import of their
    # invoices, payments, sites, contracts, meters or readings), day and language
    # (ebok/core/fragments.py). The heading, balance, data and users: also per digest of
    # every value they show, read on every view (not cached when the summary had to be
    # recomputed). The sites, contracts, meters, invoices and payments: rendered, not
    # stored, when a whole list is asked for ("show all": a cooperative's runs to
    # megabytes and is rarely asked for).
    data, sections = cached_fragments(
        customer.pk,
        summary.stamp,
        [
            ("backoffice-customer-data", (today, digest), render_data, digest is not None),
            ("backoffice-customer", (today,), render_sections, not show_all),
        ],
    )
    context = {
        "customer": customer,
        "balance": balance,
        "accesses": accesses,
        "data": data,
        "sections": sections,
        # The lists when they were read for this view (not when the sections came from
        # the cache).
        **lists,
    }
    log_action("backoffice.customer.viewed", request=request, obj=customer)
    return render_page(request, "backoffice/customer_page.html", context, kind="backoffice")


@operator_required(PERMISSION)
def meter(request, pk):
    meter = get_object_or_404(Meter.objects.select_related("customer", "site", "contract"), pk=pk)
    readings = Reading.objects.filter(meter=meter).order_by("-read_on", "-pk")
    page = page_of(request, readings, READINGS_PAGE_SIZE)
    log_action(
        "backoffice.customer.viewed",
        request=request,
        obj=meter.customer,
        data={"meter": meter.serial_number},
    )
    return render(
        request,
        "backoffice/customers/meter.html",
        {
            "meter": meter,
            "customer": meter.customer,
            "page": page,
            "page_query": query_without_page(request),
        },
    )
