"""Heat supply interruptions end to end in Chromium: an operator announces one for a
street range after looking at the preview, each affected customer's user gets one e-mail
and sees the banner, another customer sees nothing, and a visitor finds it by address
without logging in and subscribes to the street's calendar. Every page passes axe-core
and fits a 360 px phone."""

import os
from pathlib import Path

import icalendar
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ebok.core.models import OutgoingEmail
from ebok.interruptions.models import Interruption
from tests import factories

SHOTS = Path(os.environ.get("EBOK_INTERRUPTION_SHOTS", "/tmp/interruptions"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def street(transactional_db):
    demo = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Gdańska 112")
    factories.make_site(demo, street="ul. Gdańska 112", code="W-000112")
    other = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Gdańska 113")
    factories.make_site(other, street="ul. Gdańska 113", code="W-000113")
    return {
        "demo": factories.make_user(customers=[demo], username="demo", email="demo@example.com"),
        "manager": factories.make_user(
            customers=[demo], username="zarzadca", email="zarzadca@example.com"
        ),
        "other": factories.make_user(customers=[other], username="obcy", email="obcy@example.com"),
    }


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_an_announced_interruption_reaches_customers_visitors_and_calendars(
    page, browser, live_server, street, login_as, axe_check, assert_fits_360
):
    operator = factories.make_operator(username="bok")
    login_as(page, operator)
    page.goto("/obsluga/przerwy/")
    axe_check(page)
    page.get_by_role("link", name="Ogłoś przerwę").click()
    page.get_by_label("Rodzaj").select_option("failure")
    page.get_by_label("Czego dotyczy").select_option("both")
    page.get_by_label("Początek").fill("2026-12-01T06:00")
    page.get_by_label("Przewidywany koniec").fill("2031-12-01T18:00")
    page.get_by_label("Opis dla odbiorców").fill("Awaria sieci: usuwamy przeciek.")
    page.get_by_label("Adresy").fill("Gdańska 100-120 parzyste, Bydgoszcz")
    page.get_by_role("button", name="Pokaż objęte obiekty").click()
    preview = page.get_by_role("region", name="Objęte obiekty", exact=True)
    expect(preview).to_contain_text("Wspólnota Mieszkaniowa ul. Gdańska 112")
    expect(preview).not_to_contain_text("Gdańska 113")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    shot(page, "backoffice-preview")
    page.get_by_role("button", name="Opublikuj przerwę").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaria: ogrzewanie i ciepła woda")
    axe_check(page)
    shot(page, "backoffice-detail")
    assert Interruption.objects.get().sites.count() == 1

    # The worker sends the notices: one per user of the affected customer, twice run.
    run_worker()
    run_worker()
    recipients = sorted(a for m in OutgoingEmail.objects.all() for a in m.to)
    assert recipients == ["demo@example.com", "zarzadca@example.com"]

    # The demo customer sees the banner on every page; the neighbour at 113 does not.
    page.context.clear_cookies()
    login_as(page, street["demo"])
    for url in ["/", "/faktury/", "/przerwy/moje/"]:
        page.goto(url)
        banner = page.get_by_role("region", name="Przerwa w dostawie ciepła")
        expect(banner).to_contain_text("Awaria: ogrzewanie i ciepła woda")
        axe_check(page)
        assert_fits_360(page, axe=axe_check)
    shot(page, "customer-mine")
    page.goto("/")
    shot(page, "customer-banner")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "customer-banner-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    login_as(page, street["other"])
    page.goto("/")
    expect(page.get_by_role("region", name="Przerwa w dostawie ciepła")).to_have_count(0)

    # A visitor, not logged in, finds it by street and number and takes the calendar.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name="Przerwy w dostawie ciepła").click()
    page.get_by_label("Ulica").fill("Gdańska")
    page.get_by_label("Numer budynku").fill("112")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.get_by_role("status")).to_contain_text("znaleziono 1 przerwę")
    expect(page.locator("main")).to_contain_text("Gdańska 100–120 (numery parzyste), Bydgoszcz")
    expect(page.locator("main")).not_to_contain_text("Wspólnota")
    axe_check(page)
    assert_fits_360(page, axe=axe_check)
    shot(page, "public-search")
    calendar_link = page.get_by_role("link", name="Kalendarz iCalendar (.ics) — Gdańska")
    response = page.request.get(calendar_link.get_attribute("href"))
    assert response.ok
    assert "public" in response.headers["cache-control"]
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Awaria: ogrzewanie i ciepła woda — Gdańska 100–120 (numery parzyste), Bydgoszcz"
    ]
    page.get_by_label("Numer budynku").fill("113")
    page.get_by_role("button", name="Szukaj").click()
    expect(page.get_by_role("status")).to_contain_text("znaleziono przerwy: 0")
