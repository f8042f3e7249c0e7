"""Rows of the back office's busiest pages read by fixed statements: the SQL is written
once per process from the models' table and column names, and each value is converted as
the ORM converts it (an aware datetime, a date, a decimal, a boolean), without building
an ORM query (which cost more than running it) or a model instance per row."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Field


@dataclass(frozen=True)
class Column:
    field: Field
    alias: str
    converters: tuple

    def sql(self) -> str:
        qn = connection.ops.quote_name
        return f"{qn(self.alias)}.{qn(self.field.column)}"


def columns(model, alias: str, names=None) -> list[Column]:
    """`model`'s concrete fields, or those named (in that order), as read from the table
    aliased `alias`, with the converters of the current connection."""
    fields = model._meta.concrete_fields
    if names is not None:
        fields = [model._meta.get_field(name) for name in names]
    result = []
    for field in fields:
        col = field.get_col(alias)
        converters = (*connection.ops.get_db_converters(col), *field.get_db_converters(connection))
        result.append(Column(field, alias, tuple((convert, col) for convert in converters)))
    return result


def select_list(cols: list[Column]) -> str:
    return ", ".join(col.sql() for col in cols)


def converted(values, cols: list[Column]) -> list:
    """The values of a row as the ORM would give them."""
    values = list(values)
    for i, col in enumerate(cols):
        value = values[i]
        for convert, expression in col.converters:
            value = convert(value, expression, connection)
        values[i] = value
    return values
