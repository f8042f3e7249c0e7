"""Helpers for the manual walkthrough: what a person does by reading the screen, the mail
or the letter, done the same way in the browser."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests import factories
from tests.pdf import pdf_text as read_pdf_text

NEW_PASSWORD = "Zimowy-Kaloryfer-2026!"


def captcha_answer(page) -> str:
    """Read the CAPTCHA picture as a person would: the answer stored for the form's key."""
    from captcha.models import CaptchaStore

    hashkey = page.locator("input[name=captcha_0]").input_value()
    return CaptchaStore.objects.get(hashkey=hashkey).response


def fill_captcha(page):
    page.get_by_label("Przepisz kod z obrazka").fill(captcha_answer(page))


def mail_to(address, subject_contains=""):
    """The newest e-mail queued for `address` (the outbox every mail goes through)."""
    from ebok.core.models import OutgoingEmail

    mails = [m for m in OutgoingEmail.objects.order_by("-pk") if address in m.to]
    mails = [m for m in mails if subject_contains in m.subject]
    assert mails, f"no e-mail to {address} with {subject_contains!r} in the subject"
    return mails[0]


def link_path(body: str, prefix: str) -> str:
    """The path of the first link in a mail body that starts with `prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s\"<>]*)", body)
    assert match, f"no link to {prefix} in:\n{body}"
    return match.group(1)


def totp_code(user) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def make_operator_with_totp(**kw):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    operator = factories.make_operator(**kw)
    TOTPDevice.objects.create(user=operator, name="telefon", confirmed=True)
    return operator


def log_in(page, username, password=factories.PASSWORD):
    page.goto("/logowanie/")
    page.locator("main").get_by_label("Login").fill(username)
    page.locator("main").get_by_label("Hasło").fill(password)
    page.locator("main").get_by_role("button", name="Zaloguj się").click()


def log_in_operator(page, operator):
    """Login, password and the six digits from the authenticator app."""
    log_in(page, operator.username)
    expect(page).to_have_url(re.compile(r"/logowanie/kod/"))
    page.get_by_label("Kod weryfikacyjny").fill(totp_code(operator))
    page.get_by_label("Kod weryfikacyjny").press("Enter")
    expect(page).to_have_url(re.compile(r"/obsluga/"))


def log_out(page):
    page.get_by_role("button", name="Wyloguj").click()
    expect(page.locator("main").get_by_label("Login")).to_be_visible()


def pdf_text(path: Path) -> str:
    return read_pdf_text(path.read_bytes())


def menu(page, name):
    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name=name).click()
