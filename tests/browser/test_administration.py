"""From an empty database to a working back office, in the browser, as docs/deployment.md
tells an administrator: `createadmin` → the setup link → password → log in → enrol TOTP →
company data and logo → terms → a new operator who sets a password from the e-mail,
enrols TOTP, logs in and verifies a pending registration. Every new page passes axe."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from ebok.accounts.models import Registration, User
from tests import factories
from tests.backoffice.admin_files import image_bytes, pdf_bytes
from tests.browser.manual import link_path, mail_to

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "Węzeł-Cieplny-2027"
OPERATOR_PASSWORD = "Kaloryfer-Biuro-2027"


def unconfirmed_code(user) -> str:
    """The six digits the phone shows while enrolling (the device is not confirmed yet)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def set_password(page, path, password):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ustaw hasło")
    page.locator("input[name=new_password1]").fill(password)
    page.locator("input[name=new_password2]").fill(password)
    page.get_by_role("button", name="Zapisz hasło").click()
    expect(page).to_have_url(re.compile(r"/logowanie/"))


def log_in_and_enrol(page, username, password, axe_check):
    page.goto("/logowanie/")
    page.locator("main").get_by_label("Login").fill(username)
    page.locator("main").get_by_label("Hasło").fill(password)
    page.locator("main").get_by_role("button", name="Zaloguj się").click()
    # No authenticator yet: the code page sends an operator to the enrolment.
    expect(page).to_have_url(re.compile(r"/konto/weryfikacja-dwuetapowa/wlacz/"))
    axe_check(page)
    user = User.objects.get(username=username)
    page.get_by_label("Kod weryfikacyjny").fill(unconfirmed_code(user))
    page.get_by_role("button", name="Włącz").click()
    page.get_by_role("link", name="Zapisałem kody, dalej").click()


