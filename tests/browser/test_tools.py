"""The browser-test tools catch what they are meant to catch."""

import pytest


def test_axe_check_reports_a_violation_readably(page, axe_check):
    page.goto("/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text';"
        " document.querySelector('main').append(i); }"
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    message = str(failure.value)
    assert "label" in message and "main > input" in message


def test_the_360_px_check_catches_sideways_scrolling(page, assert_fits_360):
    page.goto("/")
    page.evaluate(
        "() => { const d = document.createElement('div'); d.className = 'too-wide';"
        " d.textContent = 'x'; d.setAttribute('hidden', ''); document.body.append(d); }"
    )
    # An element wider than the phone, set through the CSSOM (the page's CSP forbids
    # style attributes, not script-made styles).
    page.evaluate(
        "() => { const d = document.querySelector('.too-wide'); d.hidden = false;"
        " d.style.width = '600px'; }"
    )
    with pytest.raises(pytest.fail.Exception):
        assert_fits_360(page)
