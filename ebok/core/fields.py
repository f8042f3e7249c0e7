"""Form fields shared by every front app.

`ModelChoiceField` and `ModelMultipleChoiceField` behave like Django's, but a key that
cannot be a row id (e.g. 19 digits: SQLite raises OverflowError on anything past a
64-bit integer) is an ordinary "invalid choice" form error instead of a 500.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def is_possible_key(queryset, to_field_name, value) -> bool:
    """False for a value that cannot be a key of an integer key field."""
    model = queryset.model
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    if not isinstance(field, models.IntegerField | models.AutoField):
        return True
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True  # Django's own check answers "invalid choice"
    return INT64_MIN <= number <= INT64_MAX


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_possible_key(
            self.queryset, self.to_field_name, value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_possible_key(self.queryset, self.to_field_name, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
