"""Wnioski internetowe: every registered type is a form that registers a letter with its
structured data and a PDF; the list shows my requests with their status."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ebok.letters import request_types
from ebok.letters.models import Letter, LetterKind
from tests import factories
from tests.letters.files import form_token

LIST = reverse("portal:requests")


def url(code):
    return reverse("portal:request_new", args=[code])


def first_of_next_month():
    today = timezone.localdate()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def valid_data(code, customer):
    contract = factories.make_contract(
        customer, ordered_capacity_mw=Decimal("0.2500"), tariff_group="A1"
    )
    future = (timezone.localdate() + timedelta(days=40)).isoformat()
    if code == "zmiana-mocy":
        return {
            "contract": contract.pk,
            "new_capacity_mw": "0.3000",
            "effective_from": first_of_next_month().isoformat(),
        }
    if code == "rozwiazanie-umowy":
        return {
            "contract": contract.pk,
            "termination_date": future,
            "reason": "building_sold",
            "notice_ack": "on",
        }
    if code == "zmiana-grupy-taryfowej":
        return {
            "contract": contract.pk,
            "new_tariff_group": "b2",
            "effective_from": future,
            "justification": "Zmiana sposobu zasilania.",
        }
    if code == "zaswiadczenie-o-niezaleganiu":
        return {"purpose": "przetarg", "delivery": "email", "email": "ksiegowosc@example.com"}
    if code == "zgoda-e-faktura":
        return {"email": "faktury@example.com", "consent": "on"}
    if code == "wycofanie-zgody-e-faktura":
        return {"effective_from": timezone.localdate().isoformat(), "withdrawal": "on"}
    if code == "raty":
        past = timezone.localdate() - timedelta(days=30)
        invoice = factories.make_invoice(
            customer,
            issue_date=past - timedelta(days=14),
            sale_date=past - timedelta(days=14),
            due_date=past,
        )
        return {
            "invoices": [invoice.pk],
            "instalments": "6",
            "justification": "Trudna sytuacja finansowa.",
        }
    if code == "sprawdzenie-licznika":
        meter = factories.make_meter(customer)
        return {
            "meter": meter.pk,
            "reason": "Zużycie dwa razy większe niż rok temu.",
            "cost_ack": "on",
        }
    raise AssertionError(code)


def test_the_registry_ships_the_required_types():
    codes = {t.code for t in request_types.all_types()}
    assert {
        "zmiana-mocy",
        "rozwiazanie-umowy",
        "zmiana-grupy-taryfowej",
        "zaswiadczenie-o-niezaleganiu",
        "zgoda-e-faktura",
        "wycofanie-zgody-e-faktura",
        "raty",
        "sprawdzenie-licznika",
    } <= codes


def test_the_list_offers_every_type(customer_client):
    html = customer_client.get(LIST).content.decode()
    for t in request_types.all_types():
        assert str(t.title) in html and url(t.code) in html


@pytest.mark.parametrize("code", [t.code for t in request_types.all_types()])
def test_each_request_type_registers_a_letter_with_data_and_pdf(customer_client, customer, code):
    data = {"form_token": form_token(customer_client, url(code)), **valid_data(code, customer)}
    response = customer_client.post(url(code), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.ONLINE_REQUEST
    assert letter.number.startswith("PR/")
    assert letter.request_type == code
    assert letter.structured_data["type"] == code and letter.structured_data["fields"]
    assert {f["name"] for f in letter.structured_data["fields"]}.isdisjoint(
        {"form_token", "attachments", "comment"}
    )
    pdf = letter.attachments.get(source="document")
    text = PdfReader(BytesIO(pdf.file.read())).pages[0].extract_text()
    assert letter.number in text
    assert str(request_types.get(code).title) in text
    listed = customer_client.get(LIST).content.decode()
    assert letter.number in listed and "przyjęte" in listed


def test_capacity_change_validates_its_fields(customer_client, customer):
    contract = factories.make_contract(customer, ordered_capacity_mw=Decimal("0.2500"))
    response = customer_client.post(
        url("zmiana-mocy"),
        {
            "contract": contract.pk,
            "new_capacity_mw": "0.2500",
            "effective_from": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    html = response.content.decode()
    assert "Nowa moc jest taka sama jak obecna." in html
    assert "Data musi być późniejsza niż dzisiejsza." in html
    assert Letter.objects.count() == 0


def test_a_request_cannot_name_another_customers_contract(
    customer_client, customer, other_customer
):
    foreign = factories.make_contract(other_customer)
    response = customer_client.post(
        url("zmiana-mocy"),
        {
            "contract": foreign.pk,
            "new_capacity_mw": "1",
            "effective_from": first_of_next_month().isoformat(),
        },
    )
    assert "Wybierz poprawną wartość" in response.content.decode()
    assert Letter.objects.count() == 0


def test_certificate_by_email_needs_an_address(customer_client):
    response = customer_client.post(
        url("zaswiadczenie-o-niezaleganiu"), {"purpose": "x", "delivery": "email"}
    )
    assert "Podaj adres e-mail, na który wyślemy zaświadczenie." in response.content.decode()


def test_an_unknown_type_is_404(customer_client):
    assert customer_client.get(url("nie-ma-takiego")).status_code == 404


def test_a_chosen_option_is_stored_and_shown_by_its_label(customer_client, customer):
    code = "zaswiadczenie-o-niezaleganiu"
    data = {"form_token": form_token(customer_client, url(code)), "purpose": "Przetarg"}
    customer_client.post(url(code), {**data, "delivery": "pickup"})
    letter = Letter.objects.get()
    shown = {f["name"]: f["value"] for f in letter.structured_data["fields"]}
    assert shown["delivery"] == "odbiór osobisty w BOK"  # not its letters joined by commas
    html = customer_client.get(reverse("portal:letter_detail", args=[letter.pk])).content
    assert "odbiór osobisty w BOK" in html.decode()


def test_another_customers_requests_are_not_listed(customer_client, other_customer, customer):
    from ebok.letters import services

    class Form:
        cleaned_data = {"purpose": "x", "delivery": "pickup"}
        fields = {}

    services.submit_online_request(
        customer=other_customer,
        request_type=request_types.get("zaswiadczenie-o-niezaleganiu"),
        form=Form(),
        user=None,
    )
    foreign = Letter.objects.get()
    assert foreign.number not in customer_client.get(LIST).content.decode()
    assert (
        customer_client.get(reverse("portal:letter_detail", args=[foreign.pk])).status_code == 404
    )


def test_my_requests_list_uses_constant_queries(
    customer_client, customer, django_assert_max_num_queries
):
    from ebok.letters import services

    class Form:
        cleaned_data = {"purpose": "przetarg", "delivery": "pickup"}
        fields = {}

    certificate = request_types.get("zaswiadczenie-o-niezaleganiu")
    services.submit_online_request(
        customer=customer, request_type=certificate, form=Form(), user=None
    )
    with django_assert_max_num_queries(15) as small:
        customer_client.get(LIST)
    for _ in range(5):
        services.submit_online_request(
            customer=customer, request_type=certificate, form=Form(), user=None
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = customer_client.get(LIST).content.decode()
    assert html.count("przyjęte") == 6


def test_the_cached_contract_choices_are_the_customers_own_and_follow_a_new_contract(
    client, customer, other_customer
):
    mine = factories.make_contract(customer, number="UM/MOJA/1")
    theirs = factories.make_contract(other_customer, number="UM/CUDZA/1")
    client.force_login(factories.make_user(customers=[customer]))
    for _ in range(2):  # the second time from the cache
        html = client.get(url("zmiana-mocy")).content.decode()
        assert f'value="{mine.pk}"' in html and "UM/MOJA/1" in html
        assert "UM/CUDZA/1" not in html and f'value="{theirs.pk}"' not in html
    client.force_login(factories.make_user(customers=[other_customer]))
    html = client.get(url("zmiana-mocy")).content.decode()
    assert "UM/CUDZA/1" in html and "UM/MOJA/1" not in html
    # A contract saved later renews the customer's stamp: it is offered at once.
    added = factories.make_contract(other_customer, number="UM/NOWA/2")
    assert f'value="{added.pk}"' in client.get(url("zmiana-mocy")).content.decode()
