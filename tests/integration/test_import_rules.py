"""The import's rules: upsert by external id, versions, cancellations, strict schemas."""

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.contracts.models import Meter, Reading, Site
from ebok.core.models import CompanySettings
from ebok.customers.models import Customer
from ebok.integration.importer import import_records
from ebok.integration.models import ImportBatch
from tests.integration import records as r

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def statuses(summary):
    return [res.status for res in summary.results]


def state():
    """Everything the import can change, comparable across runs."""
    rows = {}
    for model in (Customer, Site, Meter, Reading, Invoice, Payment):
        rows[model.__name__] = sorted(
            model.objects.values_list(
                *[
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.name not in ("id", "imported_at")
                ]
            )
        )
    rows["lines"] = sorted(
        InvoiceLine.objects.values_list("invoice__external_id", "position", "net_amount")
    )
    return rows


def base_data():
    import_records("customers", [r.customer("C1"), r.customer("C2")])
    import_records("sites", [r.site("S1", "C1"), r.site("S2", "C2")])
    import_records("meters", [r.meter("M1", "C1", "S1"), r.meter("M2", "C2", "S2")])


def test_it_creates_records_and_reports_each_one():
    summary = import_records("customers", [r.customer("C1"), r.customer("C2")])

    assert statuses(summary) == ["created", "created"]
    assert Customer.objects.get(external_id="C1").name == "Wspólnota Mieszkaniowa ul. Długa 5"
    assert summary.batch.created == 2


def test_importing_a_batch_twice_equals_importing_it_once():
    base_data()
    batch = [r.reading(f"R{i}", meter="M1" if i % 2 else "M2", value=f"{i}.000") for i in range(50)]
    import_records("readings", batch)
    after_once = state()

    summary = import_records("readings", batch)

    assert set(statuses(summary)) == {"unchanged"}
    assert state() == after_once


def test_a_shuffled_batch_gives_the_same_state():
    batch = [r.customer(f"C{i}", version=i % 3 + 1, name=f"Kontrahent {i}") for i in range(40)]
    # The same record in several versions: the newest wins wherever it is in the batch.
    batch += [
        r.customer("C7", version=1, name="stara nazwa"),
        r.customer("C7", version=9, name="nowa"),
    ]
    with pytest.raises(Rollback), transaction.atomic():
        import_records("customers", batch)
        first = state()
        raise Rollback
    assert not Customer.objects.exists()

    shuffled = batch[:]
    random.Random(4).shuffle(shuffled)
    import_records("customers", shuffled, chunk_size=7)

    assert state() == first
    assert Customer.objects.get(external_id="C7").name == "nowa"


def test_a_newer_version_updates_the_record():
    import_records("customers", [r.customer("C1", version=1, name="Stara")])

    summary = import_records("customers", [r.customer("C1", version=2, name="Nowa")])

    assert statuses(summary) == ["updated"]
    assert Customer.objects.get(external_id="C1").name == "Nowa"


def test_an_out_of_order_older_version_is_refused():
    import_records("customers", [r.customer("C1", version=5, name="Nowa")])

    summary = import_records("customers", [r.customer("C1", version=4, name="Stara")])

    assert statuses(summary) == ["error"]
    assert "starszą wersję 4" in summary.results[0].message
    assert Customer.objects.get(external_id="C1").name == "Nowa"


def test_the_same_version_with_other_data_is_refused():
    import_records("customers", [r.customer("C1", version=3, name="Pierwsza")])

    summary = import_records("customers", [r.customer("C1", version=3, name="Inna")])

    assert statuses(summary) == ["error"]
    assert Customer.objects.get(external_id="C1").name == "Pierwsza"


def test_a_cancellation_keeps_the_record_and_marks_it():
    import_records("customers", [r.customer("C1", version=1)])
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

    summary = import_records(
        "customers", [r.customer("C1", version=2, cancelled_at=when.isoformat())]
    )

    assert statuses(summary) == ["updated"]
    assert Customer.objects.get(external_id="C1").cancelled_at == when


