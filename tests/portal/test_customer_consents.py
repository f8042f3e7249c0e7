"""/kontrahent/ shows the consents given at registration and the marketing objection."""

from ebok.accounts.models import Registration
from tests import factories


def test_customer_page_shows_consents_from_the_users_registration(
    customer_client, customer, customer_user
):
    Registration.objects.create(
        payer_code=customer.payer_code,
        tax_id=customer.nip,
        document_number="FV/1",
        email="jan@example.com",
        consent_personal_data=True,
        terms_version="2.1",
        customer=customer,
        user=customer_user,
        status=Registration.Status.ACTIVE,
    )
    html = customer_client.get("/kontrahent/").content.decode()
    assert "Zgody i sprzeciw" in html
    assert "udzielona" in html
    assert "wersja 2.1" in html
    assert "nie zgłoszony" in html
    assert 'href="/kontrahent/zmiana-danych/"' in html


def test_the_marketing_objection_from_billing_is_shown(client, db):
    objecting = factories.make_customer(marketing_objection=True)
    client.force_login(factories.make_user(customers=[objecting]))
    html = client.get("/kontrahent/").content.decode()
    assert "zgłoszony" in html and "nie zgłoszony" not in html
