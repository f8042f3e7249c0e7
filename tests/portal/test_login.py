from tests.factories import PASSWORD


def test_customer_logs_in_and_sees_start_page(client, customer_user, customer):
    response = client.post("/logowanie/", {"username": "jan", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert customer.name in response.content.decode()


def test_wrong_password_keeps_login_and_says_why(client, customer_user):
    response = client.post("/logowanie/", {"username": "jan", "password": "nie-to-haslo"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="jan"' in html
    assert "Nieprawidłowy login lub hasło" in html


def test_logout_is_post_only(customer_client):
    assert customer_client.get("/wyloguj/").status_code == 405
    response = customer_client.post("/wyloguj/")
    assert response.status_code == 302
    assert customer_client.get("/kontrahent/").status_code == 302
