"""The demo and benchmark dataset: customers of a city heat company and their billing history.

`generate(seed=..., customers=..., months=..., today=...)` fills an empty database with
customers, sites (heat substations), contracts, heat meters, monthly readings that follow
the heating season, monthly invoices priced by heat tariff components, payments, a few
corrections and interest notes, and the company's branding. The same arguments always
give the same data: every random choice comes from one `random.Random(seed)` consumed in
a fixed order, and every date derives from `today`.

Money is computed in integer grosze and quantities in integer thousandths or
ten-thousandths, so totals are exact: an invoice's net and VAT are the sums of its
lines, and a meter's consumption is exactly the difference of two readings.
"""

import functools
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection

from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.core.models import CompanySettings
from ebok.customers.models import Customer
from ebok.demo import climate, identifiers, names
from ebok.demo.writer import InlineSink, TableWriter, ThreadedSink, next_id, reset_sequences
from ebok.insight.models import DailyTemperature, HeatedArea
from ebok.insight.services import STANDARD_HDD_15, compute_group_statistics
from ebok.integration.records import INVOICE_LINE_FIELDS, SPECS

CUSTOMER_FIELDS = list(SPECS["customers"].fields)
# What every mirrored billing row starts with (`DemoDataGenerator._head`).
HEAD_COLUMNS = ["id", "external_id", "version", "billing_updated_at", "imported_at"]
CORRESPONDENCE_FIELDS = (
    "correspondence_name",
    "correspondence_street",
    "correspondence_postal_code",
    "correspondence_city",
)

WARSAW = ZoneInfo("Europe/Warsaw")

# The bank the company and its customers' individual (virtual) accounts are kept in.
COMPANY_SORT_CODE = identifiers.bank_sort_code("1240", "123")

# Share of a year's space heating per calendar month (high Dec-Feb, near zero Jun-Aug).
HEATING_SHARE = {
    1: 165,
    2: 145,
    3: 125,
    4: 75,
    5: 30,
    6: 6,
    7: 4,
    8: 4,
    9: 30,
    10: 85,
    11: 130,
    12: 161,
}
HEATING_TOTAL = sum(HEATING_SHARE.values())
# Space heating follows the demo climate's degree days; a normal year has this many.
NORMAL_HDD = float(sum(STANDARD_HDD_15.values()))

# Net tariff prices of the 2025/26 tariff year, by tariff group:
# capacity [zł/MW/month], heat [zł/GJ], transmission fixed [zł/MW/month],
# transmission variable [zł/GJ], heat carrier [zł/m³]. A new tariff starts every 1 July.
TARIFFS = {
    "A1": (11800.00, 78.50, 5200.00, 24.10, 18.40),
    "A2": (12400.00, 78.50, 6100.00, 27.30, 18.40),
    "B1": (11500.00, 76.90, 4800.00, 22.60, 18.40),
    "B2": (12100.00, 76.90, 5600.00, 25.80, 18.40),
    "C1": (11900.00, 78.50, 5400.00, 24.90, 18.40),
}
TARIFF_BASE_YEAR = 2025
TARIFF_YEARLY_CHANGE = 1.045

VAT_PERCENT = 23
INTEREST_RATE_PER_YEAR = 0.1125  # statutory interest for late payment in commercial transactions

LINE_DESCRIPTIONS = {
    InvoiceLine.Component.CAPACITY: "Opłata stała za zamówioną moc cieplną",
    InvoiceLine.Component.HEAT: "Opłata za ciepło",
    InvoiceLine.Component.TRANSMISSION_FIXED: "Opłata stała za usługi przesyłowe",
    InvoiceLine.Component.TRANSMISSION_VARIABLE: "Opłata zmienna za usługi przesyłowe",
    InvoiceLine.Component.HEAT_CARRIER: "Opłata za nośnik ciepła",
}

# (name, serial number prefix) of heat meter types found in the city's substations.
METER_TYPES = [
    ("Kamstrup MULTICAL 603", "66"),
    ("Kamstrup MULTICAL 403", "65"),
    ("Landis+Gyr T550 (UltraHeat)", "72"),
    ("Apator Powogaz ELF", "A1"),
    ("Apator Powogaz LQM-III", "A3"),
    ("Danfoss SonoMeter 30", "D3"),
]

