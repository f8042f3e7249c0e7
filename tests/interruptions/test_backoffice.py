"""The back office at /obsluga/przerwy/: preview before publishing, the actions, CSV import,
permissions."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ebok.core.models import AuditLogEntry, OutgoingEmail
from ebok.interruptions import services
from ebok.interruptions.models import Change, Interruption
from tests import factories
from tests.interruptions.conftest import count_queries, data


def form(**kw):
    start = timezone.localtime() + timedelta(days=1)
    values = {
        "kind": "planned",
        "affects": "hot_water",
        "starts_at": start.strftime("%Y-%m-%dT08:00"),
        "expected_end_at": start.strftime("%Y-%m-%dT14:00"),
        "description": "Wymiana zaworów.",
        "site_codes": "",
        "addresses": "Gdańska 10-20 parzyste, Bydgoszcz",
    }
    values.update(kw)
    return values


def test_the_preview_lists_matched_sites_and_customers_and_saves_nothing(operator_client, street):
    response = operator_client.post("/obsluga/przerwy/nowa/", form(action="preview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zakres obejmuje obiekty: 2, kontrahentów: 2." in html
    assert "Wspólnota Gdańska 12" in html and "Spółdzielnia Gdańska 14" in html
    assert "Wspólnota Gdańska 13" not in html
    assert 'value="publish"' in html
    assert not Interruption.objects.exists()


def test_publishing_creates_the_interruption_with_its_history(operator_client, operator, street):
    response = operator_client.post("/obsluga/przerwy/nowa/", form(action="publish"))
    interruption = Interruption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/obsluga/przerwy/{interruption.pk}/"
    assert interruption.sites.count() == 2
    assert timezone.localtime(interruption.starts_at).hour == 8
    assert AuditLogEntry.objects.filter(
        action="interruptions.interruption.created", user=operator
    ).exists()
    page = operator_client.get(response["Location"]).content.decode()
    assert "ogłoszenie" in page
    assert "Gdańska 10–20 (numery parzyste), Bydgoszcz" in page


def test_bad_input_is_explained_and_kept(operator_client, street):
    response = operator_client.post(
        "/obsluga/przerwy/nowa/",
        form(
            action="publish",
            expected_end_at="2020-01-01T08:00",
            addresses="Gdańska 20-10",
            description="Mój opis",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "numer końcowy jest mniejszy niż początkowy" in html
    assert "Mój opis" in html
    assert not Interruption.objects.exists()
    response = operator_client.post(
        "/obsluga/przerwy/nowa/", form(action="publish", addresses="", site_codes="")
    )
    assert "Podaj co najmniej jeden obiekt, węzeł lub adres." in response.content.decode()


def test_extend_end_and_cancel_from_the_detail_page(operator_client, street):
    interruption = services.create_interruption(data())
    url = f"/obsluga/przerwy/{interruption.pk}/"
    earlier = timezone.localtime(interruption.expected_end_at) - timedelta(hours=1)
    response = operator_client.post(
        url + "przedluz/", {"expected_end_at": earlier.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "musi być późniejszy niż dotychczasowy" in response.content.decode()
    later = timezone.localtime(interruption.expected_end_at) + timedelta(hours=4)
    response = operator_client.post(
        url + "przedluz/", {"expected_end_at": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    interruption.refresh_from_db()
    assert interruption.status == Interruption.Status.EXTENDED
    assert operator_client.post(url + "zakoncz/").status_code == 302
    interruption.refresh_from_db()
    assert interruption.status == Interruption.Status.ENDED
    response = operator_client.post(url + "odwolaj/", follow=True)
    assert "już zakończona albo odwołana" in response.content.decode()
    verbs = list(interruption.changes.values_list("verb", flat=True))
    assert verbs == [Change.Verb.ANNOUNCED, Change.Verb.EXTENDED, Change.Verb.ENDED]
    assert AuditLogEntry.objects.filter(action="interruptions.interruption.ended").count() == 1


def test_editing_keeps_the_scope_and_rematches(operator_client, street):
    interruption = services.create_interruption(data())
    page = operator_client.get(f"/obsluga/przerwy/{interruption.pk}/zmiana/").content.decode()
    assert "Gdańska 10-20 parzyste, Bydgoszcz" in page
    values = form(
        action="publish",
        addresses="Gdańska 13",
        starts_at=timezone.localtime(interruption.starts_at).strftime("%Y-%m-%dT%H:%M"),
        expected_end_at=timezone.localtime(interruption.expected_end_at).strftime("%Y-%m-%dT%H:%M"),
    )
    operator_client.post(f"/obsluga/przerwy/{interruption.pk}/zmiana/", values)
    assert list(interruption.sites.all()) == [street["site_c"]]


CSV_OK = (
    "identyfikator;rodzaj;dotyczy;poczatek;koniec;opis;obiekty;adresy\n"
    "Z/1;planowa;cwu;2026-12-03 08:00;2026-12-03 14:00;Zawory;;Gdańska 10-20 parzyste\n"
    "Z/2;awaria;ogrzewanie;2026-12-04 08:00;2026-12-04 10:00;;{code};\n"
)


def upload(client, text, name="przerwy.csv"):
    return client.post(
        "/obsluga/przerwy/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8-sig"), "text/csv")},
    )


def test_a_csv_file_creates_every_interruption(operator_client, street):
    response = upload(operator_client, CSV_OK.format(code=street["site_c"].code))
    assert response.status_code == 302
    assert Interruption.objects.count() == 2
    assert Interruption.objects.get(external_id="Z/2").sites.get() == street["site_c"]


def test_a_csv_file_with_bad_rows_saves_nothing_and_names_each_row(operator_client, street):
    text = CSV_OK.format(code="") + (
        "Z/3;remont;cwu;2026-12-05 08:00;2026-12-05 14:00;;;Długa 5\n"
        "Z/1;planowa;cwu;jutro;2026-12-05 14:00;;;Długa 5\n"
    )
    response = upload(operator_client, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert Interruption.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    # line 3: no sites or addresses; line 4: unknown kind; line 5: duplicate id, bad date
    assert '<th scope="row">3</th><td>Podaj co najmniej jeden obiekt, węzeł lub adres.' in html
    assert '<th scope="row">4</th><td>rodzaj musi być' in html
    assert "identyfikator powtarza się (wiersz 2)" in html
    assert "początek: podaj datę i godzinę" in html


def test_a_file_that_is_not_csv_text_is_refused(operator_client):
    response = operator_client.post(
        "/obsluga/przerwy/import/",
        {"file": SimpleUploadedFile("x.csv", b"%PDF-1.4\x00\x00binary", "text/csv")},
    )
    assert "To nie jest plik tekstowy CSV." in response.content.decode()
    response = upload(operator_client, "a;b\n1;2\n")
    assert "Brak kolumn: rodzaj, dotyczy, poczatek, koniec." in response.content.decode()


def test_an_existing_external_id_in_the_file_is_an_error(operator_client, street):
    services.create_interruption(data(), external_id="Z/1")
    response = upload(operator_client, CSV_OK.format(code=street["site_c"].code))
    assert "przerwa o identyfikatorze Z/1 już istnieje" in response.content.decode()
    assert Interruption.objects.count() == 1


URLS = [
    "/obsluga/przerwy/",
    "/obsluga/przerwy/nowa/",
    "/obsluga/przerwy/import/",
    "/obsluga/przerwy/{pk}/",
    "/obsluga/przerwy/{pk}/zmiana/",
]


@pytest.fixture
def interruption(street):
    return services.create_interruption(data())


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_go_to_the_login_page(client, interruption, url):
    response = client.get(url.format(pk=interruption.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/?next=")


@pytest.mark.parametrize("url", URLS)
def test_operators_without_the_permission_are_refused(client, interruption, url):
    group = Group.objects.create(name="Kancelaria")
    group.permissions.add(Permission.objects.get(codename="access_backoffice"))
    clerk = factories.make_user()
    clerk.groups.add(group)
    client.force_login(clerk)
    assert client.get(url.format(pk=interruption.pk)).status_code == 403
    assert client.post(f"/obsluga/przerwy/{interruption.pk}/zakoncz/").status_code == 403
    assert 'href="/obsluga/przerwy/"' not in client.get("/obsluga/").content.decode()


@pytest.mark.parametrize("role", ["Operator", "Administrator"])
@pytest.mark.parametrize("url", URLS)
def test_operators_and_administrators_may_manage_interruptions(client, interruption, role, url):
    client.force_login(factories.make_operator(role=role))
    assert client.get(url.format(pk=interruption.pk)).status_code == 200


def test_customers_are_refused(customer_client, interruption):
    assert customer_client.get("/obsluga/przerwy/").status_code == 403


def test_the_list_and_detail_cost_the_same_queries_for_one_and_for_many(operator_client, street):
    first = services.create_interruption(data())
    operator_client.get("/obsluga/przerwy/")  # caches filled
    one = count_queries(lambda: operator_client.get("/obsluga/przerwy/"))
    detail = count_queries(lambda: operator_client.get(f"/obsluga/przerwy/{first.pk}/"))
    for _ in range(5):
        services.create_interruption(data())
        factories.make_site(factories.make_customer(), street="Gdańska 18")
    services.update_interruption(first, services.data_of(first))
    assert count_queries(lambda: operator_client.get("/obsluga/przerwy/")) == one
    assert count_queries(lambda: operator_client.get(f"/obsluga/przerwy/{first.pk}/")) == detail


def test_publishing_the_same_form_twice_announces_once(operator_client, street):
    page = operator_client.post("/obsluga/przerwy/nowa/", form(action="preview")).content.decode()
    key = re.search(r'name="key" value="(bok-[0-9a-f]{16})"', page).group(1)
    first = operator_client.post("/obsluga/przerwy/nowa/", form(action="publish", key=key))
    second = operator_client.post("/obsluga/przerwy/nowa/", form(action="publish", key=key))
    assert first["Location"] == second["Location"]
    assert Interruption.objects.get().external_id == key
    assert Change.objects.count() == 1
