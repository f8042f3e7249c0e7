"""The one date input of every form: the browser's picker, given an ISO value in any language."""

from datetime import date

from django import forms
from django.utils import translation

from ebok.core.forms import DateInput


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
