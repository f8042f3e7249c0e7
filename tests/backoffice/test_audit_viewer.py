"""The audit log at /obsluga/audyt/: filters, paging, CSV as Polish spreadsheets open it;
administrators and auditors only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ebok.core.models import AuditLogEntry
from tests import factories

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def entries(customer, operator):
    other = factories.make_operator(username="operator2")
    rows = [
        (
            "backoffice.customer.viewed",
            operator,
            "customers.customer",
            customer.pk,
            {},
            (2026, 11, 2, 9),
        ),
        ("letters.letter.answered", operator, "letters.letter", 7, {}, (2026, 11, 3, 10)),
        (
            "accounts.operator.created",
            other,
            "accounts.user",
            9,
            {"roles": ["Operator"]},
            (2026, 11, 4, 23),
        ),
        (
            "letters.letter.viewed",
            other,
            "letters.letter",
            8,
            {"customer_id": customer.pk},
            (2026, 11, 5, 0),
        ),
    ]
    made = []
    for action, user, otype, oid, data, when in rows:
        entry = AuditLogEntry.objects.create(
            action=action,
            user=user,
            object_type=otype,
            object_id=str(oid),
            data=data,
            ip="10.0.0.1",
        )
        AuditLogEntry.objects.filter(pk=entry.pk).update(created_at=datetime(*when, tzinfo=WARSAW))
        made.append(entry)
    return made


@pytest.fixture
def auditor_client(client, db):
    client.force_login(factories.make_operator(role="Audytor", username="audytor1"))
    return client


def _actions(response):
    return [
        e.action
        for e in response.context["page"].object_list
        if e.action != "core.audit_log.viewed"
    ]


def test_the_auditor_sees_every_entry_newest_first(auditor_client, entries):
    response = auditor_client.get("/obsluga/audyt/")
    assert response.status_code == 200
    assert _actions(response) == [
        "letters.letter.viewed",
        "accounts.operator.created",
        "letters.letter.answered",
        "backoffice.customer.viewed",
    ]


def test_filters_by_action_prefix_user_and_local_days(auditor_client, entries):
    assert _actions(auditor_client.get("/obsluga/audyt/?action=letters.")) == [
        "letters.letter.viewed",
        "letters.letter.answered",
    ]
    assert _actions(auditor_client.get("/obsluga/audyt/?user=operator2")) == [
        "letters.letter.viewed",
        "accounts.operator.created",
    ]
    # 4 Nov 23:00 and 5 Nov 00:00 Warsaw time are different days.
    assert _actions(auditor_client.get("/obsluga/audyt/?od=2026-11-04&do=2026-11-04")) == [
        "accounts.operator.created"
    ]


def test_the_customer_filter_finds_entries_about_the_customer(auditor_client, entries, customer):
    response = auditor_client.get(f"/obsluga/audyt/?customer={customer.payer_code}")
    assert _actions(response) == ["letters.letter.viewed", "backoffice.customer.viewed"]
    assert _actions(auditor_client.get("/obsluga/audyt/?customer=000000")) == []


def test_a_reversed_date_range_is_explained(auditor_client, entries):
    response = auditor_client.get("/obsluga/audyt/?od=2026-11-05&do=2026-11-01")
    html = response.content.decode()
    assert "Data „od” jest późniejsza niż data „do”." in html
    assert 'value="2026-11-05"' in html and 'value="2026-11-01"' in html


@pytest.mark.parametrize("value", ["garbage", "2026-13-45", "2026-11-04" * 500])
def test_a_date_that_is_not_one_is_an_error_that_keeps_the_input(auditor_client, entries, value):
    response = auditor_client.get("/obsluga/audyt/", {"od": value, "action": "letters."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wpisz poprawną datę." in html and f'value="{value}"' in html
    csv = auditor_client.get("/obsluga/audyt/eksport.csv", {"od": value})
    assert csv.status_code == 200


def test_the_filter_keeps_its_order_labels_and_date_pickers(auditor_client, entries):
    html = auditor_client.get("/obsluga/audyt/").content.decode()
    names = ['name="action"', 'name="user"', 'name="customer"', 'name="od"', 'name="do"']
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Od dnia" in html and "Do dnia" in html
    assert html.count('type="date"') == 2


def test_the_csv_has_the_same_selection_in_the_polish_spreadsheet_format(auditor_client, entries):
    response = auditor_client.get("/obsluga/audyt/eksport.csv?user=operator2")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dziennik-zdarzen-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffCzas;Czynność;Użytkownik;Adres IP;")
    lines = text.strip("\ufeff").strip().split("\r\n")
    assert len(lines) == 3
    assert lines[1].startswith("2026-11-05 00:00:00;letters.letter.viewed;operator2;10.0.0.1;")
    assert '{""roles"": [""Operator""]}' in lines[2]


def test_a_formula_in_an_entry_stays_text_in_the_csv(auditor_client, db):
    AuditLogEntry.objects.create(action="x.y", object_repr="=HYPERLINK(1)")
    text = auditor_client.get("/obsluga/audyt/eksport.csv?action=x.").content.decode()
    assert ";'=HYPERLINK(1);" in text


def test_opening_and_exporting_the_log_are_audited(auditor_client, entries):
    auditor_client.get("/obsluga/audyt/?action=letters.")
    auditor_client.get("/obsluga/audyt/eksport.csv")
    assert AuditLogEntry.objects.filter(action="core.audit_log.viewed").get().data == {
        "action": "letters."
    }
    assert AuditLogEntry.objects.filter(action="core.audit_log.exported").exists()


def test_the_page_takes_a_constant_number_of_queries(
    auditor_client, entries, django_assert_max_num_queries
):
    auditor_client.get("/obsluga/audyt/")
    with django_assert_max_num_queries(12) as few:
        auditor_client.get("/obsluga/audyt/")
    for _i in range(40):
        AuditLogEntry.objects.create(action="bulk.entry", user=factories.make_operator())
    with django_assert_max_num_queries(len(few.captured_queries)):
        auditor_client.get("/obsluga/audyt/")


def test_operators_may_not_read_the_audit_log(operator_client):
    assert operator_client.get("/obsluga/audyt/").status_code == 403
    assert operator_client.get("/obsluga/audyt/eksport.csv").status_code == 403
