"""The customers' personal feed (/api/v1/my/): read-only JSON of the readings, invoices
and degree days a user may see in the portal, for home-automation and
property-management software.

Authenticated by a personal access token (`Authorization: Bearer ebokp_…`, never in the
URL), rate-limited per token through the shared cache, and scoped at every request to
the customers the token's owner acts for now.
"""

from datetime import date, timedelta
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field

from ebok.accounts.models import PersonalAccessToken
from ebok.billing.models import Invoice
from ebok.contracts.models import Meter, Reading, Site
from ebok.core import ratelimit
from ebok.customers.models import Customer

RATE_WINDOW = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class PersonalTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith(PersonalAccessToken.PREFIX):
            return None
        found = (
            PersonalAccessToken.objects.active()
            .select_related("user")
            .filter(token_hash=PersonalAccessToken.digest(token))
            .first()
        )
        if found is None:
            return None
        verdict = ratelimit.hit(
            "personal-token",
            str(found.pk),
            limit=settings.EBOK_PERSONAL_TOKEN_RATE_PER_MINUTE,
            window=RATE_WINDOW,
        )
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after)
        now = timezone.now()
        # One write a minute at most: a polling client does not rewrite the row each call.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            PersonalAccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.personal_token = found
        return found


personal_auth = PersonalTokenAuth()

router = Router(auth=personal_auth, tags=["personal feed"])


def install(api) -> None:
    """Register the feed and its 429 answer on the API."""

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        response = api.create_response(
            request,
            {"detail": "Too many requests with this token; try again later."},
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    api.add_router("/my", router)


def _private(response: HttpResponse) -> None:
    # Personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"


def _customers(request):
    return Customer.objects.filter(accesses__user=request.personal_token.user)


class Error(Schema):
    detail: str


class SiteOut(Schema):
    code: str
    name: str
    street: str
    postal_code: str
    city: str


class MeterOut(Schema):
    id: int
    serial_number: str
    site_code: str
    unit: str
    location: str
    legalisation_valid_until: date | None


class CustomerOut(Schema):
    payer_code: str
    name: str
    sites: list[SiteOut]
    meters: list[MeterOut]


class PageQuery(Schema):
    customer: str | None = Field(
        None, max_length=20, description="A payer code; all your customers when omitted"
    )
    date_from: date | None = None
    date_to: date | None = None
    cursor: int = Field(0, ge=0, le=2**62, description="`next_cursor` of the previous page")
    limit: int = Field(500, ge=1, le=1000)


class ReadingOut(Schema):
    id: int
    customer: str = Field(description="payer code")
    site_code: str
    meter_serial_number: str
    read_on: date
    value: str
    consumption: str
    unit: str
    source: str


class ReadingPage(Schema):
    items: list[ReadingOut]
    next_cursor: int
    has_more: bool


class InvoiceOut(Schema):
    id: int
    customer: str = Field(description="payer code")
    number: str
    kind: str
    issue_date: date
    sale_date: date
    due_date: date
    period_start: date | None
    period_end: date | None
    net_amount: str
    vat_amount: str
    gross_amount: str
    paid_amount: str
    remaining_amount: str
    ksef_number: str


class InvoicePage(Schema):
    items: list[InvoiceOut]
    next_cursor: int
    has_more: bool


def _scope_customer(request, query: PageQuery):
    customers = _customers(request)
    if query.customer is None:
        return customers
    customers = customers.filter(payer_code=query.customer)
    if not customers.exists():
        raise HttpError(404, "No such customer among yours.")
    return customers


def _page(rows, limit):
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if rows else 0), has_more


@router.get(
    "/customers",
    response=list[CustomerOut],
    summary="Your customers with their sites and meters",
)
def my_customers(request, response: HttpResponse):
    _private(response)
    customers = list(_customers(request).order_by("payer_code"))
    ids = [c.pk for c in customers]
    sites: dict[int, list] = {}
    for site in Site.objects.filter(customer_id__in=ids, cancelled_at__isnull=True).order_by(
        "code"
    ):
        sites.setdefault(site.customer_id, []).append(site)
    meters: dict[int, list] = {}
    for meter in (
        Meter.objects.filter(customer_id__in=ids, cancelled_at__isnull=True)
        .select_related("site")
        .order_by("serial_number")
    ):
        meters.setdefault(meter.customer_id, []).append(meter)
    return [
        {
            "payer_code": c.payer_code,
            "name": c.name,
            "sites": [
                {
                    "code": s.code,
                    "name": s.name,
                    "street": s.street,
                    "postal_code": s.postal_code,
                    "city": s.city,
                }
                for s in sites.get(c.pk, [])
            ],
            "meters": [
                {
                    "id": m.pk,
                    "serial_number": m.serial_number,
                    "site_code": m.site.code,
                    "unit": m.unit,
                    "location": m.location,
                    "legalisation_valid_until": m.legalisation_valid_until,
                }
                for m in meters.get(c.pk, [])
            ],
        }
        for c in customers
    ]


