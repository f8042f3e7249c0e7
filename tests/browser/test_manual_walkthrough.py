"""The user manual walked in a real browser, one journey per test, as a new user would.

Each journey reads what a person reads: the activation link from the e-mail, the one-time
password from the printed letter (PDF text), the TOTP code from the operator's app."""

import importlib
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.manual import (
    NEW_PASSWORD,
    fill_captcha,
    link_path,
    log_in,
    log_in_operator,
    log_out,
    mail_to,
    make_operator_with_totp,
    menu,
    pdf_text,
)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def payer(transactional_db):
    """A housing community in the billing mirror: contract, meter with readings, invoices."""
    customer = factories.make_customer(
        name="Wspólnota Mieszkaniowa ul. Długa 5",
        payer_code="204455",
        nip="5260250995",
        correspondence_name="Zarząd Wspólnoty Długa 5",
        correspondence_street="ul. Żółkiewskiego 3/4",
        correspondence_postal_code="85-950",
        correspondence_city="Bydgoszcz",
    )
    site = factories.make_site(customer, street="ul. Długa 5")
    contract = factories.make_contract(customer, site=site, number="UM/00005/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65200005")
    day, value = date(2025, 10, 31), Decimal("1000.000")
    for month in range(12):
        value += Decimal("40.500")
        factories.make_reading(meter, read_on=day, value=value, consumption=Decimal(40 + month))
        day = (day + timedelta(days=31)).replace(day=28)
    overdue = factories.make_invoice(
        customer,
        contract=contract,
        number="FV/2026/09/00123",
        issue_date=date(2026, 9, 30),
        sale_date=date(2026, 9, 30),
        due_date=date(2026, 10, 14),
    )
    factories.make_invoice(customer, contract=contract, number="FV/2026/10/00123")
    factories.make_payment(customer, invoice=overdue, amount=Decimal("100.00"))
    return customer