# Customer kinds with weights, tariff groups, ordered capacity range [kW], sites.
KINDS = [
    # kind, weight, tariff groups, capacity kW (min, max), sites (min, max), hot water share
    (Customer.Kind.HOUSING_COMMUNITY, 45, ("A1", "A2"), (60, 450), (1, 2), 0.22),
    (Customer.Kind.COOPERATIVE, 5, ("A1", "A2"), (250, 1400), (2, 6), 0.22),
    (Customer.Kind.COMPANY, 30, ("B1", "B2"), (40, 1800), (1, 2), 0.05),
    (Customer.Kind.INSTITUTION, 12, ("C1",), (80, 900), (1, 2), 0.10),
    (Customer.Kind.PERSON, 8, ("A1",), (15, 35), (1, 1), 0.25),
]
KIND_WEIGHTS = [k[1] for k in KINDS]

# Payment behaviour: punctual payers, late payers, debtors (stop paying; old debt goes
# to debt collection).
PROFILES = ["punctual", "late", "debtor"]
PROFILE_WEIGHTS = [74, 20, 6]
DEBT_COLLECTION_AFTER_DAYS = 60

ANNUAL_GJ_PER_MW = 6300

# The large customer (`seed_demo --large-customer`, used by `make bench`): a housing
# cooperative with 300 buildings, two meters each, and ten years of monthly history, so
# the benchmark and the query-count tests see a customer whose history is ~70 times the
# demo customer's. It is customer number 7, right after the manager's five.
LARGE_CUSTOMER_INDEX = 7
LARGE_CUSTOMER_SITES = 300
LARGE_CUSTOMER_MONTHS = 120
LEGALISATION_DAYS = 5 * 365 + 1


def _decimal_converters():
    """Integer amounts -> database values. On SQLite, Django stores decimals as REAL anyway;
    passing floats (correctly rounded, as the text Django would send) skips a Python
    adapter call per value, which matters at tens of millions of values."""
    if connection.vendor == "sqlite":
        return (lambda v: v / 100), (lambda v: v / 1000), (lambda v: v / 10_000)
    return (
        (lambda v: Decimal(v).scaleb(-2)),
        (lambda v: Decimal(v).scaleb(-3)),
        (lambda v: Decimal(v).scaleb(-4)),
    )


def month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def billing_months(today: date, months: int) -> list[tuple[int, int]]:
    """The `months` full calendar months before `today`'s month, oldest first."""
    result = []
    year, month = today.year, today.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append((year, month))
    return result[::-1]


@functools.cache
def tariff_prices(group: str, year: int, month: int) -> tuple[int, ...]:
    """Prices in ten-thousandths of a złoty for the tariff in force in that month."""
    tariff_year = year if month >= 7 else year - 1
    factor = TARIFF_YEARLY_CHANGE ** (tariff_year - TARIFF_BASE_YEAR)
    return tuple(round(price * factor * 10_000) for price in TARIFFS[group])


def line_net(quantity: int, price: int) -> int:
    """Net grosze of quantity (1/10000) × price (1/10000 zł), rounded half up."""
    return (quantity * price + 500_000) // 1_000_000


def vat_of(net: int) -> int:
    return (net * VAT_PERCENT + 50) // 100


def billing_columns(kind: str, left_out: tuple[str, ...] = ()) -> list[str]:
    """The columns of one billing record kind as the generator fills them: the head, the
    ids of the records it refers to, then the import schema's fields in its order; the
    fields in `left_out` keep the model's default (`TableWriter` fills them)."""
    spec = SPECS[kind]
    unknown = set(left_out) - set(spec.fields)
    if unknown:
        raise ValueError(f"{kind} has no field {sorted(unknown)}")
    refs = [ref.attname for ref in spec.refs.values()]
    return HEAD_COLUMNS + refs + [name for name in spec.fields if name not in left_out]


