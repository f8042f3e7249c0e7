"""Every page of eBOK in Chromium (the list in tests/html/pages.py, the same one vnu
validates): zero axe-core WCAG 2.1 A/AA violations, one <h1>, the right `lang`, and no
sideways scrolling on a 360 px phone; in Polish and English, for anonymous visitors,
customers, a property manager and operators, forms included with their errors shown."""

import pytest
from playwright.sync_api import expect

from tests.html.pages import PAGES, build_site, url_of

pytestmark = pytest.mark.browser

ROLES = ["anonymous", "customer", "manager", "operator", "operator-code", "no-customer"]

# Pages whose Polish screenshot the docs use (docs/screenshots/<name>.png).
SCREENSHOTS = {
    "registration-error": "manual-registration-errors",
    "not-found-foreign-invoice": "manual-not-found",
    "backoffice-registration": "manual-backoffice-registration",
}
# Pages also shot at 360 px (the phone layout), as <name>-360.png.
PHONE_SCREENSHOTS = {
    "start": "manual-start",
    "invoices": "manual-invoices",
    "meter": "manual-meter",
}


def show(page, entry, site):
    """Open the page; for an error state fill what `post` holds and send the form."""
    url = url_of(entry, site)
    response = page.goto(url)
    if entry.post is not None:
        for name, value in entry.post.items():
            page.locator(f"main form [name='{name}']").first.fill(value)
        with page.expect_navigation():
            page.locator(entry.submit).first.click()
        expect(page.locator("main .errorlist, main [role=alert]").first).to_be_visible()
    else:
        assert response.status == entry.status, f"{url}: HTTP {response.status}"


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_accessible_and_fits_a_phone(
    page, login_as, set_language, axe_check, assert_fits_360, screenshot, role, lang
):
    site = build_site()
    if role != "anonymous":
        login_as(page, site["users"][role])
    set_language(page, lang)
    checked = []
    for entry in PAGES:
        if entry.role != role:
            continue
        show(page, entry, site)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
        assert_fits_360(page, axe=axe_check)  # axe again on the phone layout
        if lang == "pl" and entry.name in SCREENSHOTS:
            screenshot(page, SCREENSHOTS[entry.name])
        if lang == "pl" and entry.name in PHONE_SCREENSHOTS:
            size = page.viewport_size
            page.set_viewport_size({"width": 360, "height": 740})
            screenshot(page, f"{PHONE_SCREENSHOTS[entry.name]}-360")
            page.set_viewport_size(size)
        checked.append(entry.name)
    assert checked, f"no pages listed for {role}"
