"""A logged-in property manager asks for access to one more customer; an operator verifies."""

from ebok.accounts.models import Registration
from ebok.core.models import OutgoingEmail


def test_a_manager_requests_access_and_gets_it_after_verification(
    customer_client, customer_user, billing_customer, client
):
    page = customer_client.get("/konto/dostep/").content.decode()
    assert "Dostęp do kolejnego kontrahenta" in page
    response = customer_client.post(
        "/konto/dostep/",
        {
            "payer_code": "204455",
            "tax_id": "5260250995",
            "document_number": "FV/2026/10/00123",
            "data_correct": "on",
        },
        follow=True,
    )
    assert "Wniosek został złożony" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.kind == Registration.Kind.ACCESS
    assert registration.status == Registration.Status.AWAITING_VERIFICATION
    assert registration.user == customer_user and registration.fully_matched
    # The applicant does not learn whose data matched.
    assert billing_customer.name not in customer_client.get("/konto/dostep/").content.decode()

    from tests import factories

    operator_client = type(client)()
    operator_client.force_login(factories.make_operator())
    operator_client.post(f"/obsluga/rejestracje/{registration.pk}/zatwierdz/")
    assert billing_customer.accesses.filter(user=customer_user).exists()
    assert OutgoingEmail.objects.filter(
        subject="Dostęp do kolejnego kontrahenta w systemie eBOK"
    ).exists()
    page = customer_client.get("/").content.decode()
    assert "Wspólnota Mieszkaniowa ul. Długa 5" in page  # now in the header switcher


def test_an_invalid_request_is_explained(customer_client, db):
    response = customer_client.post(
        "/konto/dostep/", {"payer_code": "", "tax_id": "123", "document_number": ""}
    )
    page = response.content.decode()
    assert "To nie jest poprawny NIP ani PESEL" in page
    assert Registration.objects.count() == 0


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/konto/dostep/")
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/")


def test_an_access_granted_during_a_session_shows_in_the_switcher_at_the_next_page(
    customer_client, customer_user, db
):
    from tests import factories

    assert 'id="customer-select"' not in customer_client.get("/").content.decode()
    second = factories.make_customer(name="Spółdzielnia Druga")
    second.accesses.create(user=customer_user)  # an operator approves an access request
    page = customer_client.get("/").content.decode()
    assert 'id="customer-select"' in page and "Spółdzielnia Druga" in page
