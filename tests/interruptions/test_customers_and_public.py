"""What customers and visitors see: the banner, the customer's list, the public page with
the address search, and the Atom and iCalendar feeds."""

from datetime import timedelta

import feedparser
import icalendar
import pytest
from django.utils import timezone

from ebok.interruptions import ical, services
from ebok.interruptions.models import Interruption
from tests import factories
from tests.interruptions.conftest import count_queries, data

BANNER = 'id="interruption-banner-heading"'


@pytest.fixture
def users(street):
    return {
        "a": factories.make_user(customers=[street["a"]]),
        "c": factories.make_user(customers=[street["c"]]),
    }


def test_the_banner_shows_on_every_page_only_to_affected_customers(client, users, street):
    services.create_interruption(data())
    client.force_login(users["a"])
    for url in ["/", "/faktury/", "/umowy/", "/pisma/"]:
        html = client.get(url).content.decode()
        assert BANNER in html, url
        assert "Prace planowe: ciepła woda" in html
    client.force_login(users["c"])  # Gdańska 13: odd number, outside the range
    assert BANNER not in client.get("/").content.decode()


def test_the_banner_follows_changes_at_once_despite_the_cache(client, users, street):
    interruption = services.create_interruption(data())
    client.force_login(users["a"])
    assert BANNER in client.get("/").content.decode()
    services.end_interruption(interruption)
    assert BANNER not in client.get("/").content.decode()


def test_a_planned_interruption_shows_no_banner_before_it_starts(client, users, street):
    now = timezone.now()
    services.create_interruption(
        data(starts_at=now + timedelta(days=1), expected_end_at=now + timedelta(days=1, hours=6))
    )
    client.force_login(users["a"])
    assert BANNER not in client.get("/").content.decode()
    assert "Trwające i zapowiedziane" in client.get("/przerwy/moje/").content.decode()


def test_the_banner_costs_at_most_one_query_and_none_once_cached(
    client, users, street, django_assert_num_queries
):
    from django.test import RequestFactory

    from ebok.portal.context_processors import interruption_banner as banner

    services.create_interruption(data())
    request = RequestFactory().get("/")
    request.user = users["a"]
    request.session = client.session
    request._ebok_customer = street["a"]
    with django_assert_num_queries(1):
        assert len(banner(request)["interruption_banner"]) == 1
    request = RequestFactory().get("/")
    request.user = users["a"]
    request._ebok_customer = street["a"]
    with django_assert_num_queries(0):
        assert len(banner(request)["interruption_banner"]) == 1


def test_the_customer_list_shows_own_sites_only(client, users, street):
    old = services.create_interruption(
        data(
            starts_at=timezone.now() - timedelta(days=10),
            expected_end_at=timezone.now() - timedelta(days=9),
        )
    )
    services.end_interruption(old, old.expected_end_at)
    services.create_interruption(data())
    client.force_login(users["a"])
    html = client.get("/przerwy/moje/").content.decode()
    assert "ul. Gdańska 12" in html
    assert "ul. Gdańska 14" not in html  # customer B's site
    assert "Wcześniejsze przerwy" in html and "zakończona" in html
    client.force_login(users["c"])
    html = client.get("/przerwy/moje/").content.decode()
    assert "Przy Twoich obiektach nie ma teraz przerw" in html
    assert "Brak wcześniejszych przerw." in html


def test_the_customer_list_costs_constant_queries(client, users, street):
    services.create_interruption(data())
    client.force_login(users["a"])
    client.get("/przerwy/moje/")
    one = count_queries(lambda: client.get("/przerwy/moje/"))
    for _ in range(4):
        services.create_interruption(data())
    client.get("/przerwy/moje/")  # the banner's cache is filled again after the changes
    assert count_queries(lambda: client.get("/przerwy/moje/")) == one <= 8


def test_visitors_find_an_interruption_by_street_and_number_without_logging_in(client, street):
    services.create_interruption(data(description="Wymiana zaworów."))
    html = client.get("/przerwy/?ulica=gdańska&numer=16").content.decode()
    assert "Wymiana zaworów." in html
    assert "Gdańska 10–20 (numery parzyste), Bydgoszcz" in html
    html = client.get("/przerwy/?ulica=Gdańska&numer=15").content.decode()
    assert "Wymiana zaworów." not in html
    assert "znaleziono przerwy: 0" in html
    html = client.get("/przerwy/?ulica=&numer=12").content.decode()
    assert "Podaj ulicę, przy której jest ten numer." in html


