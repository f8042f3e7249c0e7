"""Self-service pages in a real browser: accessible (axe-core, WCAG 2.1 AA) in Polish and
English, usable on a 360 px phone, and the invoice PDF downloads as a file."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories

LANGUAGES = ["pl", "en"]


@pytest.fixture
def account(transactional_db):
    customer = factories.make_customer(
        name="Wspólnota Mieszkaniowa ul. Gdańska 12", payer_code="400123"
    )
    site = factories.make_site(customer, street="ul. Gdańska 12")
    contract = factories.make_contract(customer, site=site, number="UM/00012/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65210012")
    day = date(2024, 1, 31)
    value = Decimal("1000.000")
    for month in range(30):
        value += Decimal("40.500")
        factories.make_reading(meter, read_on=day, value=value, consumption=Decimal(40 + month % 7))
        day = (day + timedelta(days=31)).replace(day=28)
    overdue = factories.make_invoice(
        customer,
        contract=contract,
        number="FV/2026/09/000012",
        issue_date=date(2026, 9, 30),
        sale_date=date(2026, 9, 30),
        due_date=date(2026, 10, 14),
    )
    factories.make_invoice(customer, contract=contract, number="FV/2026/10/000012")
    factories.make_payment(customer, invoice=overdue, amount=Decimal("100.00"))
    return customer, meter, overdue


@pytest.mark.parametrize("lang", LANGUAGES)
def test_self_service_pages_are_accessible_and_fit_a_phone(
    page, account, login_as, set_language, axe_check, assert_fits_360, lang
):
    customer, meter, invoice = account
    login_as(page, factories.make_user(customers=[customer]))
    set_language(page, lang)
    reading = meter.readings.first()
    for url in [
        "/",
        "/faktury/",
        "/faktury/historia/",
        f"/faktury/{invoice.pk}/",
        "/faktury/saldo/",
        "/umowy/",
        f"/liczniki/{meter.pk}/",
        f"/odczyty/{reading.pk}/",
    ]:
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
        assert_fits_360(page, axe=axe_check)


def test_a_customer_opens_an_invoice_and_downloads_its_pdf(page, account, login_as):
    customer, _meter, invoice = account
    login_as(page, factories.make_user(customers=[customer]))
    page.goto("/faktury/")
    page.get_by_role("link", name="FV/2026/09/000012", exact=True).click()
    expect(page.locator("h1")).to_contain_text("FV/2026/09/000012")
    with page.expect_download() as info:
        page.get_by_role("link", name="Pobierz fakturę (PDF)").click()
    assert info.value.suggested_filename == "faktura-FV-2026-09-000012.pdf"


def test_the_consumption_chart_is_drawn_without_javascript(browser, live_server, account, login_as):
    customer, meter, _invoice = account
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    login_as(page, factories.make_user(customers=[customer]))
    page.goto(f"/liczniki/{meter.pk}/")
    bars = page.locator("svg.chart__svg rect.chart__bar")
    assert bars.count() > 12  # two years of months side by side
    assert bars.first.bounding_box()["height"] > 0
    context.close()
