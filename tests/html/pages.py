"""Every page of eBOK, for the checks that must hold on all of them (valid HTML with vnu,
accessibility with axe-core, 360 px phones).

`build_site()` fills the database through the same services and forms people use, and
`PAGES` lists each page as (role, name, url template, form): `form` is None for a plain
GET; otherwise the page is shown after sending that form with `data` (usually empty: the
error state). Roles: anonymous, customer, manager (two customers), operator (administrator:
sees every back-office page), operator-code (password given, code from the app not yet),
no-customer (a login without any customer access)."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Page:
    role: str
    name: str
    url: str
    # For an error state: the data sent to the page's form (missing fields -> errors).
    post: dict | None = None
    # CSS selector of the form's submit button, for the browser.
    submit: str = "main form.form button[type=submit]"
    status: int = 200
    extra: dict = field(default_factory=dict)


def hidden_inputs(html: str) -> dict:
    """The hidden fields of a page's forms (submission tokens, CAPTCHA keys)."""
    data = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            data[name.group(1)] = value.group(1) if value else ""
    return data


def submit(client: Client, url: str, data: dict, files: dict | None = None):
    html = client.get(url).content.decode()
    payload = {**hidden_inputs(html), **data}
    if files:
        payload.update(files)
    response = client.post(url, payload)
    assert response.status_code in (200, 302), (url, response.status_code)
    return response


