"""Back office: integration API keys (permission accounts.manage_api_keys)."""

import pytest
from django.contrib.auth.models import Permission

from ebok.core.models import AuditLogEntry
from ebok.integration.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = factories.make_operator(role="Administrator", username="admin1")
    admin.user_permissions.add(Permission.objects.get(codename="manage_api_keys"))
    client.force_login(admin)
    return client


def test_an_administrator_creates_a_key_and_sees_it_once(admin_client):
    response = admin_client.post(
        "/obsluga/integracja/klucze/nowy/", {"name": "System rozliczeń", "scopes": ["import"]}
    )

    html = response.content.decode()
    key = ApiKey.objects.get()
    raw = html.split('id="raw-key" value="')[1].split('"')[0]
    assert key.key_hash == ApiKey.digest(raw)
    assert key.scopes == ["import"]
    assert "nie będzie można go wyświetlić ponownie" in html
    assert raw not in admin_client.get("/obsluga/integracja/klucze/").content.decode()
    assert AuditLogEntry.objects.filter(action="integration.api_key.created").exists()


def test_the_form_keeps_input_and_explains_errors(admin_client):
    response = admin_client.post("/obsluga/integracja/klucze/nowy/", {"name": "Archiwum"})

    html = response.content.decode()
    assert "Wybierz co najmniej jedno uprawnienie." in html
    assert 'value="Archiwum"' in html
    assert not ApiKey.objects.exists()


def test_revoking_a_key_locks_it_out_at_once(admin_client, client):
    key, raw = ApiKey.generate("Stary system", ["import"])

    admin_client.post(f"/obsluga/integracja/klucze/{key.pk}/uniewaznij/")

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditLogEntry.objects.filter(action="integration.api_key.revoked").exists()
    response = client.post(
        "/api/v1/import/customers",
        {"records": []},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 401


def test_revoking_needs_post(admin_client):
    key, _raw = ApiKey.generate("System", ["import"])

    assert admin_client.get(f"/obsluga/integracja/klucze/{key.pk}/uniewaznij/").status_code == 405


@pytest.mark.parametrize("url", ["/obsluga/integracja/klucze/", "/obsluga/integracja/klucze/nowy/"])
def test_an_operator_without_the_permission_gets_403(operator_client, url):
    assert operator_client.get(url).status_code == 403


def test_an_operator_without_the_permission_cannot_revoke(operator_client):
    key, _raw = ApiKey.generate("System", ["import"])

    assert (
        operator_client.post(f"/obsluga/integracja/klucze/{key.pk}/uniewaznij/").status_code == 403
    )
    key.refresh_from_db()
    assert key.revoked_at is None


def test_a_customer_gets_403_and_a_stranger_the_login_page(customer_client, client):
    assert customer_client.get("/obsluga/integracja/klucze/").status_code == 403
    customer_client.logout()
    response = client.get("/obsluga/integracja/klucze/")
    assert response.status_code == 302


@pytest.mark.parametrize("keys", [1, 6])
def test_the_list_uses_a_constant_number_of_queries(
    admin_client, keys, django_assert_max_num_queries
):
    from ebok.integration.importer import import_records
    from tests.integration import records as r

    for i in range(keys):
        ApiKey.generate(f"Integracja {i}", ["import", "export"])
        import_records("customers", [r.customer(f"C{i}", payer_code=f"9{i}")])

    with django_assert_max_num_queries(12):
        response = admin_client.get("/obsluga/integracja/klucze/")

    assert response.content.decode().count("Integracja ") >= keys