def test_a_new_user_registers_is_verified_and_walks_the_self_service_manual(
    browser, live_server, page, payer, tmp_path, screenshot
):
    # --- Registration (manual: "Rejestracja użytkownika") ---
    page.goto("/")
    page.get_by_role("link", name=re.compile("Zarejestruj")).first.click()
    expect(page.locator("h1")).to_have_text("Rejestracja użytkownika")
    form = page.locator("main form")
    form.get_by_label("Kod płatnika").fill("204455")
    form.locator("#id_name").fill("Wspólnota Mieszkaniowa ul. Długa 5")
    form.locator("#id_address").fill("ul. Długa 5, 85-001 Bydgoszcz")
    form.get_by_label("NIP/PESEL").fill("526-025-09-95")
    form.get_by_label("Numer ostatniej faktury lub umowy").fill("FV/2026/10/00123")
    form.get_by_label("Adres e-mail").fill("zarzad@dluga5.example.com")
    form.get_by_label("Wyrażam zgodę na przetwarzanie moich danych osobowych").check()
    form.get_by_label("Zapoznałem się z regulaminem").check()
    form.get_by_label("Potwierdzam poprawność danych", exact=False).check()
    fill_captcha(page)
    form.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator("main")).to_contain_text(
        "Wymagane jest potwierdzenie podanego adresu e-mail"
    )

    # --- The activation mail, then the link in it ---
    mail = mail_to("zarzad@dluga5.example.com", "Potwierdzenie rejestracji")
    page.goto(link_path(mail.body, "/rejestracja/potwierdz/"))
    # Opening the link confirms nothing (mail scanners open links too): the button does.
    expect(page.locator("main")).to_contain_text("oczekuje na potwierdzenie adresu e-mail")
    page.get_by_role("button", name="Potwierdzam adres e-mail").click()
    expect(page.locator("main")).to_contain_text("adres e-mail został potwierdzony")

    # --- The operator (login + TOTP) approves and prints the letter ---
    operator = make_operator_with_totp(username="weryfikator")
    office = browser.new_context(base_url=live_server.url, locale="pl-PL")
    desk = office.new_page()
    log_in_operator(desk, operator)
    desk.goto("/obsluga/rejestracje/")
    desk.get_by_role("link", name=re.compile("204455|Długa 5")).first.click()
    expect(desk.locator("main")).to_contain_text("należy do kontrahenta")
    desk.get_by_role("button", name="Zatwierdź i utwórz konto").click()
    expect(desk.locator("main")).to_contain_text("Konto 204455 utworzone")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="Drukuj list (PDF)").click()
    letter = tmp_path / "list.pdf"
    download.value.save_as(letter)
    office.close()
    text = pdf_text(letter)
    assert "Zarząd Wspólnoty Długa 5" in text and "85-950 Bydgoszcz" in text
    login = next(line for line in text.splitlines() if "Login:" in line).split(":")[1].strip()
    password = (
        next(line for line in text.splitlines() if "Hasło jednorazowe:" in line)
        .split(":")[1]
        .strip()
    )
    assert login == "204455"

    # --- First login with the one-time password, forced change ---
    log_in(page, login, password)
    expect(page.locator("h1")).to_have_text("Zmiana hasła jednorazowego")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("Powtórz nowe hasło").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zmień hasło").click()

    # --- Start page and customer data ---
    expect(page.locator("header")).to_contain_text("zalogowany jako")
    expect(page.locator("header")).to_contain_text("Wspólnota Mieszkaniowa ul. Długa 5")
    menu(page, "Kontrahent")
    expect(page.locator("h1")).to_have_text("Dane kontrahenta")
    expect(page.locator("main")).to_contain_text("204455")

    # --- Change of data with an attachment ---
    page.get_by_role("link", name=re.compile("[Zz]gło.* zmian|[Zz]mian.* danych")).first.click()
    expect(page.locator("h1")).to_have_text("Zgłoszenie zmiany danych")
    page.locator("#id_phone").fill("52 345 67 89")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "pelnomocnictwo.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Oświadczam, że podane przeze mnie dane są prawidłowe", exact=False).check()
    page.get_by_role("button", name="Wstaw").click()
    expect(page.locator("main")).to_contain_text("52 345 67 89")
    expect(page.locator("main")).to_contain_text("pelnomocnictwo.pdf")

    # --- Invoices, an invoice, its PDF, the balance ---
    menu(page, "Faktury podgląd-pdf")
    expect(page.locator("main")).to_contain_text("FV/2026/09/00123")
    page.get_by_role("link", name="FV/2026/09/00123", exact=True).click()
    expect(page.locator("h1")).to_contain_text("FV/2026/09/00123")
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz fakturę (PDF)").click()
    invoice_pdf = tmp_path / "faktura.pdf"
    download.value.save_as(invoice_pdf)
    assert "FV/2026/09/00123" in pdf_text(invoice_pdf)
    page.get_by_role("link", name="Wstecz").first.click()
    expect(page).to_have_url(re.compile(r"/faktury/$"))
    page.goto("/faktury/saldo/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("FV/2026/09/00123")

    # --- Contracts and meters, a meter, a reading, "Wstecz" ---
    menu(page, "Wykaz umów i liczników")
    expect(page.locator("main")).to_contain_text("UM/00005/2020")
    page.get_by_role("link", name="65200005").first.click()
    expect(page.locator("h1")).to_contain_text("65200005")
    page.locator("main table tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/odczyty/\d+/$"))
    expect(page.locator("main")).to_contain_text("65200005")
    page.get_by_role("link", name="Wstecz").first.click()
    expect(page.locator("h1")).to_contain_text("65200005")
    page.get_by_role("link", name="Wstecz").first.click()
    expect(page).to_have_url(re.compile(r"/umowy/$"))

    # --- An online request ---
    menu(page, "Wnioski internetowe")
    page.get_by_role("link", name="Zaświadczenie o niezaleganiu z płatnościami").click()
    page.get_by_label("Cel wydania zaświadczenia").fill("Przetarg na zarządcę budynku")
    page.get_by_label("odbiór osobisty w BOK").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Przetarg na zarządcę budynku")

    # --- The letters register, filtered by date ---
    menu(page, "Pisma")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)  # the change of data and the request
    today = timezone.localdate()  # the site's day, as the register shows dates
    page.get_by_label("Zakres dat od").fill((today - timedelta(days=400)).isoformat())
    page.locator("#id_do").fill((today - timedelta(days=1)).isoformat())
    page.locator(
        "main form.filters button[type=submit], main form button[type=submit]"
    ).first.click()
    expect(page).to_have_url(re.compile(r"od="))
    expect(page.locator("main table tbody tr")).to_have_count(0)
    page.locator("#id_do").fill(today.isoformat())
    page.locator(
        "main form.filters button[type=submit], main form button[type=submit]"
    ).first.click()
    expect(page.locator("main table tbody tr")).to_have_count(2)

    # --- Log out ---
    log_out(page)
    page.goto("/kontrahent/")
    expect(page).to_have_url(re.compile(r"/logowanie/"))