def build_site() -> dict:
    """A small but complete eBOK: one customer with billing data, letters in every state,
    a remark with a tracking link, a registration waiting for an operator, an announcement,
    an API key. Returns the ids the URL templates need and the users per role."""
    import importlib

    from django.apps import apps
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ebok.accounts import services as accounts
    from ebok.core.models import Announcement, CompanySettings
    from ebok.integration.models import ApiKey
    from ebok.letters import services as letters
    from ebok.letters.models import Letter, LetterKind, RemarkType
    from tests.accounts.conftest import registration_data

    importlib.import_module("ebok.letters.migrations.0002_default_remark_types").create(apps, None)

    customer = factories.make_customer(
        name="Wspólnota Mieszkaniowa ul. Gdańska 12",
        payer_code="400123",
        nip="7740001454",
        email="zarzad@gdanska12.example.com",
    )
    site = factories.make_site(customer, street="ul. Gdańska 12")
    contract = factories.make_contract(customer, site=site, number="UM/00012/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65210012")
    day, value = date(2025, 10, 31), Decimal("1000.000")
    for month in range(14):
        value += Decimal("40.500")
        factories.make_reading(meter, read_on=day, value=value, consumption=Decimal(40 + month % 7))
        day = (day + timedelta(days=31)).replace(day=28)
    # Heat insight: the company's temperatures over the readings' months (demo climate).
    from ebok.demo.climate import daily_temperatures
    from ebok.insight.models import DailyTemperature

    DailyTemperature.objects.bulk_create(
        DailyTemperature(external_id=f"T{d}", day=d, mean_temperature=t)
        for d, t in daily_temperatures(1, date(2025, 10, 1), date(2026, 11, 30)).items()
    )
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
    other = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Krótka 7", payer_code="400777")
    factories.make_invoice(other, number="FV/2026/10/000777")

    user = factories.make_user(
        customers=[customer], username="gdanska12", email="zarzad@gdanska12.example.com"
    )
    manager = factories.make_user(customers=[customer, other], username="zarzadca")
    operator = factories.make_operator(role="Administrator", username="bok-admin")
    # An operator who typed the password but not yet the code from the app.
    halfway = factories.make_operator(username="bok-kod")
    halfway._skip_2fa = True  # tests/conftest.py: force_login leaves the 2FA step open
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=halfway, name="telefon", confirmed=True)
    nobody = factories.make_user(username="bez-kontrahenta")

    # The customer's own letters, as sent through the portal's forms.
    client = Client()
    client.force_login(user)
    submit(
        client,
        "/pisma/nowe/",
        {"kind": "incoming", "description": "Korekta faktury", "body": "Proszę o korektę faktury."},
        {"attachments": SimpleUploadedFile("skan.pdf", PDF, "application/pdf")},
    )
    submit(
        client,
        "/wnioski/nowy/zaswiadczenie-o-niezaleganiu/",
        {"purpose": "Przetarg", "delivery": "pickup"},
    )
    submit(
        client,
        "/kontrahent/zmiana-danych/",
        {
            "name": customer.name,
            "street": "ul. Gdańska 12",
            "postal_code": "85-001",
            "city": "Bydgoszcz",
            "phone": "52 345 67 89",
            "declaration": "on",
        },
    )
    letter = Letter.objects.get(description="Korekta faktury")
    letters.send_reply(letter, text="Faktura zostanie skorygowana.", user=operator)
    data_change = Letter.objects.filter(kind=LetterKind.DATA_CHANGE).get()
    online_request = Letter.objects.filter(kind=LetterKind.ONLINE_REQUEST).get()

    remark = letters.submit_remark(
        description="Zimny kaloryfer",
        body="Zimny kaloryfer w klatce.",
        sender_name="Jan Kowalski",
        sender_email="jan@example.com",
        concerns_address="ul. Długa 5",
        remark_type=RemarkType.objects.first(),
    )

    registration = accounts.register(
        data=registration_data(
            payer_code="400123",
            tax_id="7740001454",
            document_number="FV/2026/10/000012",
            name=customer.name,
            email="nowy@example.com",
        ),
        consent_text="Klauzula",
        terms_version="1.0",
        ip="10.0.0.1",
    )
    from ebok.core.models import OutgoingEmail

    mail = next(m for m in OutgoingEmail.objects.order_by("-pk") if "nowy@example.com" in m.to)
    confirm_path = re.search(r"/rejestracja/potwierdz/[^/\s]+/", mail.body).group(0)
    accounts.confirm(registration)
    # A second application whose address waits for confirmation: its link shows the button.
    accounts.register(
        data=registration_data(payer_code="400124", email="czeka@example.com"),
        consent_text="Klauzula",
        terms_version="1.0",
        ip="10.0.0.1",
    )
    waiting = next(m for m in OutgoingEmail.objects.order_by("-pk") if "czeka@example.com" in m.to)
    waiting_path = re.search(r"/rejestracja/potwierdz/[^/\s]+/", waiting.body).group(0)
    Announcement.objects.create(
        title="Przerwa w dostawie ciepła",
        body="W czwartek od 8 do 14.",
        created_by=operator,
        published_at=timezone.now(),
    )
    # A failure under way at the customer's site: the banner shows on every customer page.
    from ebok.interruptions import matching
    from ebok.interruptions import services as interruption_services

    interruption = interruption_services.create_interruption(
        interruption_services.InterruptionData(
            kind="failure",
            affects="hot_water",
            starts_at=timezone.now() - timedelta(hours=1),
            expected_end_at=timezone.now() + timedelta(hours=5),
            description="Awaria sieci: usuwamy przeciek.",
            ranges=[matching.parse_address_line("ul. Gdańska 10-20 parzyste, Bydgoszcz")],
        ),
        user=operator,
    )
    ApiKey.generate("System rozliczeniowy", ["import"], created_by=operator)
    # The fuel mix of 2025 and the customer's annual information letter for it.
    from ebok.insight import annual

    annual.seed_demo(date(2026, 1, 10), [customer.pk])
    config = CompanySettings.get()
    config.last_billing_sync = timezone.now()  # the header shows it on every page
    config.save()

    return {
        "users": {
            "customer": user,
            "manager": manager,
            "operator": operator,
            "operator-code": halfway,
            "no-customer": nobody,
        },
        "confirm_path": confirm_path,
        "waiting_path": waiting_path,
        "invoice": overdue.pk,
        "meter": meter.pk,
        "site": site.pk,
        "reading": meter.readings.order_by("-read_on").first().pk,
        "customer": customer.pk,
        "interruption": interruption.pk,
        "letter": letter.pk,
        "reply": letter.replies.first().pk if hasattr(letter, "replies") else letter.pk,
        "data_change": data_change.pk,
        "online_request": online_request.pk,
        "remark_token": remark.tracking_token,
        "remark_type": RemarkType.objects.first().pk,
        "registration": registration.pk,
        "user": user.pk,
        "operator_user": operator.pk,
    }


