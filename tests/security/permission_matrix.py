"""The permission matrix: every URL name of the project, how to build the object it
needs, and the status code each kind of visitor gets.

    MATRIX = {url name: Entry(how to build its arguments, who may see it)}

tests/security/test_permission_matrix.py runs every entry for every role below and has a
guard test that fails when a URL pattern of the project has no entry here. To add a URL:

1. write a builder `def _my_object(world) -> dict` returning the URL's kwargs (or use
   `NONE` when the URL takes no arguments); `world` holds customers A, B and C, their
   users and one object of each kind belonging to customer A (see `World`);
2. add `"namespace:name": Entry(builder, <expectation>)` below, with an expectation made
   by one of the helpers (`public`, `customer_page`, `owned_by_a`, `backoffice`, `api`)
   or written out role by role;
3. for an action that only answers POST, give `method="post"` and the form `data`.

Status codes: 200 the page (or file), 302 a redirect (to the login page for anonymous
visitors, to the code page for an operator without 2FA, or to the next page after an
action), 403 refused, 404 "not yours" (portal objects of another customer), 401/403 for
API keys without a key/scope.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories

# Web roles: who visits a page.
ANONYMOUS = "anonymous"
CUSTOMER_A = "customer_a"  # the user of customer A, who owns every object built here
CUSTOMER_B = "customer_b"  # the user of another customer, B
MANAGER = "manager"  # a property manager acting for A (chosen) and C
OPERATOR_NO_2FA = "operator_no_2fa"  # an operator who has not given a TOTP code yet
OPERATOR = "operator"  # back-office group "Operator", 2FA passed
ADMINISTRATOR = "administrator"  # back-office group "Administrator", 2FA passed
AUDITOR = "auditor"  # back-office group "Audytor" when it exists
WEB_ROLES = (ANONYMOUS, CUSTOMER_A, CUSTOMER_B, MANAGER, OPERATOR_NO_2FA, OPERATOR, ADMINISTRATOR)
OPTIONAL_WEB_ROLES = (AUDITOR,)

# API roles: who calls the integration API.
NO_KEY = "no_key"
KEY_WITHOUT_SCOPE = "key_without_scope"
KEY_WITH_SCOPE = "key_with_scope"
# For the personal feed (scope "personal"): "with scope" is customer A's personal access
# token, "without scope" an integration key (the wrong kind of key).
API_ROLES = (NO_KEY, KEY_WITHOUT_SCOPE, KEY_WITH_SCOPE)

# The year of the annual information letter built for customer A (the reading's year).
ANNUAL_YEAR = 2026

# URL names covered as a whole by one entry (framework-generated families).
NAMESPACE_ENTRIES = {
    # Django's admin: a few hundred generated patterns, all behind admin_view (staff +
    # superuser here); the entry "admin:index" stands for all of them.
    "admin": "admin:index",
}


@dataclass
class Entry:
    build: Callable  # world -> kwargs for reverse()
    expect: dict  # role -> status code
    method: str = "get"
    data: dict | Callable | None = None  # POST data (or world -> data)
    query: str = ""  # appended to the URL
    scope: str | None = None  # API scope the operation needs
    json: bool = False  # POST data as JSON


@dataclass
class World:
    a: object
    b: object
    c: object
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


# --- expectations ---------------------------------------------------------------------


def public(status=200, **override):
    """Anyone, logged in or not."""
    expect = dict.fromkeys(WEB_ROLES, status)
    expect.update(override)
    return expect


def customer_page(status=200, **override):
    """A portal page about the customer the user acts for: login needed; a back-office
    user who acts for no customer gets the "no customer" page (403)."""
    expect = {
        ANONYMOUS: 302,
        CUSTOMER_A: status,
        CUSTOMER_B: status,
        MANAGER: status,
        OPERATOR_NO_2FA: 403,
        OPERATOR: 403,
        ADMINISTRATOR: 403,
    }
    expect.update(override)
    return expect


def owned_by_a(status=200, **override):
    """A portal object of customer A: B gets 404, as for an id that does not exist."""
    return customer_page(status, **{CUSTOMER_B: 404, **override})


def account_page(status=200, **override):
    """A page about one's own account (any logged-in user)."""
    expect = dict.fromkeys(WEB_ROLES, status)
    expect[ANONYMOUS] = 302
    expect.update(override)
    return expect


