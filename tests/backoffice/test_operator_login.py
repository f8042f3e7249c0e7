"""Operators log in on the same page as customers and land in the back office."""

from tests import factories


def test_an_operator_without_customers_lands_in_the_back_office_after_login(client, operator):
    response = client.post(
        "/logowanie/", {"username": "operator1", "password": factories.PASSWORD}, follow=True
    )
    # 2FA is mandatory for operators: the first visit to /obsluga/ starts the enrolment.
    assert (
        response.redirect_chain[-1][0] == "/konto/weryfikacja-dwuetapowa/wlacz/?next=%2Fobsluga%2F"
    )
    assert "Włącz weryfikację dwuetapową" in response.content.decode()


def test_an_operator_opening_the_portal_home_is_sent_to_the_back_office(operator_client):
    response = operator_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/obsluga/"


def test_a_user_without_customers_who_is_no_operator_still_sees_the_explanation(client, db):
    client.force_login(factories.make_user())
    response = client.get("/")
    assert response.status_code == 403
    assert "nie przypisano żadnego kontrahenta" in response.content.decode()
