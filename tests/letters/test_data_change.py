"""Zmiana danych: pre-filled with current data, old and new values stored, registered as a
letter "Zmiana danych Podmiotu - dokument eBOK"; the operator sees a diff and marks it applied."""

from django.urls import reverse

from ebok.core.models import AuditLogEntry
from ebok.customers.models import DataChangeRequest
from ebok.letters.models import Letter, LetterStatus
from tests.letters.files import form_token, upload

URL = reverse("portal:data_change")


def form_data(client, customer, **changes):
    data = {
        "form_token": form_token(client, URL),
        "name": customer.name,
        "nip": customer.nip,
        "regon": customer.regon,
        "phone": customer.phone,
        "fax": customer.fax,
        "email": customer.email,
        "street": customer.street,
        "postal_code": customer.postal_code,
        "city": customer.city,
        "declaration": "on",
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_with_current_data(customer_client, customer):
    html = customer_client.get(URL).content.decode()
    for label in [
        "Nazwa podmiotu",
        "NIP",
        "REGON",
        "Telefon",
        "Faks",
        "Adres e-mail",
        "Adres",
        "Kod pocztowy",
        "Poczta",
        "Adres korespondencyjny",
        "Sprzeciw",
        "Poprawność danych",
        "Załączniki",
    ]:
        assert label in html
    assert f'value="{customer.name}"' in html
    assert f'value="{customer.street}"' in html


def test_a_change_is_registered_with_old_and_new_values(customer_client, customer):
    response = customer_client.post(
        URL,
        form_data(
            customer_client,
            customer,
            phone="52 123 45 67",
            has_correspondence_address="on",
            correspondence_street="ul. Pocztowa 1",
            correspondence_postal_code="85-950",
            correspondence_city="Bydgoszcz",
            attachments=[upload("uchwala.pdf")],
        ),
        follow=True,
    )
    letter = Letter.objects.get()
    assert letter.get_kind_display() == "Zmiana danych Podmiotu - dokument eBOK"
    assert letter.number in response.content.decode()
    change = DataChangeRequest.objects.get()
    assert change.old_values["phone"] == "" and change.new_values["phone"] == "52 123 45 67"
    assert change.new_values["correspondence_street"] == "ul. Pocztowa 1"
    assert {c[0] for c in change.changes()} == {
        "phone",
        "has_correspondence_address",
        "correspondence_street",
        "correspondence_postal_code",
        "correspondence_city",
    }
    assert letter.attachments.get().original_name == "uchwala.pdf"
    customer.refresh_from_db()
    assert customer.phone == ""  # the data itself changes only when billing sends it back
    detail = customer_client.get(reverse("portal:letter_detail", args=[letter.pk])).content.decode()
    assert "Zgłoszone zmiany" in detail and "52 123 45 67" in detail and "ul. Pocztowa 1" in detail


def test_invalid_values_are_refused_with_polish_messages(customer_client, customer):
    response = customer_client.post(
        URL,
        form_data(customer_client, customer, nip="1234567890", postal_code="85001", declaration=""),
    )
    html = response.content.decode()
    assert "Nieprawidłowy NIP." in html
    assert "Podaj kod pocztowy w postaci 00-000." in html
    assert "Potwierdź poprawność danych." in html
    assert Letter.objects.count() == 0


def test_no_change_is_not_sent(customer_client, customer):
    response = customer_client.post(URL, form_data(customer_client, customer))
    assert "Nie wprowadzono żadnej zmiany." in response.content.decode()
    assert Letter.objects.count() == 0


def test_the_operator_sees_the_diff_and_marks_it_applied(client, customer, customer_user, operator):
    client.force_login(customer_user)
    client.post(URL, form_data(client, customer, name="Wspólnota Mieszkaniowa Gdańska 12A"))
    letter = Letter.objects.get()
    client.force_login(operator)
    detail = reverse("backoffice:letter_detail", args=[letter.pk])
    html = client.get(detail).content.decode()
    assert "Zmiana danych: porównanie" in html
    assert "Wspólnota Mieszkaniowa ul. Gdańska 12" in html
    assert "<strong>Wspólnota Mieszkaniowa Gdańska 12A</strong>" in html
    client.post(reverse("backoffice:data_change_applied", args=[letter.pk]))
    change = DataChangeRequest.objects.get()
    assert change.applied_at is not None and change.applied_by == operator
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    assert AuditLogEntry.objects.filter(
        action="customers.data_change.applied", user=operator
    ).exists()
    assert "Wprowadzono" in client.get(detail).content.decode()