def backoffice(status=200, *, administrator_only=False, **override):
    """A back-office page: login, an operator permission and 2FA needed."""
    expect = {
        ANONYMOUS: 302,
        CUSTOMER_A: 403,
        CUSTOMER_B: 403,
        MANAGER: 403,
        OPERATOR_NO_2FA: 403 if administrator_only else 302,
        OPERATOR: 403 if administrator_only else status,
        ADMINISTRATOR: status,
    }
    expect.update(override)
    return expect


def api(status=200, **override):
    expect = {NO_KEY: 401, KEY_WITHOUT_SCOPE: 403, KEY_WITH_SCOPE: status}
    expect.update(override)
    return expect


# --- the objects ----------------------------------------------------------------------


def build_world() -> World:
    """Customers A, B, C; a user per role; one object of each kind, all of customer A."""
    from ebok.accounts.models import Registration
    from ebok.core.models import Announcement
    from ebok.integration.models import ApiKey
    from ebok.letters import services as letter_services
    from ebok.letters.models import Attachment, LetterKind, RemarkType

    a = factories.make_customer(name="A Wspólnota Matrycowa")
    b = factories.make_customer(name="B Spółdzielnia Obca")
    c = factories.make_customer(name="C Wspólnota Zarządzana")
    world = World(a=a, b=b, c=c)
    world.users = {
        CUSTOMER_A: factories.make_user(customers=[a]),
        CUSTOMER_B: factories.make_user(customers=[b]),
        MANAGER: factories.make_user(customers=[a, c]),
        OPERATOR_NO_2FA: factories.make_operator(),
        OPERATOR: factories.make_operator(),
        ADMINISTRATOR: factories.make_operator(role="Administrator"),
    }
    if Group.objects.filter(name="Audytor").exists():
        world.users[AUDITOR] = factories.make_operator(role="Audytor")

    invoice = factories.make_invoice(a, ksef_number="5260250995-20261031-0123456789AB-01")
    invoice.ksef_xml.save("fa3.xml", ContentFile(b"<Faktura/>"), save=True)
    meter = factories.make_meter(a)
    reading = factories.make_reading(meter)
    letter = letter_services.submit_letter(
        kind=LetterKind.INCOMING, description="Pismo A", body="Treść", customer=a
    ).letter
    stored = _store(b"%PDF-1.4\n%%EOF\n", "pismo.pdf")
    attachment = Attachment.objects.create(
        letter=letter,
        original_name="pismo.pdf",
        file=stored.path,
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        created_at=letter.created_at,
    )
    remark = letter_services.submit_remark(description="Uwaga", body="Treść")
    remark_attachment = Attachment.objects.create(
        letter=remark.letter,
        original_name="zdjecie.pdf",
        file=stored.path,
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        created_at=remark.letter.created_at,
    )
    data_change = letter_services.submit_data_change(
        customer=a, old_values={"phone": "1"}, new_values={"phone": "2"}, user=None
    ).letter
    registration = Registration.objects.create(
        payer_code=a.payer_code,
        tax_id=a.nip,
        document_number=invoice.number,
        email="rejestracja@example.com",
        customer=a,
        payer_code_matches=True,
        tax_id_matches=True,
        document_matches=True,
        status=Registration.Status.AWAITING_VERIFICATION,
    )
    token = secrets.token_urlsafe(32)
    from ebok.accounts.services import hash_token

    confirmable = Registration.objects.create(
        payer_code="999999",
        tax_id="5260250995",
        document_number="FV/1",
        email="nowy@example.com",
        token_hash=hash_token(token),
        token_expires_at=timezone.now() + timedelta(days=7),
    )
    announcement = Announcement.objects.create(title="Komunikat", body="Treść")
    key, _raw = ApiKey.generate("Matryca", [ApiKey.Scope.IMPORT])
    remark_type = RemarkType.objects.create(name="Zgłoszenie z matrycy")
    from captcha.models import CaptchaStore

    from ebok.accounts.models import PersonalAccessToken

    personal_token, personal_raw = PersonalAccessToken.generate(world.users[CUSTOMER_A], "Dom")
    from ebok.insight import annual as annual_letters
    from ebok.insight.models import FuelMix

    # The fuel mix of the reading's year, and customer A's annual letter for it.
    FuelMix.objects.create(
        year=ANNUAL_YEAR,
        coal_percent=100,
        co2_kg_per_gj="94.6",
        so2_kg_per_gj="0.12",
        nox_kg_per_gj="0.15",
        dust_kg_per_gj="0.01",
    )
    annual_letters.issue(a, ANNUAL_YEAR)
    world.objects = {
        "reset_user": factories.make_user(),
        "personal_token": personal_token,
        "personal_raw": personal_raw,
        "invoice": invoice,
        "meter": meter,
        "reading": reading,
        "letter": letter,
        "attachment": attachment,
        "remark": remark.letter,
        "remark_token": remark.tracking_token,
        "remark_attachment": remark_attachment,
        "data_change": data_change,
        "registration": registration,
        "confirmable": confirmable,
        "confirm_token": token,
        "announcement": announcement,
        "api_key": key,
        "remark_type": remark_type,
        "captcha_key": CaptchaStore.generate_key(),
    }
    return world


