"""One way to write amounts, NIPs and account numbers: the same text on pages and PDFs."""

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ebok.billing import pdf as billing_pdf
from ebok.core import formatting


def test_amounts_in_polish_have_a_space_between_thousands_and_a_decimal_comma():
    with translation.override("pl"):
        assert formatting.money(Decimal("1234.5")) == "1\xa0234,50 zł"
        assert formatting.money("-84") == "-84,00 zł"
    assert formatting.money(None) == "—"


def test_numbers_keep_only_the_decimals_they_have():
    with translation.override("pl"):
        assert formatting.number(Decimal("0.2500")) == "0,25"
        assert formatting.number(Decimal("23"), 0) == "23"


def test_a_nip_is_written_in_groups_of_three_three_two_two():
    assert formatting.nip("5261040828") == "526-104-08-28"
    assert formatting.nip("PL5261040828") == "PL5261040828"  # not ten digits: as it is
    assert formatting.nip("") == ""


def test_an_account_number_is_written_in_groups_of_four_after_the_check_digits():
    assert (
        formatting.bank_account("61109010140000071219812874") == "61 1090 1014 0000 0712 1981 2874"
    )
    assert formatting.bank_account("123") == "123"


def test_dates_are_day_month_year():
    assert formatting.dmy(date(2026, 10, 31)) == "31-10-2026"
    assert formatting.dmy(None) == "—"


def test_the_template_filters_and_the_pdf_code_write_the_same_text():
    template = Template(
        "{% load ebok %}{{ amount|money }}|{{ nip|nip }}|{{ account|bank_account }}"
    )
    values = {
        "amount": Decimal("984.00"),
        "nip": "5261040828",
        "account": "61109010140000071219812874",
    }
    with translation.override("pl"):
        page = template.render(Context(values))
        assert page == "|".join(
            [
                billing_pdf.money(values["amount"]),
                formatting.nip(values["nip"]),
                formatting.bank_account(values["account"]),
            ]
        )
    assert billing_pdf.money is formatting.money
