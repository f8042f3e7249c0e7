"""Company settings at /obsluga/ustawienia/: administrators edit, every change is
validated, audited, kept in the history and seen at once."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from ebok.core.models import AuditLogEntry, CompanySettings, CompanySettingsChange
from tests import factories
from tests.backoffice.admin_files import image_bytes, upload

URL = "/obsluga/ustawienia/"

VALID = {
    "company_name": "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o.",
    "company_short_name": "MPEC",
    "street": "ul. Ciepłownicza 1",
    "postal_code": "85-950",
    "city": "Bydgoszcz",
    "nip": "526-025-09-95",
    "regon": "",
    "krs": "",
    "bank_name": "Bank Testowy",
    # PL61 1090 1014 0000 0712 1981 2874: the standard example of a valid Polish IBAN.
    "bank_account": "PL61 1090 1014 0000 0712 1981 2874",
    "phone": "52 123 45 67",
    "email": "bok@mpec.example",
    "website": "",
    "office_hours": "pn.–pt. 7:00–15:00",
    "welcome_text": "",
    "personal_data_clause": "",
    "marketing_objection_text": "Sprzeciw",
    "attachment_formats_text": "PDF, JPG",
    "accessibility_statement": "",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_client(client):
    admin = factories.make_operator(role="Administrator", username="admin1")
    client.force_login(admin)
    return client


def test_an_administrator_saves_the_company_data_and_everybody_sees_it_at_once(admin_client):
    CompanySettings.get()  # cached before the change, as on every node
    response = admin_client.post(URL, VALID)
    assert response.status_code == 302
    config = CompanySettings.get()
    assert config.company_short_name == "MPEC"
    assert config.nip == "5260250995"  # dashes dropped by stdnum
    assert config.bank_account == "61109010140000071219812874"  # 26 digits, PL dropped
    page = admin_client.get(URL).content.decode()
    assert "MPEC" in page


def test_each_change_is_in_the_history_with_old_and_new_values_and_in_the_audit_log(
    admin_client,
):
    admin_client.post(URL, VALID)
    admin_client.post(URL, {**VALID, "phone": "52 765 43 21"})
    last = CompanySettingsChange.objects.first()
    assert last.changes == {"phone": {"old": "52 123 45 67", "new": "52 765 43 21"}}
    assert last.changed_by.username == "admin1"
    entry = AuditLogEntry.objects.filter(action="core.configuration.changed").first()
    assert entry.data["phone"] == {"old": "52 123 45 67", "new": "52 765 43 21"}
    history = admin_client.get("/obsluga/ustawienia/historia/").content.decode()
    assert "52 765 43 21" in history and "52 123 45 67" in history
    assert "telefon" in history


def test_saving_without_changes_writes_no_history(admin_client):
    admin_client.post(URL, VALID)
    admin_client.post(URL, VALID)
    assert CompanySettingsChange.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "5260250994", "NIP jest nieprawidłowy"),
        ("bank_account", "PL61 1090 1014 0000 0712 1981 2875", "Numer rachunku jest nieprawidłowy"),
        ("bank_account", "DE89370400440532013000", "polski numer rachunku"),
        ("postal_code", "85950", "00-000"),
        ("company_name", "", "To pole jest wymagane"),
    ],
)
def test_wrong_values_are_refused_in_polish_and_what_was_typed_is_kept(
    admin_client, field, value, message
):
    response = admin_client.post(URL, {**VALID, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "ul. Ciepłownicza 1" in html  # the rest of the form is kept
    assert CompanySettingsChange.objects.count() == 0


def test_text_fields_are_plain_text_never_markup(admin_client):
    admin_client.post(URL, {**VALID, "company_name": "<script>alert(1)</script> PEC"})
    html = admin_client.get("/obsluga/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; PEC" in html


def test_a_png_logo_is_stored_and_served_in_the_header(admin_client):
    logo = image_bytes(200, 60)
    response = admin_client.post(URL, {**VALID, "logo_upload": upload("logo.png", logo)})
    assert response.status_code == 302
    config = CompanySettings.get()
    assert config.logo.name.startswith("branding/logo-") and config.logo.name.endswith(".png")
    assert default_storage.exists(config.logo.name)
    served = admin_client.get("/logo/")
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == logo
    assert 'class="brand__logo"' in admin_client.get("/obsluga/").content.decode()
    change = CompanySettingsChange.objects.first()
    assert change.changes["logo"]["new"] == config.logo.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "PNG lub JPEG"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "uszkodzony"),
        ("logo.png", image_bytes(1200, 100), "najwyżej 1000 × 1000 pikseli (ma 1200 × 100)"),
        ("logo.gif", b"GIF89a" + b"\x00" * 40, "PNG lub JPEG"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(admin_client, name, content, message):
    response = admin_client.post(URL, {**VALID, "logo_upload": upload(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CompanySettings.get().logo


def test_a_logo_over_512_kb_is_refused(admin_client):
    import os

    big = image_bytes(900, 900, "PNG")[:-12] + os.urandom(600 * 1024)
    response = admin_client.post(URL, {**VALID, "logo_upload": upload("logo.png", big)})
    assert "najwyżej 512 KB" in response.content.decode()


def test_the_logo_can_be_removed(admin_client):
    admin_client.post(URL, {**VALID, "logo_upload": upload("logo.jpg", image_bytes(fmt="JPEG"))})
    assert CompanySettings.get().logo
    admin_client.post(URL, {**VALID, "remove_logo": "on"})
    assert not CompanySettings.get().logo
    assert admin_client.get("/logo/").status_code == 404


def test_a_plain_operator_may_not_open_the_settings(client):
    client.force_login(factories.make_operator())
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403


def test_the_settings_menu_lists_the_settings_pages(admin_client):
    html = admin_client.get(URL).content.decode()
    for href in [
        "/obsluga/ustawienia/historia/",
        "/obsluga/ustawienia/regulamin/",
        "/obsluga/ustawienia/pisma/",
        "/obsluga/operatorzy/",
        "/obsluga/audyt/",
    ]:
        assert f'href="{href}"' in html
    assert 'aria-current="page">Dane firmy' in html


def test_the_old_letters_configuration_address_redirects_to_the_settings(admin_client):
    response = admin_client.get("/obsluga/pisma/konfiguracja/")
    assert response.status_code == 301
    assert response["Location"] == "/obsluga/ustawienia/pisma/"


@pytest.mark.django_db
def test_a_saved_configuration_is_not_served_stale_from_the_cache():
    cache.delete(CompanySettings.CACHE_KEY)
    first = CompanySettings.get()
    assert first.company_short_name == "PEC"
    CompanySettings.objects.filter(pk=1).update(company_short_name="X")  # no save(): stale
    assert CompanySettings.get().company_short_name == "PEC"
    row = CompanySettings.objects.get(pk=1)
    row.company_short_name = "NOWA"
    row.save()
    assert CompanySettings.get().company_short_name == "NOWA"


def test_the_history_takes_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    admin_client.post(URL, VALID)
    admin_client.get("/obsluga/ustawienia/historia/")
    with django_assert_max_num_queries(12):  # one change
        admin_client.get("/obsluga/ustawienia/historia/")
    for i in range(10):
        admin_client.post(URL, {**VALID, "phone": f"52 000 00 {i:02d}"})
    with django_assert_max_num_queries(12):  # the same with many
        response = admin_client.get("/obsluga/ustawienia/historia/")
    assert len(response.context["rows"]) == 11