def _store(content: bytes, name: str):
    from ebok.core import uploads

    return uploads.store_content(content, name, "application/pdf")


def NONE(world):
    return {}


def pk(key):
    def build(world):
        return {"pk": world[key].pk}

    build.__name__ = f"pk_of_{key}"
    return build


def _has_tts() -> bool:
    from ebok.core.captcha_audio import synthesiser

    return synthesiser() is not None


def _captcha(world):
    return {"key": world["captcha_key"]}


def _remark_token(world):
    return {"token": world["remark_token"]}


def _remark_attachment(world):
    return {"token": world["remark_token"], "pk": world["remark_attachment"].pk}


def _confirm_token(world):
    return {"token": world["confirm_token"]}


def _password_reset(world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world["reset_user"]  # nobody logs in as this user: the token stays valid
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _fmt(fmt):
    def build(world):
        return {"fmt": fmt}

    return build


def _meter_export(world):
    return {"pk": world["meter"].pk, "fmt": "csv"}


def _insight_site(world):
    return {"pk": world["meter"].site_id}


def _insight_site_export(world):
    return {"pk": world["meter"].site_id, "fmt": "csv"}


def _request_code(world):
    from ebok.letters.request_types import all_types

    return {"code": all_types()[0].code}


def _login_history(world):
    return {"pk": world.users[CUSTOMER_A].pk}


def _export_attachment(world):
    return {"source": "letter", "attachment_id": world["attachment"].pk}


def _interruption(world):
    """A failure under way at customer A's site, made once per world."""
    if "interruption" not in world.objects:
        from ebok.interruptions import services as interruptions

        site = factories.make_site(world.a, street="ul. Matrycowa 4", code="W-MATRYCA")
        world.objects["interruption"] = interruptions.create_interruption(
            interruptions.InterruptionData(
                kind="failure",
                affects="hot_water",
                starts_at=timezone.now() - timedelta(hours=1),
                expected_end_at=timezone.now() + timedelta(hours=5),
                site_codes=[site.code],
            ),
            external_id="AW-MATRYCA",
        )
    return world.objects["interruption"]


def _interruption_pk(world):
    return {"pk": _interruption(world).pk}


def _interruption_external_id(world):
    return {"external_id": _interruption(world).external_id}


_later_ends = itertools.count(1)


def _later_end(world):
    """Each POST extends by one more day, so every role's attempt is a real extension."""
    end = _interruption(world).expected_end_at + timedelta(days=next(_later_ends))
    return {"expected_end_at": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M")}


def _import_kinds():
    from ebok.integration.records import SPECS

    return list(SPECS)


def _switch_to_a(world):
    return {"customer": world.a.pk}


def _annual_year(world):
    return {"year": ANNUAL_YEAR}


def _customer_annual(world):
    return {"pk": world.a.pk, "year": ANNUAL_YEAR}


def _admin_page(status=200):
    """Administrators only; an auditor opens it read-only (GET) and is refused a POST."""
    return backoffice(status, administrator_only=True, **{AUDITOR: 403 if status == 302 else 200})


def _colleague(world):
    """An operator whom the administrator manages (roles, access, authenticator)."""
    if "colleague" not in world.objects:
        world.objects["colleague"] = factories.make_operator(username="kolega")
    return {"pk": world["colleague"].pk}


def _setup_token(world):
    from ebok.accounts import operators

    user = factories.make_operator(username="nowy-operator")
    user.set_unusable_password()
    user.save()
    link = operators.setup_link(user)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    return {"uidb64": uidb64, "token": token}


def _no_terms(world):
    """No terms version uploaded: forget a configuration another test left in the cache."""
    from django.core.cache import cache

    from ebok.core.models import CompanySettings

    cache.delete(CompanySettings.CACHE_KEY)
    return {}


def _terms_document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone as tz

    from ebok.core import terms, uploads

    pdf = SimpleUploadedFile("informacja.pdf", b"%PDF-1.4\n%%EOF\n")
    checked = uploads.validate_uploads([pdf])[0]
    document = terms.add_version(
        kind="privacy",
        version="1",
        effective_from=tz.localdate(),
        checked=checked,
        request=None,
    )
    return {"pk": document.pk}


# Logged-in users are sent on from the login, registration and reminder forms.
_LOGGED_IN_REDIRECT = {
    CUSTOMER_A: 302,
    CUSTOMER_B: 302,
    MANAGER: 302,
    OPERATOR_NO_2FA: 302,
    OPERATOR: 302,
    ADMINISTRATOR: 302,
}

MATRIX: dict[str, Entry] = {
    # --- public -----------------------------------------------------------------------
    "health": Entry(NONE, public()),
    # The test client's peer is 127.0.0.1, which may read metrics; the refusals (other
    # addresses, wrong token) are in tests/core/test_metrics.py.
    "metrics": Entry(NONE, public()),
    "set_language": Entry(NONE, public(302), method="post", data={"language": "en"}),
    "captcha-image": Entry(_captcha, public()),
    "captcha-image-2x": Entry(_captcha, public()),
    "captcha-audio": Entry(_captcha, public(404)),  # the library's flite audio is off
    # The spoken code (ebok.core.captcha_audio): 404 only where no synthesiser is installed.
    "captcha_audio_pl": Entry(_captcha, public(200 if _has_tts() else 404)),
    # django-simple-captcha answers the refresh only to XMLHttpRequest (no JavaScript here).
    "captcha-refresh": Entry(NONE, public(404)),
    "admin:index": Entry(
        NONE,
        public(302),  # nobody here is a superuser: every role is sent to the admin login
    ),
    # --- portal: public and account ---------------------------------------------------
    # Back-office users are sent on to /obsluga/ (and from there to the code page).
    "portal:home": Entry(
        NONE, public(200, **{OPERATOR_NO_2FA: 302, OPERATOR: 302, ADMINISTRATOR: 302})
    ),
    "portal:logo": Entry(NONE, public(404)),  # 404 while no logo is uploaded
    "portal:login": Entry(NONE, public(200, **_LOGGED_IN_REDIRECT)),
    "portal:logout": Entry(NONE, public(302), method="post"),
    "portal:accessibility": Entry(NONE, public()),
    "portal:customer_switch": Entry(
        NONE,
        owned_by_a(302, **{CUSTOMER_B: 404}),
        method="post",
        data=_switch_to_a,
    ),
    "portal:registration": Entry(NONE, public(200, **_LOGGED_IN_REDIRECT)),
    "portal:registration_sent": Entry(NONE, public()),
    "portal:registration_confirm": Entry(_confirm_token, public()),
    "portal:terms": Entry(NONE, public()),
    # Without an uploaded terms version the acceptance page sends everyone on.
    "portal:terms_accept": Entry(NONE, account_page(302)),
    "portal:privacy_notice": Entry(_no_terms, public(404)),  # 404 while none is uploaded
    "portal:reminder": Entry(NONE, public()),
    "portal:reminder_sent": Entry(NONE, public()),
    "portal:password_reset": Entry(_password_reset, public()),
    "portal:password_change": Entry(NONE, account_page()),
    # Without a code pending, the code page sends everyone on (to enrolment or home).
    "portal:otp_verify": Entry(NONE, account_page(302)),
    "portal:security": Entry(NONE, account_page()),
    # Operators already have a device (made at force_login): sent to the security page.
    "portal:otp_enrol": Entry(NONE, account_page(200, **{OPERATOR: 302, ADMINISTRATOR: 302})),
    "portal:otp_disable": Entry(NONE, account_page(302)),
    "portal:otp_codes": Entry(NONE, account_page(302)),
    "portal:access_request": Entry(NONE, account_page()),
    "portal:tokens": Entry(NONE, account_page()),
    "portal:personal_data": Entry(NONE, account_page()),
    # A token of customer A's user: anyone else's revocation is a 404.
    "portal:token_revoke": Entry(
        pk("personal_token"),
        account_page(404, **{CUSTOMER_A: 302}),
        method="post",
    ),
    "portal:remark_new": Entry(NONE, public()),
    "portal:remark_done": Entry(NONE, public(302)),
    "portal:remark_tracking": Entry(_remark_token, public()),
    "portal:remark_tracking_attachment": Entry(_remark_attachment, public()),
    # --- portal: customer data --------------------------------------------------------
    "portal:customer": Entry(NONE, customer_page()),
    "portal:notifications": Entry(NONE, account_page()),  # the user's own mail settings
    "portal:invoices": Entry(NONE, customer_page()),
    "portal:invoice_history": Entry(NONE, customer_page()),
    "portal:invoices_export": Entry(_fmt("csv"), customer_page()),
    "portal:invoice_detail": Entry(pk("invoice"), owned_by_a()),
    "portal:invoice_pdf": Entry(pk("invoice"), owned_by_a()),
    "portal:invoice_ksef_xml": Entry(pk("invoice"), owned_by_a()),
    "portal:balance": Entry(NONE, customer_page()),
    "portal:balance_pdf": Entry(NONE, customer_page()),
    "portal:balance_export": Entry(_fmt("csv"), customer_page()),
    "portal:contracts": Entry(NONE, customer_page()),
    "portal:meter": Entry(pk("meter"), owned_by_a()),
    "portal:meter_readings_export": Entry(_meter_export, owned_by_a()),
    "portal:reading": Entry(pk("reading"), owned_by_a()),
    # Heat insight: the customer's own analysis; a site of another customer is 404.
    "portal:insight": Entry(NONE, customer_page()),
    "portal:insight_help": Entry(NONE, customer_page()),
    "portal:insight_settings": Entry(NONE, customer_page()),
    "portal:insight_site": Entry(_insight_site, owned_by_a()),
    "portal:insight_site_export": Entry(_insight_site_export, owned_by_a()),
    "portal:insight_degree_days_export": Entry(_fmt("csv"), customer_page()),
    "portal:insight_export": Entry(_fmt("xlsx"), customer_page()),
    "portal:data_change": Entry(NONE, customer_page()),
    "portal:requests": Entry(NONE, customer_page()),
    "portal:request_new": Entry(_request_code, customer_page()),
    "portal:letters": Entry(NONE, customer_page()),
    "portal:letter_new": Entry(NONE, customer_page()),
    "portal:letter_detail": Entry(pk("letter"), owned_by_a()),
    "portal:letter_attachment": Entry(pk("attachment"), owned_by_a()),
    "portal:annual_list": Entry(NONE, customer_page()),
    "portal:annual_detail": Entry(_annual_year, owned_by_a()),
    "portal:annual_pdf": Entry(_annual_year, owned_by_a()),
    # --- back office ------------------------------------------------------------------
    "backoffice:dashboard": Entry(NONE, backoffice()),
    "backoffice:letters": Entry(NONE, backoffice()),
    "backoffice:letter_detail": Entry(pk("letter"), backoffice()),
    "backoffice:letter_assign": Entry(
        pk("letter"), backoffice(302), method="post", data={"operator": ""}
    ),
    "backoffice:letter_status": Entry(
        pk("letter"), backoffice(302), method="post", data={"status": "in_progress"}
    ),
    "backoffice:letter_note": Entry(
        pk("letter"), backoffice(302), method="post", data={"text": "Notatka z matrycy"}
    ),
    "backoffice:letter_reply": Entry(
        pk("letter"), backoffice(302), method="post", data={"text": "Odpowiedź z matrycy"}
    ),
    "backoffice:data_change_applied": Entry(pk("data_change"), backoffice(302), method="post"),
    "backoffice:letter_attachment": Entry(pk("attachment"), backoffice()),
    "backoffice:letters_config": Entry(NONE, backoffice()),
    "backoffice:remark_type_edit": Entry(pk("remark_type"), backoffice()),
    "backoffice:customers": Entry(NONE, backoffice()),
    "backoffice:customer": Entry(lambda w: {"pk": w.a.pk}, backoffice()),
    "backoffice:meter": Entry(pk("meter"), backoffice()),
    "backoffice:invoice_pdf": Entry(pk("invoice"), backoffice()),
    "backoffice:invoice_ksef_xml": Entry(pk("invoice"), backoffice()),
    "backoffice:announcements": Entry(NONE, backoffice()),
    "backoffice:announcement_new": Entry(NONE, backoffice()),
    "backoffice:announcement_publish": Entry(pk("announcement"), backoffice(302), method="post"),
    "backoffice:announcement_withdraw": Entry(pk("announcement"), backoffice(302), method="post"),
    # --- heat supply interruptions: public pages and feeds, the customer's list, the
    # back office (accounts.manage_interruptions), the dispatch API (scope interruptions)
    "portal:interruptions": Entry(NONE, public()),
    "portal:interruptions_atom": Entry(NONE, public()),
    "portal:interruptions_ics": Entry(NONE, public()),
    "portal:interruption": Entry(_interruption_pk, public()),
    "portal:my_interruptions": Entry(NONE, customer_page()),
    "backoffice:interruptions": Entry(NONE, backoffice()),
    "backoffice:interruption_new": Entry(NONE, backoffice()),
    "backoffice:interruption_import": Entry(NONE, backoffice()),
    "backoffice:interruption": Entry(_interruption_pk, backoffice()),
    "backoffice:interruption_edit": Entry(_interruption_pk, backoffice()),
    "backoffice:interruption_extend": Entry(
        _interruption_pk, backoffice(302), method="post", data=_later_end
    ),
    # Ending twice, or cancelling what has ended, is refused with a message: still 302.
    "backoffice:interruption_end": Entry(_interruption_pk, backoffice(302), method="post"),
    "backoffice:interruption_cancel": Entry(_interruption_pk, backoffice(302), method="post"),
    "api-v1:get_interruption": Entry(_interruption_external_id, api(200), scope="interruptions"),
    # The same path as the GET above (PUT pushes are tested in tests/interruptions/).
    "api-v1:put_interruption": Entry(_interruption_external_id, api(200), scope="interruptions"),
    "backoffice:api_keys": Entry(NONE, backoffice(administrator_only=True)),
    "backoffice:api_key_create": Entry(NONE, backoffice(administrator_only=True)),
    "backoffice:api_key_revoke": Entry(
        pk("api_key"), backoffice(302, administrator_only=True), method="post"
    ),
    "backoffice:registrations": Entry(NONE, backoffice()),
    "backoffice:registration": Entry(pk("registration"), backoffice()),
    "backoffice:registration_approve": Entry(pk("registration"), backoffice(302), method="post"),
    "backoffice:registration_reject": Entry(
        pk("registration"), backoffice(302), method="post", data={"reason": "Dane nie pasują"}
    ),
    "backoffice:registration_letter": Entry(pk("registration"), backoffice(302), method="post"),
    "backoffice:registration_letters_today": Entry(NONE, backoffice(302), method="post"),
    "backoffice:login_history": Entry(_login_history, backoffice()),
    "backoffice:fuel_mix": Entry(NONE, backoffice(administrator_only=True)),
    # Heat insight: every operator reads; recomputing is the administrators'.
    "backoffice:insight": Entry(NONE, backoffice()),
    "backoffice:insight_recompute": Entry(
        NONE, backoffice(302, administrator_only=True), method="post"
    ),
    "backoffice:fuel_mix_new": Entry(NONE, backoffice(administrator_only=True)),
    "backoffice:fuel_mix_edit": Entry(_annual_year, backoffice(administrator_only=True)),
    "backoffice:customer_annual": Entry(lambda w: {"pk": w.a.pk}, backoffice()),
    "backoffice:customer_annual_pdf": Entry(_customer_annual, backoffice()),
    "backoffice:customer_annual_reissue": Entry(_customer_annual, backoffice(302), method="post"),
    # --- administration: settings, terms, operators, audit log (auditors read only) ----
    "backoffice:letters_config_moved": Entry(NONE, backoffice(301)),
    "backoffice:settings": Entry(NONE, _admin_page()),
    "backoffice:settings_history": Entry(NONE, _admin_page()),
    "backoffice:request_types": Entry(NONE, _admin_page()),
    "backoffice:terms": Entry(NONE, _admin_page()),
    "backoffice:terms_file": Entry(_terms_document, _admin_page()),
    "backoffice:terms_acceptances": Entry(NONE, _admin_page()),
    "backoffice:terms_acceptances_csv": Entry(NONE, _admin_page()),
    "backoffice:operators": Entry(NONE, _admin_page()),
    "backoffice:operator_new": Entry(NONE, _admin_page()),
    "backoffice:operator": Entry(_colleague, _admin_page()),
    "backoffice:operator_roles": Entry(
        _colleague, _admin_page(302), method="post", data={"roles": ["Operator"]}
    ),
    "backoffice:operator_active": Entry(
        _colleague, _admin_page(302), method="post", data={"active": "0"}
    ),
    "backoffice:operator_reset_2fa": Entry(_colleague, _admin_page(302), method="post"),
    "backoffice:operator_invite": Entry(_colleague, _admin_page(302), method="post"),
    # The set-password link of a new operator: the token is the proof, no login needed.
    "backoffice:account_setup": Entry(_setup_token, public()),
    "backoffice:audit": Entry(NONE, _admin_page()),
    "backoffice:audit_csv": Entry(NONE, _admin_page()),
    # --- integration API --------------------------------------------------------------
    "api-v1:api-root": Entry(NONE, api(404, **{NO_KEY: 404, KEY_WITHOUT_SCOPE: 404})),
    "api-v1:openapi-json": Entry(NONE, api(200, **{NO_KEY: 200, KEY_WITHOUT_SCOPE: 200})),
    "api-v1:openapi-view": Entry(NONE, api(200, **{NO_KEY: 200, KEY_WITHOUT_SCOPE: 200})),
    "api-v1:ping": Entry(NONE, api(200, **{NO_KEY: 200, KEY_WITHOUT_SCOPE: 200})),
    **{
        f"api-v1:import_{kind}": Entry(
            NONE, api(200), method="post", data={"records": []}, json=True, scope="import"
        )
        # One import operation per record kind of the integration (ebok/api/v1.py).
        for kind in _import_kinds()
    },
    "api-v1:my_customers": Entry(NONE, api(200, **{KEY_WITHOUT_SCOPE: 401}), scope="personal"),
    "api-v1:my_readings": Entry(NONE, api(200, **{KEY_WITHOUT_SCOPE: 401}), scope="personal"),
    "api-v1:my_invoices": Entry(NONE, api(200, **{KEY_WITHOUT_SCOPE: 401}), scope="personal"),
    "api-v1:my_degree_days": Entry(NONE, api(200, **{KEY_WITHOUT_SCOPE: 401}), scope="personal"),
    "api-v1:export_items": Entry(NONE, api(200), scope="export"),
    "api-v1:export_ack": Entry(
        NONE, api(200), method="post", data={"ids": [1]}, json=True, scope="export"
    ),
    "api-v1:export_attachment": Entry(_export_attachment, api(200), scope="export"),
}


# The auditor ("Audytor") opens every back-office page read-only: GET as an
# administrator would, any other method refused.
for _name, _entry in MATRIX.items():
    if _name.startswith("backoffice:") and AUDITOR not in _entry.expect:
        _entry.expect[AUDITOR] = 403 if _entry.method == "post" else _entry.expect[ADMINISTRATOR]
