"""Form pieces every front end shares."""

from django import forms

# What a date field accepts: the browser's date picker sends ISO dates; people typing by
# hand write 31-10-2026 or 31.10.2026.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    """The browser's date picker (`<input type="date">`). Its value is always ISO
    (yyyy-mm-dd), whatever the language: the picker shows no other format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
