"""Model instances read by a statement written once per process.

The rows every page reads (the logged-in user, the current customer, the account
summary) are fetched by primary or unique key. Building the ORM query for them (or a
raw queryset) costs more than running it; a `RowReader` writes the SELECT once, runs it,
converts each column as the ORM would (dates and decimals on SQLite, JSON, …) and builds
the instance with `Model.from_db`, so it behaves like one the ORM loaded.
"""

from dataclasses import dataclass

from django.db import connection, connections, router
from django.db.models import Field
from django.http import Http404

from ebok.core.fields import INT64_MAX, INT64_MIN


def key_or_404(value: int) -> int:
    """`value` (an id from the URL) if a database integer can hold it, else a 404: a
    hand-written statement would fail on it (the ORM answers "not found" itself)."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise Http404
    return value


@dataclass(frozen=True)
class Column:
    """A model field read from the table aliased `alias`, with the converters the ORM
    would apply to its value on the connection it was made for."""

    field: Field
    alias: str
    converters: tuple

    def sql(self) -> str:
        qn = connection.ops.quote_name
        return f"{qn(self.alias)}.{qn(self.field.column)}"


def columns(model, alias: str, names=None, using=None) -> list[Column]:
    """`model`'s concrete fields, or those named (in that order), as read from the table
    aliased `alias` (a hand-written statement may join several)."""
    conn = using or connection
    fields = model._meta.concrete_fields
    if names is not None:
        fields = [model._meta.get_field(name) for name in names]
    result = []
    for field in fields:
        col = field.get_col(alias)
        found = (*conn.ops.get_db_converters(col), *field.get_db_converters(conn))
        result.append(Column(field, alias, tuple((convert, col) for convert in found)))
    return result


def select_list(cols: list[Column]) -> str:
    return ", ".join(col.sql() for col in cols)


def converted(values, cols: list[Column], using=None) -> list:
    """The values of a row as the ORM would give them."""
    conn = using or connection
    values = list(values)
    for i, col in enumerate(cols):
        value = values[i]
        for convert, expression in col.converters:
            value = convert(value, expression, conn)
        values[i] = value
    return values


class RowReader:
    """`RowReader(AccountSummary, "customer").get(pk)`: the instance whose `customer`
    equals the parameter, or None; `.all(...)` every matching instance. Without a key,
    only `condition` selects. `extra` adds (name, SQL expression) pairs set as attributes
    of the instance and `condition` an SQL condition joined with AND (the table is `t`);
    `order_by` and `limit` are SQL too. The parameters are those of `extra`, then the
    key, then those of `condition`."""

    def __init__(
        self,
        model,
        key: str | None,
        extra: tuple[tuple[str, str], ...] = (),
        condition="",
        order_by="",
        limit: int | None = None,
    ):
        self.model = model
        self.key = key
        self.extra = extra
        self.condition = condition
        self.order_by = order_by
        self.limit = limit
        self._prepared = {}

    def _prepare(self, conn):
        qn = conn.ops.quote_name
        meta = self.model._meta
        cols = columns(self.model, "t", using=conn)
        selected = [col.sql() for col in cols]
        selected += [f"({sql}) AS {qn(name)}" for name, sql in self.extra]
        # Model tables and columns only: every value is a parameter.
        sql = f"SELECT {', '.join(selected)} FROM {qn(meta.db_table)} t"  # noqa: S608
        where = [f"t.{qn(meta.get_field(self.key).column)} = %s"] if self.key else []
        if self.condition:
            where.append(f"({self.condition})")
        if where:
            sql += f" WHERE {' AND '.join(where)}"
        if self.order_by:
            sql += f" ORDER BY {self.order_by}"
        if self.limit is not None:
            sql += f" LIMIT {int(self.limit)}"
        prepared = (sql, [col.field.attname for col in cols], cols)
        self._prepared[conn.alias] = prepared
        return prepared

    def get(self, *params):
        """The first row's instance, or None."""
        rows = self._read(params, many=False)
        return rows[0] if rows else None

    def all(self, *params) -> list:
        """Every row's instance, in `order_by`'s order, at most `limit`."""
        return self._read(params, many=True)

    def _read(self, params, many: bool) -> list:
        conn = connections[router.db_for_read(self.model)]
        sql, attnames, cols = self._prepared.get(conn.alias) or self._prepare(conn)
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if many else [cursor.fetchone()]
        instances = []
        for row in rows:
            if row is None:
                continue
            values = converted(row[: len(attnames)], cols, using=conn)
            instance = self.model.from_db(conn.alias, attnames, values)
            for (name, _sql), value in zip(self.extra, row[len(attnames) :], strict=True):
                setattr(instance, name, value)
            instances.append(instance)
        return instances