@pytest.fixture
def remark_types(transactional_db):
    """The manual's remark types come from a data migration, which the live server's
    flush between tests removes: put them back as the migration does."""
    migration = importlib.import_module("ebok.letters.migrations.0002_default_remark_types")
    migration.create(apps, None)


def test_a_remark_without_login_with_an_attachment_and_its_tracking_link(page, remark_types):
    page.goto("/")
    page.get_by_role("link", name="Wysłanie uwagi").click()
    expect(page.locator("h1")).to_have_text("Rejestracja uwagi")
    page.get_by_label("Typ uwagi").select_option(label="Zgłoszenie")
    page.get_by_label("Adres zgłoszenia").fill("ul. Długa 5, Bydgoszcz")
    page.locator("#id_text").fill("Zimny kaloryfer w klatce schodowej od tygodnia.")
    page.get_by_label("Imię i nazwisko lub nazwa").fill("Jan Kowalski")
    page.locator("#id_email").fill("jan.kowalski@example.com")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "zdjecie.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    fill_captcha(page)
    page.get_by_role("button", name="Wstaw").click()
    expect(page.locator("h1")).to_have_text("Dziękujemy, uwaga została zarejestrowana")
    number = page.locator("main strong").first.inner_text()

    tracking = page.locator("main a[href*='/uwagi/sprawa/']").get_attribute("href")
    page.goto(link_path(tracking, "/uwagi/sprawa/"))  # the link names the public site address
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("Zimny kaloryfer w klatce schodowej")
    expect(page.locator("main")).to_contain_text("zdjecie.pdf")
    # The same link arrives by e-mail.
    mail = mail_to("jan.kowalski@example.com")
    assert link_path(mail.body, "/uwagi/sprawa/") in page.url


def test_the_password_reminder_sets_a_new_password(page, payer):
    factories.make_user(customers=[payer], username="dluga5", email="zarzad@dluga5.example.com")
    page.goto("/")
    page.get_by_role("link", name="Przypomnienie hasła lub loginu").click()
    page.get_by_label("Hasło (ustawię nowe)").check()
    page.get_by_label("Login lub adres e-mail").fill("dluga5")
    page.get_by_role("button", name="Wyślij").click()
    expect(page.locator("main")).to_contain_text("wysłaliśmy wiadomość na adres e-mail")

    # The lookup and the mail happen in a task (the answer must not depend on the
    # account): the worker runs it.
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    mail = mail_to("zarzad@dluga5.example.com", "Ustawienie nowego hasła")
    page.goto(link_path(mail.body, "/przypomnienie/haslo/"))
    expect(page.locator("h1")).to_have_text("Ustaw nowe hasło")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zapisz hasło").click()

    log_in(page, "dluga5", NEW_PASSWORD)
    expect(page.locator("header")).to_contain_text("Wspólnota Mieszkaniowa ul. Długa 5")
    # The link works once.
    log_out(page)
    page.goto(link_path(mail.body, "/przypomnienie/haslo/"))
    expect(page.locator("h1")).to_have_text("Odnośnik nieważny")


