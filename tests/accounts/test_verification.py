"""Operator side: the queue at /obsluga/rejestracje/, approval, one-time password letters,
rejection, permissions."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from ebok.accounts import services
from ebok.accounts.models import OneTimePassword, Registration, User
from ebok.accounts.services import generate_password
from ebok.core.models import AuditLogEntry, OutgoingEmail
from tests import factories
from tests.accounts.conftest import registration_data
from tests.pdf import pdf_text


@pytest.fixture
def confirmed(billing_customer):
    """A registration whose e-mail address was confirmed: waiting for the operator."""
    registration = services.register(
        data=registration_data(), consent_text="Klauzula", terms_version="1.0", ip="10.0.0.1"
    )
    services.confirm(registration)
    registration.refresh_from_db()
    return registration


@pytest.fixture
def verifier_client(client, db):
    operator = factories.make_operator(username="weryfikator")
    client.force_login(operator)
    return client


def test_the_queue_shows_the_match_result_per_field(verifier_client, confirmed):
    page = verifier_client.get("/obsluga/rejestracje/").content.decode()
    assert "204455" in page
    assert page.count("badge--ok") == 3
    detail = verifier_client.get(f"/obsluga/rejestracje/{confirmed.pk}/").content.decode()
    assert "należy do kontrahenta" in detail
    assert "Zatwierdź i utwórz konto" in detail


def test_approving_creates_the_user_and_the_access(verifier_client, confirmed, billing_customer):
    response = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/zatwierdz/", follow=True)
    assert "Konto 204455 utworzone" in response.content.decode()
    user = User.objects.get(username="204455")
    assert user.must_change_password
    assert not user.has_usable_password()
    assert billing_customer.accesses.filter(user=user).exists()
    assert AuditLogEntry.objects.filter(action="accounts.registration.approved").count() == 1


def test_the_letter_holds_login_address_and_a_password_that_is_stored_only_hashed(
    verifier_client, confirmed, tmp_path, caplog
):
    verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/zatwierdz/")
    caplog.set_level(logging.DEBUG)
    response = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/list/")
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "204455" in text
    assert "Zarząd Wspólnoty Długa 5" in text
    assert "ul. Żółkiewskiego 3/4" in text
    assert "85-950 Bydgoszcz" in text
    assert "Hasło jednorazowe" in text
    line = next(line for line in text.splitlines() if "Hasło jednorazowe:" in line)
    password = line.split(":")[1].strip()
    assert len(password) == 14
    # The clear password logs in, and it is nowhere in the database or the logs.
    user = User.objects.get(username="204455")
    assert user.check_password(password)
    assert user.password_expires_at is not None
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            for row in cursor.fetchall():
                assert password not in repr(row), table
    assert password not in caplog.text
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.LETTER_POSTED
    assert AuditLogEntry.objects.filter(action="accounts.one_time_password.issued").count() == 1


def test_after_printing_the_password_cannot_be_shown_again_and_regenerating_voids_it(
    verifier_client, confirmed, tmp_path
):
    verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/zatwierdz/")
    first = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/list/")
    old_password = (
        next(line for line in pdf_text(first.content).splitlines() if "Hasło jednorazowe:" in line)
        .split(":")[1]
        .strip()
    )
    again = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/list/", follow=True)
    assert again["Content-Type"].startswith("text/html")
    assert "hasła nie można pokazać ponownie" in again.content.decode()
    second = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/list/", {"regenerate": "1"})
    new_password = (
        next(line for line in pdf_text(second.content).splitlines() if "Hasło jednorazowe:" in line)
        .split(":")[1]
        .strip()
    )
    user = User.objects.get(username="204455")
    assert new_password != old_password
    assert user.check_password(new_password)
    assert not user.check_password(old_password)
    assert OneTimePassword.objects.filter(user=user, voided_at__isnull=False).count() == 1
    assert (
        AuditLogEntry.objects.filter(action="accounts.one_time_password.regenerated").count() == 1
    )


def test_all_letters_approved_today_print_in_one_pdf(verifier_client, db, tmp_path):
    for i in range(3):
        customer = factories.make_customer(payer_code=f"30000{i}", name=f"Kontrahent Nr {i}")
        factories.make_invoice(customer, number=f"FV/X/{i}")
        Registration.objects.create(
            payer_code=customer.payer_code,
            tax_id=customer.nip,
            document_number=f"FV/X/{i}",
            email=f"k{i}@example.com",
            customer=customer,
            payer_code_matches=True,
            tax_id_matches=True,
            document_matches=True,
            status=Registration.Status.AWAITING_VERIFICATION,
        )
    for registration in Registration.objects.all():
        verifier_client.post(f"/obsluga/rejestracje/{registration.pk}/zatwierdz/")
    assert "Drukuj 3 listów" in verifier_client.get("/obsluga/rejestracje/").content.decode()
    response = verifier_client.post("/obsluga/rejestracje/listy-z-dzisiaj/")
    text = pdf_text(response.content)
    assert text.count("Hasło jednorazowe:") == 3
    for i in range(3):
        assert f"Kontrahent Nr {i}" in text
    assert not Registration.objects.filter(status=Registration.Status.APPROVED).exists()


def test_rejecting_needs_a_reason_and_mails_the_applicant(verifier_client, confirmed):
    response = verifier_client.post(f"/obsluga/rejestracje/{confirmed.pk}/odrzuc/", {"reason": ""})
    assert response.status_code == 400
    OutgoingEmail.objects.all().delete()
    verifier_client.post(
        f"/obsluga/rejestracje/{confirmed.pk}/odrzuc/",
        {"reason": "Numer faktury nie należy do tego płatnika."},
    )
    confirmed.refresh_from_db()
    assert confirmed.status == Registration.Status.REJECTED
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["zarzad@dluga5.example.com"]
    assert "Numer faktury nie należy do tego płatnika." in mail.body
    assert AuditLogEntry.objects.filter(action="accounts.registration.rejected").count() == 1


def test_the_queue_needs_the_verification_permission(client, confirmed):
    assert client.get("/obsluga/rejestracje/").status_code == 302
    client.force_login(factories.make_user(customers=[confirmed.customer]))
    assert client.get("/obsluga/rejestracje/").status_code == 403
    operator = factories.make_operator()
    group = Group.objects.get(name="Operator")
    group.permissions.remove(*group.permissions.filter(codename="verify_registration"))
    client.force_login(User.objects.get(pk=operator.pk))
    assert client.get("/obsluga/rejestracje/").status_code == 403
    assert client.post(f"/obsluga/rejestracje/{confirmed.pk}/zatwierdz/").status_code == 403
    assert Registration.objects.get().status == Registration.Status.AWAITING_VERIFICATION


def test_an_operator_who_has_not_passed_two_factor_is_sent_to_the_code_page(client, db):
    from tests.conftest import force_login_without_2fa

    force_login_without_2fa(client, factories.make_operator())
    response = client.get("/obsluga/rejestracje/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/kod/")


@pytest.mark.parametrize("size", [2, 12])
def test_the_queue_takes_a_constant_number_of_queries(
    verifier_client, db, size, django_assert_max_num_queries
):
    for i in range(size):
        customer = factories.make_customer()
        Registration.objects.create(
            payer_code=customer.payer_code,
            tax_id="5260250995",
            document_number="X",
            email=f"q{i}@example.com",
            customer=customer,
            status=Registration.Status.AWAITING_VERIFICATION,
        )
    verifier_client.get("/obsluga/rejestracje/")
    with django_assert_max_num_queries(12):
        response = verifier_client.get("/obsluga/rejestracje/")
    assert response.content.decode().count("<tr>") == size + 1


def test_generated_passwords_are_random_and_mix_letters_and_digits():
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(any(c.isdigit() for c in p) and any(c.isalpha() for c in p) for p in passwords)


def test_pages_of_a_tab_stay_in_that_tab(verifier_client, db):
    for i in range(55):
        Registration.objects.create(
            payer_code=f"9{i:05d}",
            tax_id="5260250995",
            document_number="X",
            email=f"r{i}@example.com",
            status=Registration.Status.REJECTED,
        )
    page = verifier_client.get("/obsluga/rejestracje/?stan=odrzucone").content.decode()
    assert "?stan=odrzucone&amp;strona=2" in page
    assert (
        "90000"
        in verifier_client.get("/obsluga/rejestracje/?stan=odrzucone&strona=2").content.decode()
    )
