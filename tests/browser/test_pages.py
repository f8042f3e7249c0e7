"""The first pages walked in a real browser: readable by everyone (axe-core, WCAG 2.1 AA),
in Polish and in English, and usable on a 360 px wide phone."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

LANGUAGES = ["pl", "en"]


@pytest.fixture
def billing_customer(transactional_db):
    customer = factories.make_customer(
        name="Wspólnota Mieszkaniowa ul. Gdańska 12", payer_code="400123", nip="7740001454"
    )
    site = factories.make_site(customer, code="W-0012", street="ul. Gdańska 12")
    contract = factories.make_contract(customer, site=site, number="UM/00012/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65210012")
    factories.make_reading(meter)
    invoice = factories.make_invoice(customer, contract=contract, number="FV/2026/10/000012")
    factories.make_payment(customer, invoice=invoice)
    return customer


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_anonymous_home_page(page, set_language, axe_check, assert_fits_360, screenshot, lang):
    set_language(page, lang)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_label("Login")).to_be_visible()
    axe_check(page)
    assert_fits_360(page)
    if lang == "pl":
        screenshot(page, "portal-welcome")


def test_the_skip_link_is_the_first_stop_and_is_visible_when_focused(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_a_customer_logs_in_and_sees_the_start_page_and_the_customer_page(
    page, billing_customer, axe_check, assert_fits_360, screenshot
):
    factories.make_user(customers=[billing_customer], username="gdanska12")
    page.goto("/")
    page.get_by_label("Login").fill("gdanska12")
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    expect(page.get_by_text("zalogowany jako")).to_be_visible()
    expect(page.locator("header")).to_contain_text(billing_customer.name)
    axe_check(page)
    assert_fits_360(page)
    screenshot(page, "portal-start")

    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Kontrahent"
    ).click()
    expect(page.locator("h1")).to_have_text("Dane kontrahenta")
    expect(page.locator("main")).to_contain_text("400123")
    axe_check(page)
    assert_fits_360(page)
    screenshot(page, "portal-customer")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_customer_pages_in_both_languages(
    page, billing_customer, login_as, set_language, axe_check, assert_fits_360, lang
):
    login_as(page, factories.make_user(customers=[billing_customer]))
    set_language(page, lang)
    for url in ["/", "/kontrahent/"]:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
        assert_fits_360(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_operator_finds_a_customer_and_opens_the_customer_view(
    page, billing_customer, login_as, set_language, axe_check, assert_fits_360, screenshot, lang
):
    factories.make_customer(name="Spółdzielnia Mieszkaniowa Bystrzycka")
    factories.make_user(
        customers=[billing_customer], username="gdanska12", first_name="Anna", last_name="Nowak"
    )
    login_as(page, factories.make_operator())
    set_language(page, lang)

    page.goto("/obsluga/")
    axe_check(page)
    assert_fits_360(page)
    if lang == "pl":
        screenshot(page, "backoffice-dashboard")

    page.locator("#dashboard-q").fill("774-000-14-54")
    page.locator("#dashboard-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/obsluga/kontrahenci/\?q="))
    expect(page.locator("tbody tr")).to_have_count(1)
    axe_check(page)
    assert_fits_360(page)
    if lang == "pl":
        screenshot(page, "backoffice-customer-search")

    page.get_by_role("link", name=billing_customer.name).click()
    expect(page.locator("h1")).to_have_text(billing_customer.name)
    expect(page.locator("main")).to_contain_text("FV/2026/10/000012")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)  # its tables scroll inside focusable regions
    if lang == "pl":
        screenshot(page, "backoffice-customer")

    page.get_by_role("link", name="65210012").click()
    expect(page.locator("h1")).to_contain_text("65210012")
    axe_check(page)
    assert_fits_360(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_accessibility_statement(
    page, set_language, axe_check, assert_fits_360, screenshot, lang
):
    set_language(page, lang)
    page.goto("/")
    page.locator("footer a[href$='/deklaracja-dostepnosci/']").click()
    expect(page.locator("h1")).to_have_count(1)
    assert page.url.endswith("/deklaracja-dostepnosci/")
    axe_check(page)
    assert_fits_360(page)
    if lang == "pl":
        screenshot(page, "accessibility-statement")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_login_form_showing_an_error(page, set_language, axe_check, assert_fits_360, lang):
    set_language(page, lang)
    page.goto("/logowanie/")
    page.locator("#id_username").fill("nikt")
    page.locator("#id_password").fill("zle-haslo-123")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Nieprawidłowy" if lang == "pl" else "login")
    expect(page.locator("#id_username")).to_have_value("nikt")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)


def test_the_focus_ring_in_the_header_is_white(page):
    page.goto("/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand link in the header
    colour = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert colour == "rgb(255, 255, 255)"