def test_the_public_page_names_no_customer(client, street):
    services.create_interruption(data(addresses="", codes=street["site_a"].code))
    html = client.get("/przerwy/").content.decode()
    assert "ul. Gdańska, Bydgoszcz (wybrane budynki)" in html
    assert street["a"].name not in html
    assert street["a"].payer_code not in html
    assert "ul. Gdańska 12" not in html  # one building's address is not published


def test_the_public_page_and_feeds_cost_constant_queries(client, street):
    services.create_interruption(data())
    urls = ["/przerwy/", "/przerwy/atom.xml", "/przerwy/kalendarz.ics"]
    for url in urls:
        client.get(url)  # the company settings's cache is filled
    # Each count is the first view after a change (the public list is then rendered anew).
    services.create_interruption(data())
    before = [count_queries(lambda u=u: client.get(u)) for u in urls]
    for _ in range(4):
        services.create_interruption(data(codes=street["site_c"].code))
    assert [count_queries(lambda u=u: client.get(u)) for u in urls] == before
    assert max(before) <= 6
    # A later view of the public list reads its interruptions from the cache.
    assert count_queries(lambda: client.get("/przerwy/")) < before[0]


def test_the_atom_feed_parses_and_filters_by_street(client, street):
    services.create_interruption(data(description="Zawory"))
    services.create_interruption(data(addresses="Długa 5A, Bydgoszcz", kind="failure"))
    response = client.get("/przerwy/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = sorted(e.title for e in feed.entries)
    assert titles == [
        "Awaria: ciepła woda — Długa 5A, Bydgoszcz",
        "Prace planowe: ciepła woda — Gdańska 10–20 (numery parzyste), Bydgoszcz",
    ]
    street_feed = feedparser.parse(client.get("/przerwy/atom.xml?ulica=ul.+Długa").content)
    assert [e.title for e in street_feed.entries] == ["Awaria: ciepła woda — Długa 5A, Bydgoszcz"]
    assert street["a"].name not in response.content.decode()


def test_an_unchanged_feed_answers_304(client, street):
    services.create_interruption(data())
    first = client.get("/przerwy/kalendarz.ics")
    again = client.get("/przerwy/kalendarz.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    services.create_interruption(data())
    assert client.get("/przerwy/kalendarz.ics", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_calendar_parses_with_one_event_per_interruption(client, street):
    cancelled = services.create_interruption(data(description="Długi opis; z przecinkami, " * 5))
    services.cancel_interruption(cancelled)
    services.create_interruption(data(addresses="Długa 5A"))
    response = client.get("/przerwy/kalendarz.ics?ulica=Gdańska")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # the Długa one is on another street
    event = events[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == cancelled.starts_at.replace(microsecond=0)
    assert str(event["DESCRIPTION"]).endswith(
        "\nDługi opis; z przecinkami, " + "Długi opis; z przecinkami, " * 4
    )
    assert str(event["LOCATION"]) == "Gdańska 10–20 (numery parzyste), Bydgoszcz"


def test_folding_never_cuts_a_polish_letter():
    line = "SUMMARY:" + "żółć" * 40
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ical.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_a_public_detail_page_exists_for_each_interruption(client, street):
    interruption = services.create_interruption(data())
    assert client.get(f"/przerwy/{interruption.pk}/").status_code == 200
    assert client.get("/przerwy/999999/").status_code == 404
    assert Interruption.objects.count() == 1


def test_a_mixed_scope_lists_each_area_once(client, street):
    services.create_interruption(data(codes=street["site_c"].code))
    html = client.get("/przerwy/").content.decode()
    assert "Gdańska 10–20 (numery parzyste), Bydgoszcz" in html
    assert html.count("(wybrane budynki)") == 1  # site C by its code; A and B by the range


def test_the_public_page_offers_a_calendar_subscription_for_the_searched_street(
    client, street, settings
):
    settings.EBOK_BASE_URL = "https://ebok.example.com"
    html = client.get("/przerwy/?ulica=Gdańska").content.decode()
    assert 'href="webcal://ebok.example.com/przerwy/kalendarz.ics?ulica=Gda%C5%84ska"' in html


def test_the_feed_changes_when_an_interruption_starts_without_any_edit(client, street, monkeypatch):
    now = timezone.now()
    services.create_interruption(
        data(starts_at=now + timedelta(hours=1), expected_end_at=now + timedelta(hours=3))
    )
    before = client.get("/przerwy/atom.xml")
    assert "Stan: zapowiedziana." in before.content.decode()
    monkeypatch.setattr(services, "now", lambda: now + timedelta(hours=2))
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    after = client.get("/przerwy/atom.xml", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Stan: trwa." in after.content.decode()


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_cached_public_list_moves_an_interruption_when_it_starts_and_drops_it_at_its_end(
    client, street, monkeypatch
):
    now = timezone.now()
    services.create_interruption(
        data(
            description="Płukanie instalacji",
            starts_at=now + timedelta(hours=1),
            expected_end_at=now + timedelta(hours=3),
        )
    )
    for _ in range(2):  # the second view from the cache
        html = client.get("/przerwy/").content.decode()
        assert "Płukanie instalacji" in _section(html, "planned-heading")
    for hours, where in ((2, "current-heading"), (4, None)):
        later = now + timedelta(hours=hours)
        monkeypatch.setattr(services, "now", lambda later=later: later)
        monkeypatch.setattr(timezone, "now", lambda later=later: later)
        html = client.get("/przerwy/").content.decode()
        if where is None:
            assert "Płukanie instalacji" not in html
        else:
            assert "Płukanie instalacji" in _section(html, where)
            assert "Płukanie instalacji" not in _section(html, "planned-heading")


def test_the_cached_public_list_shows_a_change_and_each_search_at_once(client, street):
    interruption = services.create_interruption(data(description="Wymiana zasuwy"))
    assert "Wymiana zasuwy" in client.get("/przerwy/").content.decode()
    assert "Wymiana zasuwy" not in client.get("/przerwy/?ulica=Długa").content.decode()
    assert "Wymiana zasuwy" in client.get("/przerwy/?ulica=Gdańska&numer=12").content.decode()
    services.cancel_interruption(interruption, user=None, source="test")
    assert "Wymiana zasuwy" not in client.get("/przerwy/").content.decode()
    # The same list in the other language is its own fragment.
    english = client.get("/przerwy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Current interruptions" in english and "Trwające przerwy" not in english


def test_the_cached_customer_list_follows_changes_starts_and_ends_and_stays_the_customers(
    client, users, street, monkeypatch
):
    now = timezone.now()
    services.create_interruption(
        data(
            description="Płukanie instalacji",
            starts_at=now + timedelta(hours=1),
            expected_end_at=now + timedelta(hours=3),
        )
    )
    client.force_login(users["a"])
    for _ in range(2):  # the second view from the cache
        html = client.get("/przerwy/moje/").content.decode()
        assert "zapowiedziana" in _section(html, "current-heading")
    # Another customer of the street (outside the range) has their own page, not A's.
    client.force_login(users["c"])
    other = client.get("/przerwy/moje/").content.decode()
    assert "Przy Twoich obiektach nie ma teraz przerw" in other
    client.force_login(users["a"])
    # A new interruption shows at once.
    services.create_interruption(data(description="Awaria zasuwy", kind="failure"))
    assert "Awaria" in client.get("/przerwy/moje/").content.decode()
    # The planned one starts, then ends: no edit, the cached page follows.
    for hours, expected in ((2, "trwa"), (4, None)):
        later = now + timedelta(hours=hours)
        monkeypatch.setattr(services, "now", lambda later=later: later)
        monkeypatch.setattr(timezone, "now", lambda later=later: later)
        current = _section(client.get("/przerwy/moje/").content.decode(), "current-heading")
        if expected:
            assert current.count("trwa") == 2  # the failure and the planned works
        else:
            assert current.count("trwa") == 1  # the planned works ended
