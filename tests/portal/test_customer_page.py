from tests import factories


def test_customer_page_shows_billing_data_with_pesel_masked(client, db):
    person = factories.make_customer(
        name="Jan Kowalski", kind="person", nip="", pesel="44051401359", phone="52 123 45 67"
    )
    user = factories.make_user(customers=[person])
    client.force_login(user)

    html = client.get("/kontrahent/").content.decode()

    assert "Jan Kowalski" in html
    assert "52 123 45 67" in html
    assert "44051401359" not in html
    assert "*******1359" in html


def test_customer_page_formats_nip_and_lists_contracts(customer_client, customer):
    factories.make_contract(customer, number="UM/00077/2021")
    html = customer_client.get("/kontrahent/").content.decode()
    assert "526-025-09-95" in html
    assert "UM/00077/2021" in html


def test_property_manager_switches_customer_but_not_to_a_foreign_one(client, db):
    a = factories.make_customer(name="Wspólnota A")
    b = factories.make_customer(name="Wspólnota B")
    foreign = factories.make_customer(name="Obca Spółdzielnia")
    manager = factories.make_user(customers=[a, b])
    client.force_login(manager)

    client.post("/kontrahent/wybierz/", {"customer": b.pk, "next": "/kontrahent/"})
    assert "Wspólnota B" in client.get("/kontrahent/").content.decode()

    response = client.post("/kontrahent/wybierz/", {"customer": foreign.pk})
    assert response.status_code == 404
    assert "Obca Spółdzielnia" not in client.get("/kontrahent/").content.decode()
