"""Registration at /rejestracja/: validation, matching, consents, CAPTCHA, throttling."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from ebok.accounts.models import Registration
from ebok.core.models import CompanySettings, OutgoingEmail
from tests.accounts.conftest import registration_data


def configure(**values):
    config = CompanySettings.get()
    for key, value in values.items():
        setattr(config, key, value)
    config.save()


def test_the_form_shows_the_manuals_fields_and_required_marks(client, db):
    page = client.get("/rejestracja/").content.decode()
    for label in [
        "Kod płatnika",
        "Nazwa",
        "Adres",
        "NIP/PESEL",
        "Numer ostatniej faktury lub umowy",
        "Adres e-mail",
        "Zapoznałem się z regulaminem",
        "Przepisz kod z obrazka",
    ]:
        assert label in page
    assert "oznaczone są gwiazdką" in page
    assert 'href="/regulamin/"' in page


def test_a_matching_registration_is_stored_with_consents_and_a_confirmation_mail(
    client, billing_customer
):
    configure(personal_data_clause="Administratorem danych jest PEC.", terms_version="2.1")
    response = client.post("/rejestracja/", registration_data(), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == "/rejestracja/wyslano/"
    registration = Registration.objects.get()
    assert registration.customer == billing_customer
    assert registration.fully_matched
    assert registration.tax_id == "5260250995"
    assert registration.consent_text == "Administratorem danych jest PEC."
    assert registration.terms_version == "2.1"
    assert str(registration.ip) == "10.1.2.3"
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["zarzad@dluga5.example.com"]
    assert mail.subject == "Potwierdzenie rejestracji w systemie eBOK"
    assert "/rejestracja/potwierdz/" in mail.body
    assert "Jeśli to nie Pani/Pan" in mail.body
    page = client.get("/rejestracja/wyslano/").content.decode()
    assert "Konto zostało utworzone. Wymagane jest potwierdzenie podanego adresu e-mail" in page


def test_the_applicant_gets_the_same_answer_whether_or_not_anything_matched(
    client, billing_customer
):
    matching = client.post("/rejestracja/", registration_data())
    unknown = client.post(
        "/rejestracja/", registration_data(payer_code="999999", email="x@example.com")
    )
    wrong_document = client.post(
        "/rejestracja/", registration_data(document_number="FV/1/1", email="y@example.com")
    )
    assert matching.status_code == unknown.status_code == wrong_document.status_code == 302
    assert matching["Location"] == unknown["Location"] == wrong_document["Location"]
    assert OutgoingEmail.objects.count() == 3
    results = {
        r.payer_code + r.document_number: (
            r.payer_code_matches,
            r.tax_id_matches,
            r.document_matches,
        )
        for r in Registration.objects.all()
    }
    assert results["204455FV/2026/10/00123"] == (True, True, True)
    assert results["999999FV/2026/10/00123"] == (False, False, False)
    assert results["204455FV/1/1"] == (True, True, False)


def test_a_contract_number_is_accepted_as_the_document(client, billing_customer):
    from tests import factories

    factories.make_contract(billing_customer, number="UM/00077/2020")
    client.post("/rejestracja/", registration_data(document_number="um/00077/2020"))
    assert Registration.objects.get().document_matches


def test_bad_input_is_explained_in_polish_and_kept(client, db):
    data = registration_data(
        tax_id="1234567890",
        email="nie-email",
        consent_personal_data="",
        terms_accepted="",
        data_correct="",
    )
    response = client.post("/rejestracja/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "To nie jest poprawny NIP ani PESEL" in page
    assert "Wprowadź poprawny adres email" in page or "adres e-mail" in page
    assert "Bez zgody na przetwarzanie danych nie możemy założyć konta." in page
    assert "Zaznacz, że zapoznałeś(-aś) się z regulaminem." in page
    assert "Potwierdź poprawność wprowadzonych danych." in page
    assert 'value="204455"' in page
    assert Registration.objects.count() == 0


def test_a_wrong_captcha_is_refused(client, db, settings):
    response = client.post("/rejestracja/", registration_data(captcha_1="WRONG"))
    assert response.status_code == 200
    assert "Kod z obrazka jest nieprawidłowy" in response.content.decode()
    assert Registration.objects.count() == 0


def test_people_who_cannot_see_the_picture_can_listen_to_the_code(client, db):
    page = client.get("/rejestracja/?pytanie=1").content.decode()
    assert "Ile to jest" not in page  # the old question in words is gone
    assert "Odsłuchaj kod (nagranie WAV)" in page and "/captcha/dzwiek/" in page


def test_registrations_are_throttled_per_ip_address(client, db, settings):
    settings.EBOK_REGISTRATION_RATE_PER_HOUR = 2
    for i in range(2):
        assert (
            client.post(
                "/rejestracja/",
                registration_data(email=f"a{i}@example.com"),
                REMOTE_ADDR="10.0.0.9",
            ).status_code
            == 302
        )
    response = client.post(
        "/rejestracja/", registration_data(email="a3@example.com"), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "zbyt wiele zgłoszeń" in response.content.decode()
    # A forged X-Forwarded-For does not get around it; another address does.
    assert (
        client.post(
            "/rejestracja/",
            registration_data(email="a4@example.com"),
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="1.2.3.4",
        ).status_code
        == 429
    )
    assert (
        client.post(
            "/rejestracja/", registration_data(email="a5@example.com"), REMOTE_ADDR="10.0.0.10"
        ).status_code
        == 302
    )
    assert Registration.objects.count() == 3


def test_the_terms_can_be_read_and_downloaded(client, db):
    configure(terms_text="§ 1. Regulamin eBOK.", terms_version="3.0")
    assert "§ 1. Regulamin eBOK." in client.get("/regulamin/").content.decode()
    download = client.get("/regulamin/?pobierz=1")
    assert download["Content-Disposition"] == 'attachment; filename="regulamin-3.0.txt"'


def test_purge_registrations_deletes_expired_unconfirmed_ones(client, billing_customer):
    client.post("/rejestracja/", registration_data())
    client.post("/rejestracja/", registration_data(email="b@example.com"))
    stale, fresh = Registration.objects.order_by("pk")
    Registration.objects.filter(pk=stale.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("purge_registrations", "--dry-run")
    assert Registration.objects.count() == 2
    call_command("purge_registrations")
    assert list(Registration.objects.all()) == [fresh]
