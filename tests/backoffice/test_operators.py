"""Operators and roles at /obsluga/operatorzy/: create with a set-password e-mail,
change roles, disable, reset the authenticator; the rules that keep an administrator."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts import operators
from ebok.accounts.models import LoginEvent, User
from ebok.core.models import AuditLogEntry, OutgoingEmail
from tests import factories


@pytest.fixture
def admin(db):
    return factories.make_operator(role="Administrator", username="admin1")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


NEW = {
    "username": "ewa.nowak",
    "first_name": "Ewa",
    "last_name": "Nowak",
    "email": "ewa.nowak@mpec.example",
    "roles": ["Operator"],
}


def _link_path(mail: OutgoingEmail) -> str:
    link = re.search(r"https?://\S+/obsluga/konto/ustaw-haslo/\S+/", mail.body).group(0)
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_new_operator_gets_an_email_with_a_one_time_link_to_set_the_password(admin_client):
    client = Client()
    response = admin_client.post("/obsluga/operatorzy/nowy/", NEW)
    person = User.objects.get(username="ewa.nowak")
    assert response.status_code == 302
    assert response["Location"] == f"/obsluga/operatorzy/{person.pk}/"
    assert not person.has_usable_password()
    assert [g.name for g in person.groups.all()] == ["Operator"]
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["ewa.nowak@mpec.example"]
    assert "Login: ewa.nowak" in mail.body
    assert AuditLogEntry.objects.filter(action="accounts.operator.created").exists()

    path = _link_path(mail)
    admin_client.logout()
    assert client.get(path).status_code == 200
    done = client.post(
        path, {"new_password1": "Ciepło-Sieć-2027", "new_password2": "Ciepło-Sieć-2027"}
    )
    assert done.status_code == 302 and done["Location"] == "/logowanie/"
    person.refresh_from_db()
    assert person.check_password("Ciepło-Sieć-2027")
    # Spent: the link derives from the password hash.
    again = client.get(path)
    assert again.status_code == 400
    assert "wygasł albo został już użyty" in again.content.decode()


def test_the_new_operator_must_enrol_totp_at_the_first_back_office_visit(admin_client):
    client = Client()
    admin_client.post("/obsluga/operatorzy/nowy/", NEW)
    person = User.objects.get(username="ewa.nowak")
    person.set_password("Ciepło-Sieć-2027")
    person.save()
    person._skip_2fa = True
    client.force_login(person)
    response = client.get("/obsluga/")
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/kod/")
    assert client.get(response["Location"])["Location"].startswith(
        "/konto/weryfikacja-dwuetapowa/wlacz/"
    )


def test_a_taken_login_and_a_missing_role_are_refused_with_what_was_typed_kept(admin_client):
    factories.make_user(username="zajety")
    response = admin_client.post(
        "/obsluga/operatorzy/nowy/", {**NEW, "username": "zajety", "roles": []}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ten login jest już zajęty." in html
    assert "Wybierz co najmniej jedną rolę." in html
    assert 'value="ewa.nowak@mpec.example"' in html


def test_the_list_shows_roles_two_factor_and_the_last_login(admin_client, admin):
    person = factories.make_operator(username="jan.audytor", role="Audytor")
    LoginEvent.objects.create(user=person, username=person.username, success=True)
    html = admin_client.get("/obsluga/operatorzy/").content.decode()
    assert "jan.audytor" in html and "audytor (tylko odczyt)" in html
    assert "admin1" in html and "administrator" in html


def test_the_list_takes_a_constant_number_of_queries(admin_client, django_assert_max_num_queries):
    for i in range(3):
        factories.make_operator(username=f"op{i}")
    admin_client.get("/obsluga/operatorzy/")
    for i in range(3, 13):
        factories.make_operator(username=f"op{i}")
    with django_assert_max_num_queries(12) as small:
        admin_client.get("/obsluga/operatorzy/")
    for i in range(13, 30):
        factories.make_operator(username=f"op{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get("/obsluga/operatorzy/")


def test_roles_are_changed_and_audited(admin_client):
    person = factories.make_operator(username="kolega")
    admin_client.post(f"/obsluga/operatorzy/{person.pk}/role/", {"roles": ["Operator", "Audytor"]})
    assert sorted(operators.role_names(person)) == ["Audytor", "Operator"]
    entry = AuditLogEntry.objects.get(action="accounts.operator.roles_changed")
    assert entry.data == {"old": ["Operator"], "new": ["Audytor", "Operator"]}


def test_an_administrator_cannot_remove_their_own_administrator_role(admin_client, admin):
    factories.make_operator(role="Administrator", username="admin2")
    response = admin_client.post(f"/obsluga/operatorzy/{admin.pk}/role/", {"roles": ["Operator"]})
    assert response.status_code == 302
    assert operators.role_names(admin) == ["Administrator"]
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nie możesz odebrać sobie roli administratora." in page


def test_the_last_active_administrator_is_kept(admin, db):
    other = factories.make_operator(role="Administrator", username="admin2")
    admin.is_active = False
    admin.save()
    with pytest.raises(operators.OperatorError, match="co najmniej jeden aktywny administrator"):
        operators.set_roles(other, ["Operator"], by=admin)
    with pytest.raises(operators.OperatorError, match="co najmniej jeden aktywny administrator"):
        operators.set_active(other, False, by=admin)


def test_an_administrator_cannot_disable_themselves(admin_client, admin):
    admin_client.post(f"/obsluga/operatorzy/{admin.pk}/aktywnosc/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def test_disabling_an_operator_ends_their_sessions_at_once(admin_client):
    person = factories.make_operator(username="kolega")
    client = Client()
    client.force_login(person)
    assert client.get("/obsluga/").status_code == 200
    admin_client.post(f"/obsluga/operatorzy/{person.pk}/aktywnosc/", {"active": "0"})
    response = client.get("/obsluga/")
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/")
    assert AuditLogEntry.objects.filter(action="accounts.operator.disabled").exists()
    admin_client.post(f"/obsluga/operatorzy/{person.pk}/aktywnosc/", {"active": "1"})
    person.refresh_from_db()
    assert person.is_active


def test_resetting_the_authenticator_deletes_the_devices_and_ends_the_sessions(admin_client):
    person = factories.make_operator(username="kolega")
    client = Client()
    client.force_login(person)  # a TOTP device and a verified session
    StaticDevice.objects.create(user=person, name="kody zapasowe", confirmed=True)
    assert client.get("/obsluga/").status_code == 200
    admin_client.post(f"/obsluga/operatorzy/{person.pk}/uwierzytelnianie/")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    response = client.get("/obsluga/")
    assert response.status_code == 302 and response["Location"].startswith("/logowanie/")
    assert AuditLogEntry.objects.filter(action="accounts.operator.authenticator_reset").exists()


def test_a_customer_user_is_not_an_operator_here(admin_client, customer_user):
    assert admin_client.get(f"/obsluga/operatorzy/{customer_user.pk}/").status_code == 404


def test_a_plain_operator_may_not_manage_operators(client, db):
    client.force_login(factories.make_operator())
    assert client.get("/obsluga/operatorzy/").status_code == 403
    assert client.post("/obsluga/operatorzy/nowy/", NEW).status_code == 403


def test_a_setup_link_expires(admin, settings, client):
    from unittest import mock

    person = operators.create_operator(username="nowy", email="n@example.com", roles=["Operator"])
    path = "/" + operators.setup_link(person).split("/", 3)[3]
    assert client.get(path).status_code == 200
    later = operators.setup_tokens._num_seconds(operators.setup_tokens._now()) + 73 * 3600
    with mock.patch.object(operators.SetupTokenGenerator, "_num_seconds", return_value=later):
        assert client.get(path).status_code == 400


def test_the_invitation_can_be_sent_again(admin_client):
    person = operators.create_operator(username="nowy", email="n@example.com", roles=["Operator"])
    admin_client.post(f"/obsluga/operatorzy/{person.pk}/zaproszenie/")
    assert OutgoingEmail.objects.filter(to=["n@example.com"]).count() == 2


def test_roles_exist_as_groups_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Operator",
        "Administrator",
        "Audytor",
    }