@dataclass
class Counters:
    """Next ids and document numbers; precomputed so no insert needs a round trip."""

    ids: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)
    meter_serial: int = 0

    def take(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def document_number(self, prefix: str, issued: date) -> str:
        key = (prefix, issued.year, issued.month)
        value = self.numbers.get(key, 0) + 1
        self.numbers[key] = value
        return f"{prefix}/{issued.year}/{issued.month:02d}/{value:06d}"


@dataclass
class GenerationResult:
    counts: dict
    seconds: float
    demo_customer_id: int
    managed_customer_ids: list
    large_customer_id: int | None = None

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def _tune_sqlite(bulk: bool):
    # A generated dataset can always be generated again: during the load SQLite need
    # not wait for the disk after every commit.
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            return
        cursor.execute("PRAGMA synchronous=OFF" if bulk else "PRAGMA synchronous=NORMAL")
        if bulk:
            cursor.execute("PRAGMA cache_size=-262144")
            cursor.execute("PRAGMA temp_store=MEMORY")


class DemoDataGenerator:
    """Builds the dataset customer by customer and writes it in large batches."""

    #: customers written per transaction (bounds memory and the SQLite WAL file)
    CHUNK = 500

    def __init__(
        self,
        *,
        seed: int,
        customers: int,
        months: int,
        today: date,
        progress=None,
        threaded=None,
        large_customer: bool = False,
    ):
        if customers < 6:
            raise ValueError("at least 6 customers are needed (the demo user and the manager's)")
        if months < 4:
            raise ValueError("at least 4 months of history are needed")
        self.rng = random.Random(seed)
        self.seed = seed
        self.customers = customers
        self.months = billing_months(today, months)
        self.large_customer = large_customer and customers >= LARGE_CUSTOMER_INDEX
        self.large_months = billing_months(today, max(months, LARGE_CUSTOMER_MONTHS))
        self.today = today
        self.progress = progress
        # Inserting in a second thread needs its own connection, which cannot see an open
        # transaction of this one (e.g. in tests); large runs outside a transaction use it.
        self.threaded = (not connection.in_atomic_block) if threaded is None else threaded
        self.synced_at = datetime(today.year, today.month, today.day, 5, 30, tzinfo=WARSAW)
        self.synced_db = connection.ops.adapt_datetimefield_value(self.synced_at)
        self.d2, self.d3, self.d4 = _decimal_converters()
        self.vat_rate = self.d2(VAT_PERCENT * 100)

    # --- public ---------------------------------------------------------------------

    def generate(self) -> GenerationResult:
        started = time.monotonic()
        self._climate()
        models = [Customer, Site, Contract, Meter, Reading, Invoice, InvoiceLine, Payment]
        self.counters = Counters(ids={m: next_id(m) for m in models})
        self.first_customer_id = self.counters.ids[Customer]
        self._open_writers()
        sink_class = ThreadedSink if self.threaded else InlineSink
        sink = sink_class(
            prepare=lambda: _tune_sqlite(bulk=True), finish=lambda: _tune_sqlite(bulk=False)
        )
        try:
            done = 0
            while done < self.customers:
                batch = min(self.CHUNK, self.customers - done)
                for index in range(done + 1, done + batch + 1):
                    self._customer(index)
                # In foreign-key order, so every row's parents are inserted before it.
                sink.write([writer.take() for writer in self.writers.values()])
                done += batch
                if self.progress:
                    self.progress(done, self.customers)
        finally:
            sink.close()
        reset_sequences(models)
        self._write_climate()
        # The tariff groups' distributions, as the daily job would compute them.
        compute_group_statistics(self.today)
        self._configure_site()
        counts = {m._meta.verbose_name_plural: w.count for m, w in self.writers.items()}
        return GenerationResult(
            counts=counts,
            seconds=time.monotonic() - started,
            demo_customer_id=self.first_customer_id,
            managed_customer_ids=list(
                range(self.first_customer_id + 1, self.first_customer_id + 6)
            ),
            large_customer_id=(
                self.first_customer_id + LARGE_CUSTOMER_INDEX - 1 if self.large_customer else None
            ),
        )

    # --- setup --------------------------------------------------------------------------

    def _open_writers(self):
        # The columns billing sends (the import schema), so the two cannot drift.
        self.writers = {
            Customer: TableWriter(Customer, billing_columns("customers")),
            Site: TableWriter(Site, billing_columns("sites")),
            Contract: TableWriter(Contract, billing_columns("contracts", left_out=("end_date",))),
            Meter: TableWriter(Meter, billing_columns("meters", left_out=("removed_on",))),
            Reading: TableWriter(Reading, billing_columns("readings")),
            Invoice: TableWriter(Invoice, billing_columns("invoices", left_out=("ksef_number",))),
            InvoiceLine: TableWriter(InvoiceLine, ["id", "invoice_id", *INVOICE_LINE_FIELDS]),
            Payment: TableWriter(Payment, billing_columns("payments")),
        }

    def _head(self, model, prefix: str) -> tuple[int, tuple]:
        pk = self.counters.take(model)
        return pk, (pk, f"{prefix}{pk:08d}", 1, self.synced_db, self.synced_db)

    # --- one customer -------------------------------------------------------------------

    def _address(self) -> tuple[str, str]:
        rng = self.rng
        street = f"ul. {rng.choice(names.STREETS)} {rng.randint(1, 160)}"
        if rng.random() < 0.2:
            street += rng.choice("ABCD")
        code = rng.randint(*names.POSTAL_RANGE)
        return street, f"{code // 1000:02d}-{code % 1000:03d}"

    def _customer(self, index: int):
        if self.large_customer and index == LARGE_CUSTOMER_INDEX:
            months, self.months = self.months, self.large_months
            try:
                self._customer_rows(index, large=True)
            finally:
                self.months = months
        else:
            self._customer_rows(index)

    def _customer_rows(self, index: int, large: bool = False):
        rng = self.rng
        is_demo = index == 1
        managed = 2 <= index <= 6
        # The demo user's and the manager's customers are housing communities.
        kind_row = KINDS[0] if is_demo or managed else rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        if large:
            kind_row = KINDS[1]
        kind, _w, groups, capacity_kw, site_range, hot_water = kind_row
        profile = "demo" if is_demo else rng.choices(PROFILES, weights=PROFILE_WEIGHTS)[0]
        if large:
            profile = "late"  # pays, but not always on time: interest notes, overdue rows
        if managed and index == 4:
            profile = "debtor"  # the manager sees one customer in trouble

        street, postal = self._address()
        if is_demo:
            street, postal = "ul. Gdańska 112", "85-022"
        nip = regon = pesel = ""
        corr = ("", "", "", "")
        if kind == Customer.Kind.HOUSING_COMMUNITY:
            name = f"Wspólnota Mieszkaniowa {street}"
            nip, regon = identifiers.nip(rng), identifiers.regon(rng)
            if managed or rng.random() < 0.25:
                corr_street, corr_postal = (
                    ("ul. Dworcowa 81", "85-009") if managed else self._address()
                )
                corr = (
                    "Zarządca Nieruchomości „Dom-Serwis” Sp. z o.o.",
                    corr_street,
                    corr_postal,
                    names.CITY,
                )
        elif kind == Customer.Kind.COOPERATIVE:
            name = f"Spółdzielnia Mieszkaniowa „{rng.choice(names.COOPERATIVE_NAMES)}” nr {index}"
            if large:
                name = "Spółdzielnia Mieszkaniowa „Osiedle Leśne”"
            nip, regon = identifiers.nip(rng), identifiers.regon(rng)
        elif kind == Customer.Kind.COMPANY:
            name = (
                f"{rng.choice(names.COMPANY_STEMS)}{rng.choice(names.COMPANY_TAILS)} "
                f"{rng.choice(names.COMPANY_FORMS)}"
            )
            nip, regon = identifiers.nip(rng), identifiers.regon(rng)
        elif kind == Customer.Kind.INSTITUTION:
            name = rng.choice(names.INSTITUTIONS).format(n=index % 97 + 1)
            nip, regon = identifiers.nip(rng), identifiers.regon(rng)
        else:
            female = rng.random() < 0.5
            first = rng.choice(names.FIRST_NAMES_F if female else names.FIRST_NAMES_M)
            name = f"{first} {rng.choice(names.SURNAMES)[1 if female else 0]}"
            pesel = identifiers.pesel(rng, (date(1940, 1, 1), date(2000, 12, 31)))

        customer_id, head = self._head(Customer, "C")
        payer_code = f"{1_000_000 + index}"
        account = identifiers.nrb(COMPANY_SORT_CODE, f"{0:08d}{payer_code:0>8}")
        phone = f"52 {rng.randint(320, 379)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        values = {
            "payer_code": payer_code,
            "kind": kind,
            "name": name,
            "nip": nip,
            "regon": regon,
            "pesel": pesel,
            "street": street,
            "postal_code": postal,
            "city": names.CITY,
            **dict(zip(CORRESPONDENCE_FIELDS, corr, strict=True)),
            "phone": phone,
            "fax": "",
            "email": f"kontakt{index}@example.com",
            "marketing_objection": rng.random() < 0.3,
            "bank_account": account,
        }
        # A KeyError here: the import schema gained a field the demo must fill in.
        self.writers[Customer].add(head + tuple(values[f] for f in CUSTOMER_FIELDS))

        sites = 2 if is_demo else rng.randint(*site_range)
        if large:
            sites = LARGE_CUSTOMER_SITES
        invoices = []  # (invoice id, gross grosze, issue, due, number, month index)
        for site_no in range(sites):
            if site_no == 0 and kind in (Customer.Kind.HOUSING_COMMUNITY, Customer.Kind.PERSON):
                site_street, site_postal = street, postal
            else:
                site_street, site_postal = self._address()
            invoices += self._site(
                customer_id,
                kind,
                groups,
                capacity_kw,
                hot_water,
                site_street,
                site_postal,
                account,
                force_meters=2 if is_demo or large else None,
            )
        self._payments(customer_id, profile, invoices)
        if is_demo or rng.random() < 0.03:
            self._correction(customer_id, profile, invoices, account)

    def _site(
        self,
        customer_id,
        kind,
        groups,
        capacity_kw,
        hot_water,
        street,
        postal,
        account,
        force_meters=None,
    ) -> list:
        rng = self.rng
        site_id, head = self._head(Site, "S")
        label = "Budynek" if kind == Customer.Kind.COOPERATIVE else "Węzeł cieplny"
        self.writers[Site].add(
            head
            + (customer_id, f"W-{site_id:06d}", f"{label} {street}", street, postal, names.CITY)
        )

        group = rng.choice(groups)
        capacity = rng.randint(*capacity_kw) * 10  # ten-thousandths of a MW (kW × 10)
        first_month = self.months[0]
        start = date(first_month[0] - rng.randint(1, 15), rng.choice((1, 7, 10)), 1)
        contract_id, head = self._head(Contract, "K")
        number = f"UC/{contract_id:06d}/{start.year}"
        self.writers[Contract].add(
            head + (customer_id, site_id, number, start, group, self.d4(capacity))
        )

        # Meters: one for heating and hot water, or separate ones (c.o. / c.w.u.).
        meter_count = force_meters or rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
        window_start = date(*first_month, 1)
        # Thousandths of a GJ per year. Buildings differ: some use much less heat than
        # their ordered capacity suggests (capacity ordered long ago, insulated since),
        # some more; the spread depends only on the site id, not on the random sequence.
        annual_mgj = capacity * ANNUAL_GJ_PER_MW // 10 * (800 + site_id * 7919 % 700) // 1000
        # Billing knows the heated area of seven sites in ten: 14-22 m² per kW ordered.
        if site_id % 10 < 7:
            self.areas.append((site_id, capacity // 10 * (14 + site_id * 7919 % 9)))
        oldest_install_days = (window_start - self.today).days + LEGALISATION_DAYS - 14
        meters = []
        for m in range(meter_count):
            meter_type, prefix = rng.choice(METER_TYPES)
            self.counters.meter_serial += 1
            serial = f"{prefix}{self.counters.meter_serial * 7919 % 10**7:07d}{rng.randint(0, 9)}"
            # Installed before the history starts; a heat meter's legalisation lasts 5
            # years and an expired meter is replaced, so (with the default 24 months)
            # every meter is still legal today and some expire within months.
            installed = window_start - timedelta(days=rng.randint(30, max(30, oldest_install_days)))
            legal_until = installed + timedelta(days=LEGALISATION_DAYS)
            if meter_count == 1:
                location, heating, water = "węzeł cieplny", 1.0 - hot_water, hot_water
            elif m == meter_count - 1:
                location, heating, water = "węzeł cieplny – c.w.u.", 0.0, hot_water
            else:
                location = "węzeł cieplny – c.o." + (f" {m + 1}" if meter_count > 2 else "")
                heating, water = (1.0 - hot_water) / (meter_count - 1), 0.0
            meter_id, head = self._head(Meter, "M")
            self.writers[Meter].add(
                head
                + (
                    customer_id,
                    site_id,
                    contract_id,
                    serial,
                    meter_type,
                    location,
                    "GJ",
                    installed,
                    legal_until,
                )
            )
            meters.append((meter_id, heating, water))

        # Readings: an opening reading at the end of the month before the window, then
        # one at every month's end; consumption is the difference to the previous value.
        monthly_gj = [0] * len(self.months)
        reading_writer = self.writers[Reading]
        remote, manual, estimate = (str(s) for s in Reading.Source)  # 88 %, 8 %, 4 %
        opening = window_start - timedelta(days=1)
        periods = [(opening.year, opening.month)] + self.months
        for meter_id, heating, water in meters:
            value = rng.randint(500_000, 60_000_000)
            for i, (year, month) in enumerate(periods):
                # Consumption = base (hot water) + slope × degree days of the demo's
                # weather, with ±10 % noise (the same draw as ever, so nothing else shifts).
                share = heating * self.degree_days[(year, month)] / NORMAL_HDD + water / 12
                noise = 0.9 + (rng.uniform(0.85, 1.15) - 0.85) * 2 / 3
                consumption = int(annual_mgj * share * noise)
                value += consumption
                r = rng.random()
                source = remote if r < 0.88 else (manual if r < 0.96 else estimate)
                _reading_id, head = self._head(Reading, "R")
                reading_writer.add(
                    head
                    + (
                        meter_id,
                        month_end(year, month),
                        self.d3(value),
                        self.d3(consumption),
                        source,
                    )
                )
                if i:
                    monthly_gj[i - 1] += consumption

        # Invoices: one per month, issued in the first days of the next month.
        invoices = []
        terms = rng.choice((14, 14, 21))
        line_writer = self.writers[InvoiceLine]
        for i, (year, month) in enumerate(self.months):
            end = month_end(year, month)
            issue = end + timedelta(days=rng.randint(1, 5))
            if issue > self.today:
                continue
            due = issue + timedelta(days=terms)
            p_cap, p_heat, p_tfix, p_tvar, p_carrier = tariff_prices(group, year, month)
            heat_q = monthly_gj[i] * 10  # thousandths -> ten-thousandths of a GJ
            carrier_q = max(1_000, heat_q * 3 // 1000 // 1000 * 1000)  # ~0.3 m³/100 GJ, min 0.1 m³
            lines = [
                (InvoiceLine.Component.CAPACITY, capacity, "MW", p_cap),
                (InvoiceLine.Component.HEAT, heat_q, "GJ", p_heat),
                (InvoiceLine.Component.TRANSMISSION_FIXED, capacity, "MW", p_tfix),
                (InvoiceLine.Component.TRANSMISSION_VARIABLE, heat_q, "GJ", p_tvar),
                (InvoiceLine.Component.HEAT_CARRIER, carrier_q, "m³", p_carrier),
            ]
            invoice_id, head = self._head(Invoice, "F")
            net_total = vat_total = 0
            for position, (component, quantity, unit, price) in enumerate(lines, start=1):
                net = line_net(quantity, price)
                vat = vat_of(net)
                net_total += net
                vat_total += vat
                line_writer.add(
                    (
                        self.counters.take(InvoiceLine),
                        invoice_id,
                        position,
                        component,
                        LINE_DESCRIPTIONS[component],
                        self.d4(quantity),
                        unit,
                        self.d4(price),
                        self.d2(net),
                        self.vat_rate,
                        self.d2(vat),
                    )
                )
            gross = net_total + vat_total
            number = self.counters.document_number("FV", issue)
            invoices.append(
                [
                    invoice_id,
                    head,
                    (
                        customer_id,
                        contract_id,
                        None,
                        number,
                        "vat",
                        issue,
                        end,
                        due,
                        date(year, month, 1),
                        end,
                        self.d2(net_total),
                        self.d2(vat_total),
                        self.d2(gross),
                    ),
                    gross,
                    issue,
                    due,
                    number,
                    i,
                    account,
                    heat_q,
                    group,
                ]
            )
        return invoices

    # --- payments, corrections, interest --------------------------------------------------

    def _payments(self, customer_id, profile, invoices):
        """Pay (or not) every invoice according to the customer's payment behaviour, and
        write the invoices with their paid amount."""
        rng = self.rng
        months = len(self.months)
        stop_at = months - rng.randint(4, 10) if profile == "debtor" else months
        if profile == "demo":
            stop_at = months - 3
        interest_notes = []
        for inv in invoices:
            invoice_id, head, body, gross, issue, due, number, month_index, account = inv[:9]
            payments = []
            if month_index < stop_at:
                if profile == "punctual":
                    payments = [
                        (issue + timedelta(days=rng.randint(2, (due - issue).days - 1)), gross)
                    ]
                elif rng.random() < 0.15:
                    first = gross * rng.randint(40, 60) // 100
                    paid_on = due + timedelta(days=rng.randint(0, 10))
                    payments = [
                        (paid_on, first),
                        (paid_on + timedelta(days=rng.randint(20, 50)), gross - first),
                    ]
                else:
                    payments = [(due + timedelta(days=rng.randint(1, 45)), gross)]
            paid = self._write_payments(customer_id, invoice_id, number, payments)
            in_collection = (
                profile == "debtor"
                and paid < gross
                and (self.today - due).days > DEBT_COLLECTION_AFTER_DAYS
            )
            self.writers[Invoice].add(head + body + (self.d2(paid), in_collection, account))
            if payments and profile != "punctual":
                last_paid_on = payments[-1][0]
                late_days = (last_paid_on - due).days
                if (
                    late_days >= 25
                    and last_paid_on <= self.today
                    and (rng.random() < 0.25 or (profile == "demo" and not interest_notes))
                ):
                    interest_notes.append((number, gross, late_days, last_paid_on))
        for number, gross, late_days, paid_on in interest_notes:
            self._interest_note(customer_id, profile, number, gross, late_days, paid_on)

    def _write_payments(self, customer_id, invoice_id, number, payments) -> int:
        paid = 0
        for paid_on, amount in payments:
            if paid_on > self.today:
                continue
            payment_id, head = self._head(Payment, "P")
            self.writers[Payment].add(
                head + (customer_id, invoice_id, paid_on, self.d2(amount), f"Przelew – {number}")
            )
            paid += amount
        return paid

    def _interest_note(self, customer_id, profile, number, gross, late_days, paid_on):
        rng = self.rng
        interest = round(gross * INTEREST_RATE_PER_YEAR * late_days / 365)
        issue = paid_on + timedelta(days=rng.randint(5, 15))
        if interest < 1000 or issue > self.today:
            return
        due = issue + timedelta(days=14)
        note_number = self.counters.document_number("NO", issue)
        invoice_id, head = self._head(Invoice, "F")
        self.writers[InvoiceLine].add(
            (
                self.counters.take(InvoiceLine),
                invoice_id,
                1,
                InvoiceLine.Component.OTHER,
                f"Odsetki ustawowe za opóźnienie w zapłacie faktury {number} ({late_days} dni)",
                self.d4(10_000),
                "szt.",
                self.d4(interest * 100),
                self.d2(interest),
                self.d2(0),
                self.d2(0),
            )
        )
        payments = []
        if rng.random() < 0.6:
            payments = [(issue + timedelta(days=rng.randint(5, 30)), interest)]
        paid = self._write_payments(customer_id, invoice_id, note_number, payments)
        self.writers[Invoice].add(
            head
            + (
                customer_id,
                None,
                None,
                note_number,
                Invoice.Kind.INTEREST_NOTE,
                issue,
                issue,
                due,
                None,
                None,
                self.d2(interest),
                self.d2(0),
                self.d2(interest),
                self.d2(paid),
                False,
                "",
            )
        )

    def _correction(self, customer_id, profile, invoices, account):
        """A correcting invoice after a verified reading: additional heat for one month."""
        rng = self.rng
        candidates = [inv for inv in invoices if inv[7] < len(self.months) - 2]
        if not candidates:
            return
        original = rng.choice(candidates)
        (
            invoice_id_orig,
            _h,
            body,
            _g,
            issue_orig,
            _due,
            number_orig,
            month_index,
            _a,
            heat_q,
            group,
        ) = original
        issue = issue_orig + timedelta(days=rng.randint(20, 40))
        if issue > self.today:
            return
        year, month = self.months[month_index]
        _cap, p_heat, _tfix, p_tvar, _carrier = tariff_prices(group, year, month)
        extra = max(5_000, heat_q * rng.randint(2, 10) // 100 // 100 * 100)  # 2-10 %, ≥ 0.5 GJ
        invoice_id, head = self._head(Invoice, "F")
        net_total = vat_total = 0
        for position, (component, price) in enumerate(
            [
                (InvoiceLine.Component.HEAT, p_heat),
                (InvoiceLine.Component.TRANSMISSION_VARIABLE, p_tvar),
            ],
            start=1,
        ):
            net = line_net(extra, price)
            vat = vat_of(net)
            net_total += net
            vat_total += vat
            self.writers[InvoiceLine].add(
                (
                    self.counters.take(InvoiceLine),
                    invoice_id,
                    position,
                    component,
                    f"Korekta odczytu szacunkowego – {LINE_DESCRIPTIONS[component].lower()}",
                    self.d4(extra),
                    "GJ",
                    self.d4(price),
                    self.d2(net),
                    self.vat_rate,
                    self.d2(vat),
                )
            )
        gross = net_total + vat_total
        due = issue + timedelta(days=14)
        number = self.counters.document_number("FK", issue)
        payments = []
        if profile == "punctual" or (profile in ("late", "demo") and rng.random() < 0.7):
            payments = [(issue + timedelta(days=rng.randint(3, 30)), gross)]
        paid = self._write_payments(customer_id, invoice_id, number, payments)
        self.writers[Invoice].add(
            head
            + (
                customer_id,
                body[1],
                invoice_id_orig,
                number,
                Invoice.Kind.CORRECTION,
                issue,
                body[6],
                due,
                body[8],
                body[9],
                self.d2(net_total),
                self.d2(vat_total),
                self.d2(gross),
                self.d2(paid),
                False,
                account,
            )
        )

    # --- branding -----------------------------------------------------------------------

    def _climate(self):
        """The outdoor temperatures of the whole history (plus the opening month) up to
        yesterday, and their degree days per month, which the readings follow."""
        longest = max(self.months, getattr(self, "large_months", self.months), key=len)
        first = date(*longest[0], 1) - timedelta(days=1)
        self.temperatures = climate.daily_temperatures(
            self.seed, first.replace(day=1), self.today - timedelta(days=1)
        )
        self.areas: list[tuple[int, int]] = []  # (site id, heated m²), written at the end
        self.degree_days = {
            m: float(hdd)
            for m, hdd in climate.monthly_degree_days(self.temperatures, Decimal(15)).items()
        }

    def _write_climate(self):
        DailyTemperature.objects.bulk_create(
            [
                DailyTemperature(
                    external_id=f"T{day.isoformat()}",
                    version=1,
                    billing_updated_at=self.synced_at,
                    day=day,
                    mean_temperature=t,
                )
                for day, t in self.temperatures.items()
            ],
            batch_size=1000,
            # Temperatures already imported (or left by an earlier demo) are kept.
            ignore_conflicts=True,
        )
        HeatedArea.objects.bulk_create(
            [
                HeatedArea(
                    external_id=f"A{site_id:08d}",
                    version=1,
                    billing_updated_at=self.synced_at,
                    site_id=site_id,
                    area_m2=Decimal(area),
                )
                for site_id, area in self.areas
            ],
            batch_size=2000,
        )

    def _configure_site(self):
        config, _created = CompanySettings.objects.get_or_create(pk=CompanySettings.SINGLETON_PK)
        for name, value in company_branding().items():
            setattr(config, name, value)
        config.last_billing_sync = self.synced_at
        config.save()


def company_branding() -> dict:
    """The fictitious demo company. Its NIP, REGON and account have valid checksums."""
    return {
        "company_name": "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o.",
        "company_short_name": "MPEC",
        "street": "ul. Ciepłownicza 10",
        "postal_code": "85-950",
        "city": names.CITY,
        "nip": "9531003272",
        "regon": "090517820",
        "krs": "0000012345",
        "bank_name": "Bank Demonstracyjny S.A.",
        "bank_account": identifiers.nrb(COMPANY_SORT_CODE, "0000000000010001"),
        "phone": "52 555 01 00",
        "email": "bok@mpec.example.com",
        "website": "https://mpec.example.com",
        "office_hours": "Biuro Obsługi Klienta: pon.–pt. 7:30–15:30, czw. do 17:00",
        "welcome_text": (
            "Witamy w elektronicznym Biurze Obsługi Klienta MPEC. Sprawdzisz tu faktury i saldo "
            "płatności, umowy, liczniki i odczyty, a także wyślesz do nas pismo, wniosek lub "
            "reklamację – bez wychodzenia z domu."
        ),
        "personal_data_clause": (
            "Administratorem danych osobowych jest Miejskie Przedsiębiorstwo Energetyki Cieplnej "
            "Sp. z o.o., ul. Ciepłownicza 10, 85-950 Bydgoszcz. Dane przetwarzamy w celu "
            "zawarcia i wykonania umowy sprzedaży ciepła oraz obsługi konta w eBOK (art. 6 ust. 1 "
            "lit. b i c RODO). Masz prawo dostępu do danych, ich sprostowania, usunięcia lub "
            "ograniczenia przetwarzania, wniesienia sprzeciwu oraz skargi do Prezesa UODO. "
            "Kontakt z inspektorem ochrony danych: iod@mpec.example.com."
        ),
        "terms_version": "2026.1",
        "terms_text": (
            "Regulamin elektronicznego Biura Obsługi Klienta (eBOK)\n\n"
            "§ 1. eBOK udostępnia odbiorcom ciepła dane o rozliczeniach, fakturach, umowach i "
            "licznikach oraz umożliwia składanie pism i wniosków drogą elektroniczną.\n"
            "§ 2. Konto zakłada się przez formularz rejestracji; hasło jednorazowe "
            "przesyłamy listem na adres kontrahenta.\n"
            "§ 3. Użytkownik chroni swoje hasło i odpowiada za dane, które wprowadza.\n"
            "§ 4. Dane w eBOK pochodzą z systemu rozliczeń i są aktualizowane codziennie.\n"
            "§ 5. Reklamacje dotyczące eBOK można składać przez formularz uwag lub w BOK."
        ),
        "attachment_formats_text": (
            "Dopuszczalne formaty: PDF, JPG, PNG, DOCX, ODT, XLSX, ODS; do 10 MB na plik, "
            "najwyżej 5 plików."
        ),
    }
