"""Keyboard alone: the registration form is filled and sent with Tab, typing, Space on the
checkboxes and Enter, and every stop on the way shows where the focus is."""

import pytest
from playwright.sync_api import expect

from tests.browser.manual import captcha_answer

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const s = getComputedStyle(document.activeElement);
  return {id: document.activeElement.id, tag: document.activeElement.tagName,
          text: (document.activeElement.textContent || '').trim().slice(0, 40),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""


def test_the_registration_form_works_by_keyboard_alone(page):
    typed = {
        "id_payer_code": "204455",
        "id_name": "Wspólnota Mieszkaniowa ul. Długa 5",
        "id_address": "ul. Długa 5, 85-001 Bydgoszcz",
        "id_tax_id": "526-025-09-95",
        "id_document_number": "FV/2026/10/00123",
        "id_email": "zarzad@dluga5.example.com",
    }
    ticked = {"id_consent_personal_data", "id_terms_accepted", "id_data_correct"}
    page.goto("/rejestracja/")
    captcha = captcha_answer(page)
    done, stops = set(), []
    for _ in range(80):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        stops.append(focus)
        assert focus["outline"], f"no visible focus on {focus}"
        if focus["id"] in typed:
            page.keyboard.type(typed[focus["id"]])
        elif focus["id"] in ticked:
            page.keyboard.press("Space")
            expect(page.locator(f"#{focus['id']}")).to_be_checked()
        elif focus["id"] == "id_captcha_1":
            page.keyboard.type(captcha)
            assert set(typed) | ticked <= done, (
                f"the CAPTCHA came before {(set(typed) | ticked) - done}"
            )
            page.keyboard.press("Enter")
            break
        done.add(focus["id"])
    else:
        pytest.fail(f"Tab never reached the CAPTCHA; stops: {stops}")
    expect(page.locator("main")).to_contain_text(
        "Wymagane jest potwierdzenie podanego adresu e-mail"
    )
    assert stops[0]["text"] == "Przejdź do treści", "the first Tab stop is the skip link"


def test_errors_are_announced_and_the_focus_ring_is_visible_on_them(page):
    page.goto("/rejestracja/")
    page.locator("#id_email").fill("nie-email")
    page.locator("#id_email").press("Enter")
    error = page.locator("#id_email")
    expect(error).to_have_attribute("aria-invalid", "true")
    described = error.get_attribute("aria-describedby") or ""
    assert "id_email_error" in described, "the error text is tied to the input"
    expect(page.locator("#id_email")).to_have_value("nie-email")