def test_wrong_passwords_lock_the_login(page, payer, settings, screenshot):
    factories.make_user(customers=[payer], username="dluga5")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, "dluga5", "zle-haslo-123")
    expect(page.locator("h1")).to_have_text("Logowanie chwilowo zablokowane")
    screenshot(page, "manual-lockout")
    # Even the right password is refused now.
    log_in(page, "dluga5")
    expect(page.locator("h1")).to_have_text("Logowanie chwilowo zablokowane")
    expect(page.get_by_role("link", name="Przypomnienie hasła lub loginu").first).to_be_visible()


def test_a_property_manager_switches_between_customers(page, payer):
    other = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Krótka 7", payer_code="204477")
    factories.make_invoice(other, number="FV/2026/10/00777")
    factories.make_user(customers=[payer, other], username="zarzadca")
    log_in(page, "zarzadca")
    expect(page.locator("header")).to_contain_text("zalogowany jako")
    header = page.locator("header")
    page.get_by_label("Kontrahent", exact=True).select_option(
        label="Wspólnota Mieszkaniowa ul. Krótka 7 (204477)"
    )
    header.get_by_role("button", name="Przełącz").click()
    expect(header.locator(".meta-item strong")).to_have_text("Wspólnota Mieszkaniowa ul. Krótka 7")
    menu(page, "Faktury podgląd-pdf")
    expect(page.locator("main")).to_contain_text("FV/2026/10/00777")
    expect(page.locator("main")).not_to_contain_text("FV/2026/09/00123")

    page.get_by_label("Kontrahent", exact=True).select_option(
        label="Wspólnota Mieszkaniowa ul. Długa 5 (204455)"
    )
    header.get_by_role("button", name="Przełącz").click()
    expect(header.locator(".meta-item strong")).to_have_text("Wspólnota Mieszkaniowa ul. Długa 5")
    expect(page.locator("main")).to_contain_text("FV/2026/09/00123")
    expect(page.locator("main")).not_to_contain_text("FV/2026/10/00777")


def test_an_operator_answers_a_letter_and_the_customer_sees_the_answer(
    browser, live_server, page, payer
):
    factories.make_user(customers=[payer], username="dluga5")
    log_in(page, "dluga5")
    menu(page, "Pisma")
    page.get_by_role("link", name=re.compile("[Nn]owe pismo|[Nn]apisz")).first.click()
    page.get_by_label("Opis (temat)").fill("Korekta faktury za wrzesień")
    page.get_by_label("Treść").fill("Proszę o korektę faktury FV/2026/09/00123: błędny odczyt.")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Korekta faktury za wrzesień")

    operator = make_operator_with_totp(username="bok1")
    office = browser.new_context(base_url=live_server.url, locale="pl-PL")
    desk = office.new_page()
    log_in_operator(desk, operator)
    desk.goto("/obsluga/pisma/")
    desk.locator("tbody tr", has_text="Korekta faktury za wrzesień").get_by_role(
        "link"
    ).first.click()
    desk.get_by_label("Treść odpowiedzi").fill("Faktura zostanie skorygowana do 30 listopada.")
    desk.get_by_role("button", name="Wyślij odpowiedź").click()
    expect(desk.locator("main")).to_contain_text("Faktura zostanie skorygowana do 30 listopada.")
    office.close()

    menu(page, "Pisma")
    page.locator("tbody tr", has_text="Korekta faktury za wrzesień").get_by_role(
        "link", name="Szczegóły"
    ).click()
    expect(page.locator("main")).to_contain_text("Faktura zostanie skorygowana do 30 listopada.")
