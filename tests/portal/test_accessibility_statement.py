"""The accessibility statement: public, in the statutory Polish form, from configuration."""

import pytest

from ebok.core.models import CompanySettings

URL = "/deklaracja-dostepnosci/"


@pytest.fixture
def config(db):
    config = CompanySettings.get()
    config.company_name = "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o."
    config.email = "bok@mpec.example.pl"
    config.phone = "52 300 00 00"
    config.street = "ul. Ciepłownicza 1"
    config.postal_code = "85-001"
    config.city = "Bydgoszcz"
    config.save()
    return config


def test_anybody_can_read_it_without_logging_in(client, config):
    response = client.get(URL)
    assert response.status_code == 200
    assert "<h1>Deklaracja dostępności</h1>" in response.content.decode()


def test_it_has_every_part_of_the_statutory_form(client, config):
    html = client.get(URL).content.decode()
    for part in [
        "zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z ustawą "
        "z dnia 4 kwietnia 2019 r.",
        "Data publikacji strony internetowej",
        "Data ostatniej istotnej aktualizacji",
        "Stan dostępności cyfrowej",
        "Przygotowanie deklaracji dostępności",
        "Deklarację sporządzono dnia",
        "Skróty klawiaturowe",
        "Informacje zwrotne i dane kontaktowe",
        "Procedura wnioskowo-skargowa",
        "Rzecznika Praw Obywatelskich",
        "Dostępność architektoniczna",
        "Aplikacje mobilne",
    ]:
        assert part in html, part


def test_it_is_filled_from_the_company_settings(client, config):
    html = client.get(URL).content.decode()
    assert "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o. zobowiązuje się" in html
    assert 'href="mailto:bok@mpec.example.pl"' in html
    assert "52 300 00 00" in html
    assert 'href="http://testserver/"' in html


def test_the_company_writes_the_building_accessibility_in_the_configuration(client, config):
    config.accessibility_statement = (
        "Wejście od ul. Ciepłowniczej ma podjazd.\n\nPętla indukcyjna przy okienku 1."
    )
    config.save()
    html = client.get(URL).content.decode()
    assert "<p>Wejście od ul. Ciepłowniczej ma podjazd.</p>" in html
    assert "Pętla indukcyjna przy okienku 1." in html


def test_the_publication_date_comes_from_the_settings(client, config, settings):
    settings.EBOK_PUBLISHED_ON = "2026-12-01"
    html = client.get(URL).content.decode()
    assert '<time id="a11y-data-publikacja" datetime="2026-12-01">01-12-2026</time>' in html


def test_every_page_links_to_it_from_the_footer(client, customer_client, config):
    assert f'href="{URL}"' in client.get("/").content.decode()
    assert f'href="{URL}"' in customer_client.get("/kontrahent/").content.decode()
