"""Form pieces every front end shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

# What a date field accepts: the browser's date picker sends ISO dates; people typing by
# hand write 31-10-2026 or 31.10.2026.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    """The browser's date picker (`<input type="date">`). Its value is always ISO
    (yyyy-mm-dd), whatever the language: the picker shows no other format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """A date range filter read from the query string. Its parameters are `od` and `do`
    in every list of portal and back office; `date_from` and `date_to`, the names some
    lists used before, are still understood so that bookmarks keep working. A start
    after the end is a form error; an invalid range filters nothing."""

    OLD_NAMES = {"date_from": "od", "date_to": "do"}

    od = forms.DateField(
        label=_("Zakres dat od"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )
    do = forms.DateField(
        label=_("do"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = with_current_date_names(data)
        super().__init__(data, *args, **kwargs)

    @classmethod
    def from_query(cls, query):
        """The form bound to `query` (request.GET) when the query names one of its
        fields (or an old date name), unbound otherwise: a list opened without a filter
        shows no errors."""
        names = set(cls.base_fields) | set(cls.OLD_NAMES)
        return cls(query if names & set(query) else None)

    def clean(self):
        data = super().clean()
        start, end = data.get("od"), data.get("do")
        if start and end and start > end:
            raise forms.ValidationError(_("Data „od” jest późniejsza niż data „do”."))
        return data

    def range(self):
        """(start, end) of a valid range, each None when not given; (None, None) when
        the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("od"), self.cleaned_data.get("do")


def with_current_date_names(query):
    """`query` (a QueryDict or dict) with `date_from`/`date_to` given as `od`/`do` where
    those are not given themselves."""
    if not any(old in query for old in DateRangeForm.OLD_NAMES):
        return query
    query = query.copy()
    for old, new in DateRangeForm.OLD_NAMES.items():
        if old in query:
            value = query.pop(old)
            if new not in query:
                query[new] = value[-1] if isinstance(value, list) else value
    return query