REQUEST_TYPES = [
    "zmiana-mocy",
    "rozwiazanie-umowy",
    "zmiana-grupy-taryfowej",
    "zaswiadczenie-o-niezaleganiu",
    "zgoda-e-faktura",
    "wycofanie-zgody-e-faktura",
    "raty",
    "sprawdzenie-licznika",
]

PAGES = [
    # --- anonymous ---
    Page("anonymous", "welcome", "/"),
    Page("anonymous", "login", "/logowanie/"),
    Page(
        "anonymous",
        "login-error",
        "/logowanie/",
        post={"username": "nikt", "password": "zle-haslo-123"},
        submit="main form button[type=submit]",
    ),
    Page("anonymous", "registration", "/rejestracja/"),
    Page("anonymous", "registration-error", "/rejestracja/", post={"email": "nie-email"}),
    Page("anonymous", "registration-sent", "/rejestracja/wyslano/"),
    Page("anonymous", "registration-unknown-link", "/rejestracja/potwierdz/nieznany/", status=404),
    Page("anonymous", "registration-confirmed", "{confirm_path}"),
    Page("anonymous", "registration-confirm-button", "{waiting_path}"),
    Page("anonymous", "terms", "/regulamin/"),
    Page("anonymous", "reminder", "/przypomnienie/"),
    Page("anonymous", "reminder-error", "/przypomnienie/", post={}),
    Page("anonymous", "reminder-sent", "/przypomnienie/wyslano/"),
    Page("anonymous", "reminder-invalid-link", "/przypomnienie/haslo/MQ/zly-token/", status=400),
    Page(
        "anonymous",
        "account-setup-invalid-link",
        "/obsluga/konto/ustaw-haslo/MQ/zly-token/",
        status=400,
    ),
    Page("anonymous", "remark", "/uwagi/nowa/"),
    Page("anonymous", "remark-error", "/uwagi/nowa/", post={}),
    Page("anonymous", "remark-tracking", "/uwagi/sprawa/{remark_token}/"),
    Page("anonymous", "accessibility-statement", "/deklaracja-dostepnosci/"),
    Page("anonymous", "interruptions", "/przerwy/"),
    Page("anonymous", "interruptions-search", "/przerwy/?ulica=Gda%C5%84ska&numer=12"),
    Page("anonymous", "interruptions-search-error", "/przerwy/?ulica=&numer=dwa"),
    Page("anonymous", "interruption", "/przerwy/{interruption}/"),
    Page("anonymous", "not-found", "/nie-ma-takiej-strony/", status=404),
    # --- customer ---
    Page("customer", "start", "/"),
    Page("customer", "customer", "/kontrahent/"),
    Page("customer", "notifications", "/powiadomienia/"),
    Page("customer", "personal-data", "/konto/moje-dane/"),
    Page("customer", "tokens", "/konto/tokeny/"),
    Page("customer", "tokens-error", "/konto/tokeny/", post={}, status=400),
    Page("customer", "annual-letters", "/informacja-roczna/"),
    Page("customer", "annual-letter", "/informacja-roczna/2025/"),
    Page("customer", "my-interruptions", "/przerwy/moje/"),
    Page("customer", "invoices", "/faktury/"),
    Page("customer", "invoice-history", "/faktury/historia/"),
    Page("customer", "invoice", "/faktury/{invoice}/"),
    Page("customer", "balance", "/faktury/saldo/"),
    Page("customer", "contracts", "/umowy/"),
    Page("customer", "meter", "/liczniki/{meter}/"),
    Page("customer", "reading", "/odczyty/{reading}/"),
    Page("customer", "insight", "/analiza/"),
    Page("customer", "insight-site", "/analiza/obiekty/{site}/"),
    Page("customer", "insight-help", "/analiza/jak-liczymy/"),
    Page("customer", "insight-settings", "/analiza/ustawienia/"),
    Page(
        "customer",
        "insight-settings-error",
        "/analiza/ustawienia/",
        post={"alert_threshold_percent": "1"},
    ),
    Page("customer", "data-change", "/kontrahent/zmiana-danych/"),
    Page(
        "customer", "data-change-error", "/kontrahent/zmiana-danych/", post={"postal_code": "85001"}
    ),
    Page("customer", "requests", "/wnioski/"),
    *[Page("customer", f"request-{code}", f"/wnioski/nowy/{code}/") for code in REQUEST_TYPES],
    Page("customer", "request-error", "/wnioski/nowy/zaswiadczenie-o-niezaleganiu/", post={}),
    Page("customer", "letters", "/pisma/"),
    Page("customer", "letters-filtered", "/pisma/?od=2026-01-01&do=2026-12-31"),
    Page("customer", "letter-new", "/pisma/nowe/"),
    Page("customer", "letter-new-error", "/pisma/nowe/", post={}),
    Page("customer", "letter", "/pisma/{letter}/"),
    Page("customer", "letter-data-change", "/pisma/{data_change}/"),
    Page("customer", "letter-online-request", "/pisma/{online_request}/"),
    Page("customer", "password-change", "/haslo/zmiana/"),
    Page("customer", "password-change-error", "/haslo/zmiana/", post={}),
    Page("customer", "security", "/konto/bezpieczenstwo/"),
    Page("customer", "two-factor-enrol", "/konto/weryfikacja-dwuetapowa/wlacz/"),
    Page("customer", "access-request", "/konto/dostep/"),
    Page("customer", "access-request-error", "/konto/dostep/", post={}),
    Page("customer", "not-found-foreign-invoice", "/faktury/999999/", status=404),
    Page("customer", "forbidden-backoffice", "/obsluga/", status=403),
    # --- a login with no customer yet, and an operator at the second login step ---
    Page("no-customer", "no-customer-start", "/", status=403),
    Page("operator-code", "two-factor-code", "/logowanie/kod/"),
    Page("operator-code", "two-factor-code-error", "/logowanie/kod/", post={"token": "000000"}),
    # --- a property manager (two customers: the switch in the header) ---
    Page("manager", "manager-start", "/"),
    Page("manager", "manager-invoices", "/faktury/"),
    # --- operator (administrator) ---
    Page("operator", "backoffice-dashboard", "/obsluga/"),
    Page("operator", "backoffice-insight", "/obsluga/ustawienia/analiza/"),
    Page("operator", "backoffice-letters", "/obsluga/pisma/"),
    Page("operator", "backoffice-letters-bad-range", "/obsluga/pisma/?od=2026-10-31&do=2026-10-01"),
    Page("operator", "backoffice-letter", "/obsluga/pisma/{letter}/"),
    Page("operator", "backoffice-letter-data-change", "/obsluga/pisma/{data_change}/"),
    Page("operator", "backoffice-letter-online-request", "/obsluga/pisma/{online_request}/"),
    Page("operator", "backoffice-letters-config", "/obsluga/ustawienia/pisma/"),
    Page(
        "operator", "backoffice-remark-type", "/obsluga/ustawienia/pisma/typy-uwag/{remark_type}/"
    ),
    Page("operator", "backoffice-customers", "/obsluga/kontrahenci/?q=400123"),
    Page("operator", "backoffice-customer", "/obsluga/kontrahenci/{customer}/"),
    Page("operator", "backoffice-meter", "/obsluga/liczniki/{meter}/"),
    Page("operator", "backoffice-interruptions", "/obsluga/przerwy/"),
    Page("operator", "backoffice-interruption-new", "/obsluga/przerwy/nowa/"),
    Page("operator", "backoffice-interruption-error", "/obsluga/przerwy/nowa/", post={}),
    Page("operator", "backoffice-interruption", "/obsluga/przerwy/{interruption}/"),
    Page("operator", "backoffice-interruption-edit", "/obsluga/przerwy/{interruption}/zmiana/"),
    Page("operator", "backoffice-interruption-import", "/obsluga/przerwy/import/"),
    Page("operator", "backoffice-announcements", "/obsluga/komunikaty/"),
    Page("operator", "backoffice-announcement-new", "/obsluga/komunikaty/nowy/"),
    Page("operator", "backoffice-announcement-error", "/obsluga/komunikaty/nowy/", post={}),
    Page("operator", "backoffice-api-keys", "/obsluga/integracja/klucze/"),
    Page("operator", "backoffice-api-key-new", "/obsluga/integracja/klucze/nowy/"),
    Page("operator", "backoffice-api-key-error", "/obsluga/integracja/klucze/nowy/", post={}),
    Page("operator", "backoffice-registrations", "/obsluga/rejestracje/"),
    Page("operator", "backoffice-registration", "/obsluga/rejestracje/{registration}/"),
    Page("operator", "backoffice-login-history", "/obsluga/uzytkownicy/{user}/logowania/"),
    # --- administration: settings, terms, operators, audit log ---
    Page("operator", "backoffice-settings", "/obsluga/ustawienia/"),
    Page(
        "operator",
        "backoffice-settings-error",
        "/obsluga/ustawienia/",
        post={"nip": "1234567890", "bank_account": "12 3456"},
    ),
    Page("operator", "backoffice-settings-history", "/obsluga/ustawienia/historia/"),
    Page("operator", "backoffice-request-types", "/obsluga/ustawienia/wnioski/"),
    Page("operator", "backoffice-terms", "/obsluga/ustawienia/regulamin/"),
    Page("operator", "backoffice-terms-error", "/obsluga/ustawienia/regulamin/", post={}),
    Page("operator", "backoffice-terms-acceptances", "/obsluga/ustawienia/regulamin/akceptacje/"),
    Page("operator", "backoffice-operators", "/obsluga/operatorzy/"),
    Page("operator", "backoffice-operator", "/obsluga/operatorzy/{operator_user}/"),
    Page("operator", "backoffice-operator-new", "/obsluga/operatorzy/nowy/"),
    Page(
        "operator",
        "backoffice-operator-new-error",
        "/obsluga/operatorzy/nowy/",
        post={"username": "zły login"},
    ),
    Page("operator", "backoffice-audit", "/obsluga/audyt/"),
    Page("operator", "backoffice-audit-filtered", "/obsluga/audyt/?action=letters.&od=2026-01-01"),
    Page("operator", "backoffice-fuel-mix", "/obsluga/ustawienia/paliwa/"),
    Page("operator", "backoffice-fuel-mix-year", "/obsluga/ustawienia/paliwa/2025/"),
    Page("operator", "backoffice-fuel-mix-new", "/obsluga/ustawienia/paliwa/nowy/"),
    Page(
        "operator",
        "backoffice-fuel-mix-error",
        "/obsluga/ustawienia/paliwa/nowy/",
        post={"coal_percent": "50"},
        status=400,
    ),
    Page(
        "operator",
        "backoffice-customer-annual",
        "/obsluga/kontrahenci/{customer}/informacja-roczna/",
    ),
    Page("operator", "operator-security", "/konto/bezpieczenstwo/"),
]


def url_of(page: Page, site: dict) -> str:
    return page.url.format(**site)
