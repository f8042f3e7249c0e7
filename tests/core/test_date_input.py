"""The one date input of every form (the browser's picker, given an ISO value in any
language) and the one date range filter (`od`, `do`; the old names still understood)."""

from datetime import date

from django import forms
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from ebok.core.forms import DateInput, DateRangeForm
from ebok.core.paging import query_without_page


class Form(forms.Form):
    day = forms.DateField(widget=DateInput())


def test_a_date_renders_as_an_iso_date_picker_in_polish_and_english():
    for language in ("pl", "en"):
        with translation.override(language):
            html = str(Form(initial={"day": date(2026, 10, 31)})["day"])
        assert 'type="date"' in html
        assert 'value="2026-10-31"' in html


def test_attributes_are_kept():
    html = DateInput(attrs={"min": "2026-01-01"}).render("day", None)
    assert 'min="2026-01-01"' in html and 'type="date"' in html


def test_a_date_range_reads_od_and_do():
    form = DateRangeForm({"od": "2026-10-01", "do": "31-10-2026"})
    assert form.range() == (date(2026, 10, 1), date(2026, 10, 31))


def test_the_old_parameter_names_still_work_and_the_current_ones_win():
    query = QueryDict("date_from=2026-10-01&date_to=2026-10-31")
    assert DateRangeForm(query).range() == (date(2026, 10, 1), date(2026, 10, 31))
    both = QueryDict("od=2026-09-01&date_from=2026-10-01")
    assert DateRangeForm(both).range() == (date(2026, 9, 1), None)


def test_a_start_after_the_end_is_an_error_and_filters_nothing():
    form = DateRangeForm({"od": "2026-10-31", "do": "2026-10-01"})
    assert form.range() == (None, None)
    assert form.non_field_errors() == ["Data „od” jest późniejsza niż data „do”."]


def test_a_date_that_is_not_one_keeps_what_was_typed():
    form = DateRangeForm({"od": "31.02.2026"})
    assert form.range() == (None, None)
    assert 'value="31.02.2026"' in str(form["od"])


def test_a_list_opened_without_a_filter_gets_an_unbound_form():
    assert not DateRangeForm.from_query(QueryDict("strona=2")).is_bound
    assert DateRangeForm.from_query(QueryDict("od=2026-10-01")).is_bound
    old = DateRangeForm.from_query(QueryDict("date_to=2026-10-31"))
    assert old.range() == (None, date(2026, 10, 31))


def test_bad_input_is_a_polish_error_on_the_field_never_an_exception():
    for value in ("garbage", "2026-13-45", "31.02.2026", "2026-10-01" * 1000, "\x00", "-1"):
        form = DateRangeForm({"od": value})
        assert form.range() == (None, None)
        assert form.errors["od"] == ["Wpisz poprawną datę."]


def test_the_pagination_and_download_links_carry_the_filter_under_its_current_name():
    request = RequestFactory().get(
        "/faktury/historia/", {"date_from": "2026-01-01", "status": "paid", "strona": "2"}
    )
    assert query_without_page(request) == "status=paid&od=2026-01-01"
    request = RequestFactory().get("/faktury/historia/", {"od": "2026-01-01", "do": "2026-01-31"})
    assert query_without_page(request) == "od=2026-01-01&do=2026-01-31"
