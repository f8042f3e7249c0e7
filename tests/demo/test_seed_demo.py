"""`manage.py seed_demo`: deterministic, valid demo data and working demo logins."""

import hashlib
import io
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from stdnum import iban
from stdnum.pl import nip, pesel, regon

from ebok.accounts.models import User
from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.core.models import CompanySettings
from ebok.customers.models import Customer, CustomerAccess
from ebok.demo.users import DEMO_LOGINS, DEMO_PASSWORD
from ebok.letters.models import Attachment, Letter, LetterKind, LetterStatus, LetterStatusChange

TODAY = date(2026, 11, 23)


def seed(**options) -> str:
    out = io.StringIO()
    params = {"customers": 20, "months": 6, "today": TODAY, "seed": 2026}
    params.update(options)
    call_command("seed_demo", stdout=out, **params)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the generated data (everything but import timestamps)."""
    h = hashlib.sha256()
    querysets = [
        Customer.objects.order_by("payer_code").values_list(
            "payer_code",
            "kind",
            "name",
            "nip",
            "regon",
            "pesel",
            "street",
            "postal_code",
            "bank_account",
        ),
        Site.objects.order_by("external_id").values_list("external_id", "code", "street"),
        Contract.objects.order_by("number").values_list(
            "number", "start_date", "tariff_group", "ordered_capacity_mw"
        ),
        Meter.objects.order_by("external_id").values_list(
            "serial_number", "meter_type", "installed_on", "legalisation_valid_until"
        ),
        Reading.objects.order_by("external_id").values_list(
            "meter__serial_number", "read_on", "value", "source"
        ),
        Invoice.objects.order_by("number").values_list(
            "number",
            "kind",
            "issue_date",
            "due_date",
            "gross_amount",
            "paid_amount",
            "in_debt_collection",
        ),
        InvoiceLine.objects.order_by("invoice__number", "position").values_list(
            "invoice__number", "component", "quantity", "unit_price", "net_amount"
        ),
        Payment.objects.order_by("external_id").values_list("paid_on", "amount", "title"),
    ]
    for qs in querysets:
        for row in qs:
            h.update(repr(row).encode())
    return h.hexdigest()


def remove_generated_data():
    # Letters are never deleted by the product; the test removes the demo's rows itself.
    for model in (LetterStatusChange, Attachment, Letter):
        model.objects.all()._raw_delete(model.objects.db)
    CustomerAccess.objects.all().delete()
    User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).delete()
    Payment.objects.all().delete()
    InvoiceLine.objects.all().delete()
    Invoice.objects.exclude(corrected_invoice=None).delete()
    Invoice.objects.all().delete()
    Reading.objects.all().delete()
    Meter.objects.all().delete()
    Contract.objects.all().delete()
    Site.objects.all().delete()
    Customer.objects.all().delete()


@pytest.fixture
def demo_data(db):
    return seed()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(db):
    seed()
    first = digest()
    remove_generated_data()
    seed()
    assert digest() == first
    remove_generated_data()
    seed(seed=7)
    assert digest() != first


def test_every_national_number_and_account_passes_python_stdnum(demo_data):
    customers = list(Customer.objects.all())
    assert len(customers) == 20
    for c in customers:
        if c.kind == Customer.Kind.PERSON:
            assert pesel.is_valid(c.pesel), c.pesel
            assert c.nip == ""
        else:
            assert nip.is_valid(c.nip), c.nip
            assert regon.is_valid(c.regon), c.regon
        assert iban.is_valid("PL" + c.bank_account), c.bank_account
    config = CompanySettings.objects.get()
    assert nip.is_valid(config.nip)
    assert regon.is_valid(config.regon)
    assert iban.is_valid("PL" + config.bank_account)


def test_every_invoice_total_is_the_sum_of_its_lines(demo_data):
    sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in InvoiceLine.objects.all():
        sums[line.invoice_id][0] += line.net_amount
        sums[line.invoice_id][1] += line.vat_amount
        assert line.net_amount == (line.quantity * line.unit_price).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    invoices = list(Invoice.objects.all())
    assert len(invoices) > 100
    for invoice in invoices:
        assert [invoice.net_amount, invoice.vat_amount] == sums[invoice.pk], invoice.number
        assert invoice.gross_amount == invoice.net_amount + invoice.vat_amount
        assert 14 <= (invoice.due_date - invoice.issue_date).days <= 21
        assert invoice.issue_date <= TODAY


def test_paid_amount_is_the_sum_of_the_invoice_payments_and_never_exceeds_gross(demo_data):
    paid = defaultdict(Decimal)
    for payment in Payment.objects.all():
        assert payment.invoice_id is not None
        assert payment.paid_on <= TODAY
        paid[payment.invoice_id] += payment.amount
    for invoice in Invoice.objects.all():
        assert invoice.paid_amount == paid[invoice.pk], invoice.number
        assert invoice.paid_amount <= invoice.gross_amount


def test_readings_grow_monthly_and_consumption_is_the_difference(demo_data):
    by_meter = defaultdict(list)
    for reading in Reading.objects.order_by("meter_id", "read_on"):
        by_meter[reading.meter_id].append(reading)
    assert len(by_meter) == Meter.objects.count()
    for readings in by_meter.values():
        assert len(readings) == 7  # an opening reading and six months
        for previous, current in zip(readings, readings[1:], strict=False):
            assert current.read_on > previous.read_on
            assert current.value >= previous.value
            assert current.consumption == current.value - previous.value


def test_heating_season_uses_far_more_heat_than_summer(db):
    seed(months=12)
    by_month = defaultdict(Decimal)
    for reading in Reading.objects.filter(read_on__gt=date(2025, 10, 31)):
        by_month[reading.read_on.month] += reading.consumption
    assert by_month[1] > 5 * by_month[7]
    assert by_month[12] > 5 * by_month[8]


def test_the_data_has_every_case_a_customer_or_operator_meets(db):
    seed(customers=200, months=12)
    invoices = Invoice.objects.all()
    unpaid = [i for i in invoices if not i.is_paid]
    assert any(i.is_overdue(TODAY) for i in unpaid)
    assert any(i.due_date >= TODAY for i in unpaid)
    assert invoices.filter(in_debt_collection=True).exists()
    assert invoices.filter(kind=Invoice.Kind.CORRECTION, corrected_invoice__isnull=False).exists()
    assert invoices.filter(kind=Invoice.Kind.INTEREST_NOTE).exists()
    assert {c.kind for c in Customer.objects.all()} == set(Customer.Kind.values)
    assert set(Reading.objects.values_list("source", flat=True)) == set(Reading.Source.values)
    for number in invoices.filter(kind=Invoice.Kind.VAT).values_list("number", flat=True):
        assert re.fullmatch(r"FV/20\d\d/\d\d/\d{6}", number)
    assert CompanySettings.objects.get().last_billing_sync.date() == TODAY
    assert not Meter.objects.filter(legalisation_valid_until__lte=TODAY).exists()
    assert not Meter.objects.filter(installed_on__gte=date(2025, 11, 1)).exists()


def test_the_demo_customer_has_overdue_and_unpaid_invoices_and_several_meters(demo_data):
    demo = Customer.objects.get(accesses__user__username="demo")
    assert Meter.objects.filter(customer=demo).count() >= 3
    unpaid = [i for i in Invoice.objects.filter(customer=demo) if not i.is_paid]
    assert any(i.is_overdue(TODAY) for i in unpaid)
    assert len(unpaid) >= 3


def test_the_demo_customer_has_an_answered_letter_and_a_complaint_in_progress(client, demo_data):
    demo = Customer.objects.get(accesses__user__username="demo")
    letters = {
        letter.kind: letter
        for letter in Letter.objects.filter(customer=demo, in_reply_to__isnull=True)
    }
    assert letters[LetterKind.INCOMING].status == LetterStatus.ANSWERED
    reply = Letter.objects.get(in_reply_to=letters[LetterKind.INCOMING])
    assert reply.number.startswith("PW/")
    assert reply.attachments.filter(source=Attachment.Source.DOCUMENT).exists()
    assert letters[LetterKind.COMPLAINT].status == LetterStatus.IN_PROGRESS
    client.force_login(User.objects.get(username="demo"))
    html = client.get("/pisma/").content.decode()
    assert letters[LetterKind.INCOMING].number in html
    assert letters[LetterKind.COMPLAINT].number in html


def test_demo_customer_logs_in_with_the_documented_password_and_sees_their_customer(
    client, demo_data
):
    response = client.post(
        "/logowanie/", {"username": "demo", "password": DEMO_PASSWORD}, follow=True
    )
    demo = Customer.objects.get(accesses__user__username="demo")
    assert response.status_code == 200
    assert demo.name in response.content.decode()
    assert demo.name in client.get("/kontrahent/").content.decode()


def test_property_manager_acts_for_five_customers(client, demo_data):
    manager = User.objects.get(username="zarzadca")
    assert manager.check_password(DEMO_PASSWORD)
    assert CustomerAccess.objects.filter(user=manager).count() == 5
    client.force_login(manager)
    html = client.get("/kontrahent/").content.decode()
    first = Customer.objects.filter(accesses__user=manager).order_by("name").first()
    assert first.name in html


def test_operator_and_administrator_are_back_office_users_not_superusers(demo_data):
    operator = User.objects.get(username="operator")
    admin = User.objects.get(username="admin")
    assert operator.is_operator and admin.is_operator
    assert admin.has_perm("accounts.manage_configuration")
    assert not operator.has_perm("accounts.manage_configuration")
    assert not admin.is_superuser and not operator.is_superuser
    for user in (operator, admin):
        assert user.check_password(DEMO_PASSWORD)


def test_demo_password_passes_the_password_policy(demo_data):
    for login in DEMO_LOGINS:
        validate_password(login.password, User.objects.get(username=login.username))


def test_the_logins_are_printed_at_the_end(demo_data):
    for login in DEMO_LOGINS:
        assert f"{login.username}" in demo_data
    assert DEMO_PASSWORD in demo_data
    assert "records/s" in demo_data


def test_if_empty_leaves_existing_data_alone_and_prints_the_logins(demo_data):
    before = digest()
    output = seed(if_empty=True, seed=99)
    assert "nothing generated" in output
    assert DEMO_PASSWORD in output
    assert digest() == before


def test_without_if_empty_it_refuses_a_database_that_has_data(demo_data):
    with pytest.raises(CommandError, match="already has customers"):
        seed()


THREADED_VS_INLINE = """
import django
django.setup()
from datetime import date
from django.core.management import call_command
from ebok.demo.generator import DemoDataGenerator
from tests.demo.test_seed_demo import digest, remove_generated_data
call_command("migrate", verbosity=0)
DemoDataGenerator(seed=5, customers=12, months=5, today=date(2026, 11, 23), threaded=True).generate()
threaded = digest()
remove_generated_data()
DemoDataGenerator(seed=5, customers=12, months=5, today=date(2026, 11, 23), threaded=False).generate()
print("same" if digest() == threaded else "different")
"""


def test_inserting_in_a_background_thread_gives_the_same_data_as_inline(tmp_path):
    # The writer thread needs its own connection to a real database file, which a test
    # transaction cannot give it, so this runs in a separate process.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ebok.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'threaded.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", THREADED_VS_INLINE],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("same")


def test_the_demo_writes_every_customer_column_the_import_schema_has():
    from ebok.demo.generator import CUSTOMER_FIELDS
    from ebok.integration.records import SPECS

    assert SPECS["customers"].fields == CUSTOMER_FIELDS
    assert "fax" in CUSTOMER_FIELDS


def test_demo_customers_have_the_columns_billing_sends_filled_or_empty(demo_data):
    customer = Customer.objects.order_by("payer_code").first()
    assert customer.phone.startswith("52 ") and customer.fax == ""
    assert customer.email.startswith("kontakt")
