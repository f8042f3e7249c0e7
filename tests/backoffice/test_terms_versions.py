"""Terms of use and privacy notice as versioned PDFs: uploaded in the back office,
downloaded by customers, accepted once per version at the next page view."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ebok.accounts.models import Registration, TermsAcceptance
from ebok.core.models import AuditLogEntry, CompanySettings, TermsDocument
from tests import factories
from tests.backoffice.admin_files import pdf_bytes, pdf_text, upload

URL = "/obsluga/ustawienia/regulamin/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.delete(CompanySettings.CACHE_KEY)


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(factories.make_operator(role="Administrator", username="admin1"))
    return client


def _upload(admin_client, *, kind="terms", version="2027.1", day=None, content=None):
    day = day or timezone.localdate()
    return admin_client.post(
        URL,
        {
            "kind": kind,
            "version": version,
            "effective_from": day.isoformat(),
            "document": upload("regulamin.pdf", content or pdf_bytes(f"Regulamin {version}")),
        },
    )


def test_an_uploaded_version_is_what_customers_download_from_registration_and_the_footer(
    admin_client, client
):
    assert _upload(admin_client).status_code == 302
    document = TermsDocument.objects.get()
    assert (document.kind, document.version, document.file_name) == (
        "terms",
        "2027.1",
        "regulamin.pdf",
    )
    assert AuditLogEntry.objects.filter(action="core.terms.version_added").exists()
    response = client.get("/regulamin/")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="regulamin-2027.1.pdf"' in response["Content-Disposition"]
    assert "Regulamin 2027.1" in pdf_text(b"".join(response.streaming_content))
    registration_form = client.get("/rejestracja/").content.decode()
    assert "Pobierz regulamin (wersja 2027.1)" in registration_form
    assert 'href="/regulamin/"' in registration_form


def test_the_privacy_notice_is_linked_from_the_footer_once_uploaded(admin_client, client):
    assert 'href="/informacja-o-danych-osobowych/"' not in client.get("/").content.decode()
    _upload(admin_client, kind="privacy", version="1")
    assert 'href="/informacja-o-danych-osobowych/"' in client.get("/").content.decode()
    response = client.get("/informacja-o-danych-osobowych/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "Pliki wykonywalne nie są przyjmowane."),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "Dokument musi być plikiem PDF."),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(admin_client, content, message):
    response = _upload(admin_client, content=content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="2027.1"' in response.content.decode()
    assert not TermsDocument.objects.exists()


def test_a_past_date_and_a_repeated_version_are_refused(admin_client):
    past = _upload(admin_client, day=timezone.localdate() - timedelta(days=1))
    assert "nie może być wcześniejsza niż dzisiejsza" in past.content.decode()
    _upload(admin_client)
    again = _upload(admin_client)
    assert "Ta wersja tego dokumentu już istnieje." in again.content.decode()


@pytest.fixture
def terms_in_force(admin_client):
    _upload(admin_client, version="2027.1")
    return TermsDocument.objects.get(version="2027.1")


def test_a_customer_accepts_the_new_terms_at_the_next_page_and_returns_where_they_were(
    terms_in_force, customer_client, customer_user
):
    response = customer_client.get("/faktury/?strona=2")
    assert response.status_code == 302
    assert response["Location"] == "/regulamin/akceptacja/?next=%2Ffaktury%2F%3Fstrona%3D2"
    page = customer_client.get(response["Location"]).content.decode()
    assert "regulamin eBOK w wersji 2027.1" in page
    refused = customer_client.post("/regulamin/akceptacja/", {"next": "/faktury/?strona=2"})
    assert "Zaznacz akceptację regulaminu" in refused.content.decode()
    done = customer_client.post(
        "/regulamin/akceptacja/",
        {"next": "/faktury/?strona=2", "accepted": "on"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert done["Location"] == "/faktury/?strona=2"
    acceptance = TermsAcceptance.objects.get()
    assert (acceptance.user, acceptance.document, acceptance.ip, acceptance.source) == (
        customer_user,
        terms_in_force,
        "203.0.113.7",
        "page",
    )
    assert customer_client.get("/faktury/").status_code == 200  # asked once


def test_a_form_in_flight_is_not_lost_the_page_after_it_asks(terms_in_force, customer_client):
    response = customer_client.post("/powiadomienia/", {})
    assert not response.get("Location", "").startswith("/regulamin/akceptacja/")
    assert customer_client.get("/").status_code == 302  # the next page view asks


def test_downloads_are_not_replaced_by_the_acceptance_page(terms_in_force, customer_client):
    assert customer_client.get("/regulamin/")["Content-Type"] == "application/pdf"


def test_a_version_effective_later_is_not_asked_for_yet(admin_client, customer_client):
    _upload(admin_client, version="2028.1", day=timezone.localdate() + timedelta(days=30))
    assert customer_client.get("/").status_code == 200


def test_operators_are_not_asked_to_accept_customer_terms(terms_in_force, operator_client):
    assert operator_client.get("/konto/bezpieczenstwo/").status_code == 200


def test_the_version_accepted_at_registration_counts(
    terms_in_force, customer_client, customer_user
):
    Registration.objects.create(
        payer_code="1",
        tax_id="5260250995",
        document_number="FV/1",
        email="a@example.com",
        user=customer_user,
        terms_version="2027.1",
        ip="198.51.100.4",
    )
    assert customer_client.get("/").status_code == 200
    acceptance = TermsAcceptance.objects.get()
    assert (acceptance.source, acceptance.ip) == ("registration", "198.51.100.4")


def test_an_open_redirect_is_not_possible(terms_in_force, customer_client):
    done = customer_client.post(
        "/regulamin/akceptacja/", {"next": "https://evil.example/", "accepted": "on"}
    )
    assert done["Location"] == "/"


def test_operators_see_who_accepted_which_version_and_export_it(
    terms_in_force, customer_client, customer_user, admin_client
):
    customer_client.post("/regulamin/akceptacja/", {"next": "/", "accepted": "on"})
    page = admin_client.get(
        f"/obsluga/ustawienia/regulamin/akceptacje/?version={terms_in_force.pk}"
    ).content.decode()
    assert customer_user.username in page and "2027.1" in page
    csv = admin_client.get(
        f"/obsluga/ustawienia/regulamin/akceptacje.csv?user={customer_user.username}"
    ).content.decode()
    lines = csv.strip("\ufeff").strip().split("\r\n")
    assert lines[0] == "Login;E-mail;Wersja regulaminu;Zaakceptowano;Adres IP;Sposób"
    assert lines[1].startswith(f"{customer_user.username};{customer_user.email};2027.1;")
    assert lines[1].endswith(";127.0.0.1;strona akceptacji")


def test_the_page_check_costs_no_query_once_accepted(
    terms_in_force, customer_client, django_assert_num_queries
):
    customer_client.post("/regulamin/akceptacja/", {"next": "/", "accepted": "on"})
    customer_client.get("/konto/bezpieczenstwo/")
    from ebok.accounts import middleware

    calls = []
    original = middleware.TermsAcceptanceMiddleware._check

    def spy(self, request, user):
        calls.append(request.path)
        return original(self, request, user)

    middleware.TermsAcceptanceMiddleware._check = spy
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            customer_client.get("/konto/bezpieczenstwo/")
    finally:
        middleware.TermsAcceptanceMiddleware._check = original
    assert calls == ["/konto/bezpieczenstwo/"]
    assert not [q for q in queries.captured_queries if "termsacceptance" in q["sql"].lower()]


def test_the_acceptance_list_takes_a_constant_number_of_queries(
    terms_in_force, admin_client, customer, django_assert_max_num_queries
):
    from ebok.accounts import terms as acceptance

    def accept_by_new_users(n):
        for _i in range(n):
            acceptance.accept(factories.make_user(customers=[customer]), terms_in_force)

    url = "/obsluga/ustawienia/regulamin/akceptacje/"
    accept_by_new_users(1)
    admin_client.get(url)
    with django_assert_max_num_queries(12):  # one acceptance
        admin_client.get(url)
    accept_by_new_users(15)
    with django_assert_max_num_queries(12):  # the same with many
        response = admin_client.get(url)
    assert response.context["page"].paginator.count == 16
