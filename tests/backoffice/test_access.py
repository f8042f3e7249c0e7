def test_back_office_sends_anonymous_to_login(client, db):
    response = client.get("/obsluga/")
    assert response.status_code == 302
    assert "/logowanie/" in response["Location"]


def test_back_office_refuses_customers(customer_client):
    assert customer_client.get("/obsluga/").status_code == 403


def test_back_office_opens_for_operators(operator_client):
    assert operator_client.get("/obsluga/").status_code == 200
