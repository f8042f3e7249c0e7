"""`manage.py import_billing PATH`: CSV and JSON Lines batch files from billing."""

import json

import pytest
from django.core.management import CommandError, call_command

from ebok.contracts.models import Reading
from ebok.customers.models import Customer
from ebok.integration.models import ImportBatch
from tests.integration import records as r

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_billing", *map(str, args), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


CSV = (
    "external_id;version;payer_code;name;street;postal_code;city;kind;marketing_objection\n"
    "C1;1;500001;Wspólnota „Zielona”;ul. Długa 5;85-001;Bydgoszcz;community;tak\n"
    "C2;1;500002;Spółdzielnia Mieszkaniowa;ul. Krótka 1;85-002;Bydgoszcz;cooperative;\n"
)


def test_a_csv_file_is_imported_and_summarised(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")

    out = run(path)

    assert (
        "customers from customers.csv: 2 records — created 2, updated 0, unchanged 0, errors 0"
        in out
    )
    assert Customer.objects.get(external_id="C1").marketing_objection is True
    assert Customer.objects.get(external_id="C2").name == "Spółdzielnia Mieszkaniowa"
    assert ImportBatch.objects.get().file_name == "customers.csv"


def test_importing_the_file_again_changes_nothing(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")
    run(path)

    out = run(path)

    assert "created 0, updated 0, unchanged 2, errors 0" in out


def test_a_comma_delimited_file_with_decimal_commas(tmp_path):
    run_jsonl = tmp_path / "setup.jsonl"
    run_jsonl.write_text("\n".join(json.dumps(x) for x in [r.customer("C1")]), encoding="utf-8")
    run(run_jsonl, "--kind", "customers")
    (tmp_path / "sites.jsonl").write_text(json.dumps(r.site("S1")), encoding="utf-8")
    run(tmp_path / "sites.jsonl")
    (tmp_path / "meters.jsonl").write_text(json.dumps(r.meter("M1")), encoding="utf-8")
    run(tmp_path / "meters.jsonl")
    path = tmp_path / "odczyty.csv"
    path.write_text(
        'external_id,version,meter,read_on,value,consumption,source\nR1,1,M1,2026-10-31,"1234,5","12,25",remote\n',
        encoding="utf-8",
    )

    out = run(path, "--kind", "readings", "--delimiter", ",")

    assert "created 1" in out
    assert str(Reading.objects.get().value) == "1234.500"


def test_errors_are_listed_with_the_record_number(tmp_path):
    path = tmp_path / "customers.jsonl"
    path.write_text(
        json.dumps(r.customer("C1"))
        + "\n{broken\n"
        + json.dumps(r.customer("C2", colour="red"))
        + "\n",
        encoding="utf-8",
    )

    out = run(path)

    assert "created 1, updated 0, unchanged 0, errors 2" in out
    assert "record 2 (?): wiersz 2: nieprawidłowy JSON" in out
    assert "record 3 (C2): colour: nieznane pole" in out


def test_a_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")

    out = run(path, "--dry-run")

    assert out.startswith("DRY RUN (nothing written)")
    assert not Customer.objects.exists()


def test_the_kind_must_be_known(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(CSV, encoding="utf-8")

    with pytest.raises(CommandError, match="--kind"):
        run(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "customers.csv")


def test_the_chunk_size_must_be_positive(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CSV, encoding="utf-8")

    with pytest.raises(CommandError, match="chunk-size"):
        run(path, "--chunk-size", "0")
