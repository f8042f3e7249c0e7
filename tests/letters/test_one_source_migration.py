"""The migrations that leave each letter fact in one place, run on rows stored the old
way: replies marked by direction, online requests' answers in their own table, data
changes' values on the letter."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("letters", "0002_default_remark_types"), ("customers", "0003_datachangerequest_letter")]
AFTER = [
    ("letters", "0004_drop_direction_and_online_request"),
    ("customers", "0004_data_change_values_in_one_place"),
]
WHEN = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
ANSWERS = {
    "type": "zaswiadczenie-o-niezaleganiu",
    "title": "Zaświadczenie o niezaleganiu",
    "fields": [{"name": "purpose", "label": "Cel", "value": "przetarg"}],
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    apps = migrate(BEFORE)
    Customer = apps.get_model("customers", "Customer")
    Letter = apps.get_model("letters", "Letter")
    OnlineRequest = apps.get_model("letters", "OnlineRequest")
    DataChangeRequest = apps.get_model("customers", "DataChangeRequest")
    customer = Customer.objects.create(external_id="K1", payer_code="1001", name="Jan Nowak")

    def letter(number, **kw):
        return Letter.objects.create(number=number, customer=customer, created_at=WHEN, **kw)

    incoming = letter("PR/1", kind="incoming")
    letter("PW/1", kind="incoming", direction="out", in_reply_to=incoming)  # a reply by direction
    letter("PW/2", kind="reply", direction="out", in_reply_to=incoming)
    both = letter("PR/2", kind="online_request", request_type=ANSWERS["type"])
    both.structured_data = ANSWERS
    both.save()
    OnlineRequest.objects.create(
        letter=both, customer=customer, request_type=ANSWERS["type"], data=ANSWERS
    )
    only_row = letter("PR/3", kind="online_request")
    OnlineRequest.objects.create(
        letter=only_row, customer=customer, request_type=ANSWERS["type"], data=ANSWERS
    )
    values = {"old": {"phone": "52 111 11 11"}, "new": {"phone": "52 222 22 22"}}
    with_row = letter("PR/4", kind="data_change", structured_data=values)
    DataChangeRequest.objects.create(
        customer=customer,
        letter=with_row,
        old_values=values["old"],
        new_values=values["new"],
    )
    letter("PR/5", kind="data_change", structured_data=values)  # no row: an older bug's letter
    differing = letter("PR/6", kind="data_change", structured_data=values)
    DataChangeRequest.objects.create(
        customer=customer, letter=differing, old_values={}, new_values={"fax": "1"}
    )
    yield
    migrate(AFTER)  # the rest of the suite runs on the latest schema


def test_old_rows_keep_every_fact_in_its_one_place(old_rows):
    apps = migrate(AFTER)
    Letter = apps.get_model("letters", "Letter")
    DataChangeRequest = apps.get_model("customers", "DataChangeRequest")
    kinds = dict(Letter.objects.values_list("number", "kind"))
    assert kinds["PW/1"] == "reply" and kinds["PW/2"] == "reply" and kinds["PR/1"] == "incoming"
    for number in ("PR/2", "PR/3"):
        online = Letter.objects.get(number=number)
        assert online.request_type == "zaswiadczenie-o-niezaleganiu"
        assert online.structured_data == ANSWERS
    assert "letters_onlinerequest" not in connection.introspection.table_names()

    same = DataChangeRequest.objects.get(letter__number="PR/4")
    assert same.new_values == {"phone": "52 222 22 22"}
    assert Letter.objects.get(number="PR/4").structured_data == {}
    created = DataChangeRequest.objects.get(letter__number="PR/5")
    assert created.old_values == {"phone": "52 111 11 11"}
    assert created.new_values == {"phone": "52 222 22 22"}
    assert created.created_at == WHEN
    assert Letter.objects.get(number="PR/5").structured_data == {}
    # A letter whose copy says something else than its row keeps its copy.
    assert Letter.objects.get(number="PR/6").structured_data["new"] == {"phone": "52 222 22 22"}
    assert DataChangeRequest.objects.get(letter__number="PR/6").new_values == {"fax": "1"}


def test_the_migrations_reverse_to_the_old_rows(old_rows):
    migrate(AFTER)
    apps = migrate(BEFORE)
    Letter = apps.get_model("letters", "Letter")
    OnlineRequest = apps.get_model("letters", "OnlineRequest")
    directions = dict(Letter.objects.values_list("number", "direction"))
    assert directions == {
        "PR/1": "in",
        "PW/1": "out",
        "PW/2": "out",
        "PR/2": "in",
        "PR/3": "in",
        "PR/4": "in",
        "PR/5": "in",
        "PR/6": "in",
    }
    assert sorted(OnlineRequest.objects.values_list("letter__number", flat=True)) == [
        "PR/2",
        "PR/3",
    ]
    assert OnlineRequest.objects.get(letter__number="PR/3").data == ANSWERS
    assert Letter.objects.get(number="PR/4").structured_data == {
        "old": {"phone": "52 111 11 11"},
        "new": {"phone": "52 222 22 22"},
    }
