"""Finding 4 of the outside audit: hostile input that crashed the server (500). Each
request, rerun: now a clear 400 or a form error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.letters.files import PDF


def _files(n):
    return [
        SimpleUploadedFile(f"plik{i}.pdf", PDF, content_type="application/pdf") for i in range(n)
    ]


@pytest.mark.parametrize("url", ["/uwagi/nowa/", "/logowanie/"])
def test_more_than_a_hundred_files_get_a_400_not_a_500(client, db, url):
    response = client.post(url, {"attachments": _files(101)})
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "", "9" * 19, "-1", "1.5"])
def test_switching_to_a_customer_that_is_no_number_is_a_400(customer_client, value):
    response = customer_client.post("/kontrahent/wybierz/", {"customer": value})
    assert response.status_code == 400


def test_switching_without_the_field_is_a_400(customer_client):
    assert customer_client.post("/kontrahent/wybierz/", {}).status_code == 400


def test_switching_to_someone_elses_customer_is_still_a_404(customer_client, other_customer):
    response = customer_client.post("/kontrahent/wybierz/", {"customer": other_customer.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("invoice_id", ["1" + "0" * 18, "9" * 19, "9" * 40, "-" + "9" * 19])
def test_an_instalment_request_for_a_huge_invoice_id_is_a_form_error(
    customer_client, customer, invoice_id
):
    response = customer_client.post(
        "/wnioski/nowy/raty/",
        {"invoices": [invoice_id], "instalments": "3", "justification": "Proszę o raty."},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_assigning_a_letter_to_a_huge_operator_id_is_refused_politely(client, customer):
    from ebok.letters import services
    from ebok.letters.models import LetterKind

    letter = services.submit_letter(
        kind=LetterKind.INCOMING, description="Pismo", customer=customer
    ).letter
    client.force_login(factories.make_operator())
    response = client.post(f"/obsluga/pisma/{letter.pk}/prowadzacy/", {"operator": "9" * 19})
    assert response.status_code == 302  # back to the letter with "choose from the list"


@pytest.mark.parametrize(
    "url",
    [
        "/obsluga/kontrahenci/?q=%00",
        "/obsluga/kontrahenci/?q=abc%00def",
        "/obsluga/pisma/?q=%00",
        "/faktury/historia/?od=%00",
    ],
)
def test_a_nul_character_in_a_filter_is_a_400(client, customer_user, url):
    client.force_login(factories.make_operator() if "obsluga" in url else customer_user)
    assert client.get(url).status_code == 400


def test_a_nul_character_in_a_form_field_is_a_400(client, db):
    response = client.post("/przypomnienie/", {"what": "password", "identifier": "a\x00b"})
    assert response.status_code == 400


def test_a_nul_character_in_an_api_path_is_a_json_400(client, db):
    response = client.get("/api/v1/export/attachments/a%00b/1")
    assert response.status_code == 400
    assert response.json() == {"detail": "NUL characters are not allowed."}