@router.get(
    "/readings",
    response={200: ReadingPage, 404: Error},
    summary="Meter readings of your customers, oldest id first",
    description=(
        "Pages by `id`: pass the `next_cursor` of a page as `cursor` to get the next one; "
        "a client that stores the last cursor gets only new readings next time."
    ),
)
def my_readings(request, query: Query[PageQuery], response: HttpResponse):
    _private(response)
    customers = _scope_customer(request, query)
    qs = Reading.objects.filter(
        meter__customer__in=customers,
        cancelled_at__isnull=True,
        meter__cancelled_at__isnull=True,
        pk__gt=query.cursor,
    ).select_related("meter__customer", "meter__site")
    if query.date_from:
        qs = qs.filter(read_on__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(read_on__lte=query.date_to)
    rows, cursor, has_more = _page(list(qs.order_by("pk")[: query.limit + 1]), query.limit)
    return {
        "items": [
            {
                "id": r.pk,
                "customer": r.meter.customer.payer_code,
                "site_code": r.meter.site.code,
                "meter_serial_number": r.meter.serial_number,
                "read_on": r.read_on,
                "value": str(r.value),
                "consumption": str(r.consumption),
                "unit": r.meter.unit,
                "source": r.source,
            }
            for r in rows
        ],
        "next_cursor": cursor or query.cursor,
        "has_more": has_more,
    }


@router.get(
    "/invoices",
    response={200: InvoicePage, 404: Error},
    summary="Invoices of your customers, oldest id first",
    description="Dates filter the issue date. Paging as for readings.",
)
def my_invoices(request, query: Query[PageQuery], response: HttpResponse):
    _private(response)
    customers = _scope_customer(request, query)
    qs = Invoice.objects.filter(
        customer__in=customers, cancelled_at__isnull=True, pk__gt=query.cursor
    ).select_related("customer")
    if query.date_from:
        qs = qs.filter(issue_date__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(issue_date__lte=query.date_to)
    rows, cursor, has_more = _page(list(qs.order_by("pk")[: query.limit + 1]), query.limit)
    return {
        "items": [
            {
                "id": i.pk,
                "customer": i.customer.payer_code,
                "number": i.number,
                "kind": i.kind,
                "issue_date": i.issue_date,
                "sale_date": i.sale_date,
                "due_date": i.due_date,
                "period_start": i.period_start,
                "period_end": i.period_end,
                "net_amount": str(i.net_amount),
                "vat_amount": str(i.vat_amount),
                "gross_amount": str(i.gross_amount),
                "paid_amount": str(i.paid_amount),
                "remaining_amount": str(i.remaining_amount),
                "ksef_number": i.ksef_number,
            }
            for i in rows
        ],
        "next_cursor": cursor or query.cursor,
        "has_more": has_more,
    }


class DegreeDaysQuery(Schema):
    date_from: date | None = Field(None, description="default: the first day 24 months ago")
    date_to: date | None = Field(None, description="default: today")
    granularity: Literal["month", "day"] = "month"


class DegreeDaysOut(Schema):
    period: str = Field(description="YYYY-MM for months, YYYY-MM-DD for days")
    degree_days: str
    mean_temperature: str | None
    days_with_data: int
    complete: bool
    normal_degree_days: str | None = Field(
        None, description="the standard year's degree days of that month (months only)"
    )


class DegreeDaysPage(Schema):
    base_temperature: str
    granularity: str
    items: list[DegreeDaysOut]


MAX_DAYS = 366


@router.get(
    "/degree-days",
    response={200: DegreeDaysPage, 400: Error},
    summary="Heating degree days of the company's outdoor temperature series",
    description=(
        "Degree days = Σ max(0, base − mean daily temperature), the base being "
        "`base_temperature` (15 °C unless the company set another). Monthly values carry "
        "the standard year's norm; daily values are limited to 366 days per call."
    ),
)
def my_degree_days(request, query: Query[DegreeDaysQuery], response: HttpResponse):
    _private(response)
    from ebok.insight import services as insight
    from ebok.insight.models import DailyTemperature

    today = timezone.localdate()
    date_to = query.date_to or today
    date_from = query.date_from or date(*insight.add_months((today.year, today.month), -24), 1)
    if date_from > date_to:
        raise HttpError(400, "date_from is after date_to.")
    base = insight.hdd_base()
    if query.granularity == "day":
        if date_to - date_from > timedelta(days=MAX_DAYS - 1):
            raise HttpError(400, f"At most {MAX_DAYS} days per call for daily values.")
        rows = DailyTemperature.objects.filter(
            cancelled_at__isnull=True, day__gte=date_from, day__lte=date_to
        ).order_by("day")
        items = [
            {
                "period": t.day.isoformat(),
                "degree_days": str(insight.degree_days_of(t.mean_temperature, base)),
                "mean_temperature": str(t.mean_temperature),
                "days_with_data": 1,
                "complete": True,
            }
            for t in rows
        ]
    else:
        months = insight.monthly_degree_days(date_from, date_to)
        normal = insight.normal_degree_days()
        items = [
            {
                "period": f"{y:04d}-{m:02d}",
                "degree_days": str(md.hdd),
                "mean_temperature": None
                if md.mean_temperature is None
                else str(md.mean_temperature),
                "days_with_data": md.days,
                "complete": md.complete,
                "normal_degree_days": str(normal[m]),
            }
            for (y, m), md in months.items()
        ]
    return {"base_temperature": str(base), "granularity": query.granularity, "items": items}