def test_unknown_fields_are_an_error_for_that_record_only():
    summary = import_records("customers", [r.customer("C1", colour="blue"), r.customer("C2")])

    assert statuses(summary) == ["error", "created"]
    assert summary.results[0].message == "colour: nieznane pole"
    assert not Customer.objects.filter(external_id="C1").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": ""}, "name: nieprawidłowa wartość"),
        ({"kind": "alien"}, "kind: nieprawidłowa wartość"),
        ({"payer_code": "x" * 21}, "payer_code: nieprawidłowa wartość"),
        ({"version": -1}, "version: nieprawidłowa wartość"),
        ({"name": "a\x00b"}, "name: nieprawidłowa wartość"),
    ],
)
def test_invalid_values_are_reported_in_polish(change, expected):
    summary = import_records("customers", [r.customer("C1", **change)])

    assert summary.results[0].status == "error"
    assert summary.results[0].message.startswith(expected)


def test_a_missing_required_field_is_reported():
    record = r.customer("C1")
    del record["name"]

    summary = import_records("customers", [record])

    assert summary.results[0].message == "name: brak wymaganego pola"


def test_a_reference_to_an_unknown_record_is_an_error():
    summary = import_records("sites", [r.site("S1", customer="NOPE")])

    assert statuses(summary) == ["error"]
    assert "customer: NOPE" in summary.results[0].message


def test_a_duplicate_unique_number_fails_only_that_record():
    import_records("customers", [r.customer("C1", payer_code="111")])

    summary = import_records(
        "customers", [r.customer("C2", payer_code="111"), r.customer("C3", payer_code="333")]
    )

    assert statuses(summary) == ["error", "created"]
    assert "zdublowany" in summary.results[0].message
    assert Customer.objects.filter(external_id="C3").exists()


def test_invoices_come_with_lines_pdf_and_ksef_data():
    import_records("customers", [r.customer("C1")])
    pdf = "JVBERi0xLjQKJSBkZW1vCg=="  # "%PDF-1.4\n% demo\n"

    summary = import_records(
        "invoices",
        [
            r.invoice(
                "F1",
                pdf_base64=pdf,
                ksef_number="5260250995-20261031-0123456789AB-CD",
                ksef_xml="<Faktura/>",
            )
        ],
    )

    assert statuses(summary) == ["created"]
    invoice = Invoice.objects.get(external_id="F1")
    assert invoice.lines.get().net_amount == Decimal("800.00")
    assert invoice.pdf.read().startswith(b"%PDF-1.4")
    assert invoice.ksef_xml.read() == b"<Faktura/>"


def test_a_new_invoice_version_replaces_its_lines():
    import_records("customers", [r.customer("C1")])
    import_records("invoices", [r.invoice("F1")])
    newer = r.invoice("F1", version=2)
    newer["lines"] = [dict(newer["lines"][0], description="Korekta opisu")]

    import_records("invoices", [newer])

    assert list(InvoiceLine.objects.values_list("description", flat=True)) == ["Korekta opisu"]


def test_an_invoice_whose_totals_do_not_add_up_is_refused():
    import_records("customers", [r.customer("C1")])

    summary = import_records("invoices", [r.invoice("F1", gross_amount="1.00")])

    assert statuses(summary) == ["error"]
    assert "gross_amount" in summary.results[0].message


def test_a_correction_may_come_before_the_invoice_it_corrects():
    import_records("customers", [r.customer("C1")])
    correction = r.invoice("K1", kind="correction", corrected_invoice="F1")

    summary = import_records("invoices", [correction, r.invoice("F1")], chunk_size=1)

    assert statuses(summary) == ["created", "created"]
    assert Invoice.objects.get(external_id="K1").corrected_invoice.external_id == "F1"


def test_payments_point_at_customers_and_invoices():
    import_records("customers", [r.customer("C1")])
    import_records("invoices", [r.invoice("F1")])

    summary = import_records(
        "payments", [r.payment("P1", invoice="F1", amount="984,00".replace(",", "."))]
    )

    assert statuses(summary) == ["created"]
    assert Payment.objects.get().invoice.external_id == "F1"


def test_a_dry_run_writes_nothing():
    summary = import_records("customers", [r.customer("C1")], dry_run=True)

    assert statuses(summary) == ["created"]
    assert not Customer.objects.exists()
    assert not ImportBatch.objects.exists()
    assert CompanySettings.get().last_billing_sync is None


def test_a_finished_import_sets_the_portal_last_update_time(customer_client):
    import_records("customers", [r.customer("C1")])

    assert CompanySettings.get().last_billing_sync is not None
    assert "Ostatnio zaktualizowano" in customer_client.get("/kontrahent/").content.decode()