def test_from_an_empty_database_to_a_working_back_office(
    page, live_server, axe_check, assert_fits_360, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert not User.objects.exists()

    # 1. createadmin prints the one-time setup link.
    out = io.StringIO()
    call_command("createadmin", "--username", "admin", "--email", "admin@mpec.example", stdout=out)
    admin_path = link_path(out.getvalue(), "/obsluga/konto/ustaw-haslo/")
    page.goto(admin_path)
    axe_check(page)
    set_password(page, admin_path, ADMIN_PASSWORD)

    # 2. Log in, enrol TOTP, land in the back office.
    log_in_and_enrol(page, "admin", ADMIN_PASSWORD, axe_check)
    page.goto("/obsluga/")
    page.get_by_role("navigation", name="Menu obsługi").get_by_role(
        "link", name="Ustawienia"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ustawienia: dane firmy")

    # 3. Company data and logo (a wrong NIP first: refused, what was typed kept).
    page.get_by_label("nazwa firmy").fill("Miejskie Przedsiębiorstwo Energetyki Cieplnej")
    page.get_by_label("nazwa skrócona").fill("MPEC")
    page.get_by_label("NIP").fill("526-025-09-94")
    page.get_by_label("rachunek bankowy").fill("PL61 1090 1014 0000 0712 1981 2874")
    page.get_by_role("button", name="Zapisz ustawienia").click()
    expect(page.locator("#id_nip_error")).to_contain_text("NIP jest nieprawidłowy")
    expect(page.get_by_label("nazwa skrócona")).to_have_value("MPEC")
    axe_check(page)
    page.get_by_label("NIP").fill("526-025-09-95")
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_bytes(240, 80))
    page.get_by_label("Nowe logo").set_input_files(str(logo))
    page.get_by_role("button", name="Zapisz ustawienia").click()
    expect(page.locator(".messages")).to_contain_text("Zapisano ustawienia firmy.")
    expect(page.locator(".brand__name")).to_have_text("MPEC")
    expect(page.locator("img.brand__logo")).to_be_visible()
    # The image loads after the page: wait until the browser has decoded it.
    page.wait_for_function("() => document.querySelector('img.brand__logo').complete")
    assert page.evaluate("() => document.querySelector('img.brand__logo').naturalWidth") == 240
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "admin-settings")
    page.get_by_role("link", name="Historia zmian").click()
    expect(page.locator("main table")).to_contain_text("5260250995")
    axe_check(page)
    screenshot(page, "admin-settings-history")

    # 4. Terms of use as a PDF, effective today.
    page.get_by_role("link", name="Regulamin i RODO").click()
    page.get_by_label("regulamin", exact=True).check()
    page.get_by_label("Wersja").fill("2027.1")
    page.get_by_label("Obowiązuje od").fill(timezone.localdate().isoformat())
    terms = tmp_path / "regulamin.pdf"
    terms.write_bytes(pdf_bytes("Regulamin eBOK MPEC 2027.1"))
    page.get_by_label("Plik PDF").set_input_files(str(terms))
    page.get_by_role("button", name="Dodaj wersję").click()
    expect(page.locator(".messages")).to_contain_text("w wersji 2027.1")
    expect(page.locator("main table")).to_contain_text("obowiązuje")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "admin-terms")

    # Online request types: one switched off, in the administrator's order.
    page.get_by_role("link", name="Wnioski internetowe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ustawienia: wnioski internetowe")
    page.locator("input[name='raty-active']").uncheck()
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator(".messages")).to_contain_text("Zapisano ustawienia wniosków")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "admin-request-types")

    # 5. A new operator.
    page.get_by_role("link", name="Pracownicy BOK").click()
    page.get_by_role("link", name="Dodaj pracownika").click()
    axe_check(page)
    page.get_by_label("Login").fill("ewa.nowak")
    page.get_by_label("Imię").fill("Ewa")
    page.get_by_label("Nazwisko").fill("Nowak")
    page.get_by_label("Adres e-mail").fill("ewa.nowak@mpec.example")
    page.get_by_role("button", name="Utwórz konto i wyślij e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pracownik: ewa.nowak")
    axe_check(page)
    screenshot(page, "admin-operator")
    page.get_by_role("link", name="Wstecz do listy pracowników").click()
    expect(page.locator("main table")).to_contain_text("ewa.nowak")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "admin-operators")
    page.get_by_role("link", name="Dziennik zdarzeń").click()
    expect(page.locator("main table")).to_contain_text("accounts.operator.created")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "admin-audit")
    page.get_by_role("button", name="Wyloguj").click()

    # 6. The operator sets a password from the e-mail, enrols TOTP and verifies a
    #    registration waiting for the office.
    customer = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Długa 5")
    registration = Registration.objects.create(
        payer_code=customer.payer_code,
        tax_id=customer.nip,
        document_number="FV/2026/10/00123",
        email="zarzad@dluga5.example.com",
        customer=customer,
        payer_code_matches=True,
        tax_id_matches=True,
        document_matches=True,
        status=Registration.Status.AWAITING_VERIFICATION,
        email_confirmed_at=timezone.now(),
    )
    mail = mail_to("ewa.nowak@mpec.example", "ustaw hasło")
    set_password(page, link_path(mail.body, "/obsluga/konto/ustaw-haslo/"), OPERATOR_PASSWORD)
    log_in_and_enrol(page, "ewa.nowak", OPERATOR_PASSWORD, axe_check)
    page.goto("/obsluga/rejestracje/")
    page.goto(f"/obsluga/rejestracje/{registration.pk}/")
    page.get_by_role("button", name="Zatwierdź i utwórz konto").click()
    expect(page.locator(".messages")).to_contain_text("Wydrukuj list z hasłem jednorazowym")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert registration.decided_by.username == "ewa.nowak"
    # An operator is no administrator: the settings stay closed.
    assert page.goto("/obsluga/ustawienia/").status == 403


def test_a_customer_accepts_new_terms_once_and_returns_to_the_page(
    page, live_server, login_as, axe_check, assert_fits_360, screenshot, tmp_path, settings
):
    from ebok.core import terms, uploads
    from tests.backoffice.admin_files import upload

    settings.MEDIA_ROOT = tmp_path / "media"
    customer = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Gdańska 12")
    login_as(page, factories.make_user(customers=[customer], username="gdanska12"))
    checked = uploads.validate_uploads([upload("regulamin.pdf", pdf_bytes("Regulamin 2027.1"))])
    terms.add_version(
        kind="terms",
        version="2027.1",
        effective_from=timezone.localdate(),
        checked=checked[0],
        request=None,
    )
    page.goto("/faktury/")
    expect(page).to_have_url(re.compile(r"/regulamin/akceptacja/\?next=%2Ffaktury%2F"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nowy regulamin")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    screenshot(page, "terms-accept")
    page.get_by_role("button", name="Akceptuję i przechodzę dalej").click()
    expect(page.locator("#id_accepted_error")).to_be_visible()
    axe_check(page)
    page.get_by_label("Zapoznałem(-am) się z regulaminem i akceptuję go").check()
    page.get_by_role("button", name="Akceptuję i przechodzę dalej").click()
    expect(page).to_have_url(re.compile(r"/faktury/$"))
    page.goto("/")
    expect(page).not_to_have_url(re.compile(r"akceptacja"))
