"""House numbers, address ranges and which sites a scope matches, worked out by hand."""

import pytest

from ebok.interruptions import matching
from ebok.interruptions.matching import ScopeError, house_number, parse_address_line
from tests import factories


def test_house_numbers_compare_by_number_then_letter():
    assert house_number("12") == (12, "")
    assert house_number("12a") == (12, "A")
    assert house_number("12 B") == (12, "B")
    assert house_number("12") < house_number("12A") < house_number("12B") < house_number("13")
    assert house_number("9") < house_number("10")  # numbers, not text: "9" > "10" as text
    assert house_number("dwanaście") is None


def test_a_site_address_splits_into_street_and_number():
    assert matching.split_site_address("ul. Gdańska 112") == ("gdańska", (112, ""))
    assert matching.split_site_address("al. Jana Pawła II 5A") == ("jana pawła ii", (5, "A"))
    assert matching.split_site_address("Długa 7/3") == ("długa", (7, ""))
    assert matching.split_site_address("ul. 3 Maja 10 m. 4") == ("3 maja", (10, ""))
    assert matching.split_site_address("Osiedle Leśne") == ("leśne", None)


def test_an_address_line_is_parsed_into_street_range_parity_and_city():
    r = parse_address_line("ul. Gdańska 10-20 parzyste, Bydgoszcz")
    assert (r.street, r.number_from, r.number_to, r.parity, r.city) == (
        "ul. Gdańska",
        "10",
        "20",
        "even",
        "Bydgoszcz",
    )
    r = parse_address_line("Długa 5a")
    assert (r.street, r.number_from, r.number_to, r.parity, r.city) == (
        "Długa",
        "5A",
        "",
        "all",
        "",
    )
    r = parse_address_line("3 Maja nieparzyste")
    assert (r.street, r.number_from, r.parity) == ("3 Maja", "", "odd")


@pytest.mark.parametrize(
    "line",
    ["20-10", "Gdańska 20-10", ""],
)
def test_lines_without_a_street_or_with_a_reversed_range_are_refused(line):
    with pytest.raises(ScopeError):
        parse_address_line(line)


@pytest.mark.parametrize(
    ("number", "covered"),
    [
        ("10", True),  # the first of the range
        ("12A", True),  # a letter inside the range, even number
        ("14", True),
        ("20", True),  # the last of the range
        ("20A", False),  # after 20 (write 10-20A to include it)
        ("22", False),  # beyond the range
        ("13", False),  # odd
        ("8", False),  # before the range
    ],
)
def test_an_even_range_covers_even_numbers_between_its_ends(number, covered):
    r = parse_address_line("Gdańska 10-20 parzyste")
    assert r.covers("gdańska", house_number(number), "Bydgoszcz") is covered


def test_a_range_ending_with_a_letter_includes_the_lettered_house():
    r = parse_address_line("Gdańska 10-20A")
    assert r.covers("gdańska", (20, "A"), "Bydgoszcz")
    assert not r.covers("gdańska", (20, "B"), "Bydgoszcz")


def test_a_single_number_covers_only_that_house():
    r = parse_address_line("Długa 5A")
    assert r.covers("długa", (5, "A"), "Toruń")
    assert not r.covers("długa", (5, ""), "Toruń")
    assert not r.covers("długa", (5, "B"), "Toruń")


def test_a_city_limits_the_range_and_streets_compare_without_prefix_or_case():
    r = parse_address_line("ŁÓDZKA, Bydgoszcz")
    assert r.covers(matching.normalise_street("ul. Łódzka"), (1, ""), "bydgoszcz")
    assert not r.covers(matching.normalise_street("ul. Łódzka"), (1, ""), "Toruń")


def test_sites_are_matched_by_code_and_by_street_range(db):
    customer = factories.make_customer()
    in_range = [
        factories.make_site(customer, street="ul. Gdańska 10"),
        factories.make_site(customer, street="ul. Gdańska 12A"),
        factories.make_site(customer, street="Gdańska 20"),
    ]
    out_of_range = [
        factories.make_site(customer, street="ul. Gdańska 11"),  # odd
        factories.make_site(customer, street="ul. Gdańska 22"),  # beyond
        factories.make_site(customer, street="ul. Gdańska 12", city="Toruń"),  # other city
        factories.make_site(customer, street="ul. Gdańskiego 12"),  # another street
    ]
    by_code = factories.make_site(customer, street="ul. Długa 1", code="W-7777")
    sites = matching.match_sites(
        ["W-7777"], [parse_address_line("ul. Gdańska 10-20 parzyste, Bydgoszcz")]
    )
    assert {s.pk for s in sites} == {s.pk for s in in_range} | {by_code.pk}
    assert not {s.pk for s in out_of_range} & {s.pk for s in sites}


def test_street_names_with_polish_capitals_match_on_sqlite_too(db):
    customer = factories.make_customer()
    site = factories.make_site(customer, street="ul. Łódzka 4")
    assert matching.match_sites([], [parse_address_line("łódzka 2-6")]) == [site]
