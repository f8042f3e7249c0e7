"""Model instances read by a statement written once per process.

The rows every page reads (the logged-in user, the current customer, the account
summary) are fetched by primary or unique key. Building the ORM query for them (or a
raw queryset) costs more than running it; a `RowReader` writes the SELECT once, runs it,
converts each column as the ORM would (dates and decimals on SQLite, JSON, …) and builds
the instance with `Model.from_db`, so it behaves like one the ORM loaded.
"""

from django.db import connections, router


class RowReader:
    """`RowReader(AccountSummary, "customer").get(pk)`: the instance whose `customer`
    equals the parameter, or None (without a key, only `condition` selects). `extra` adds (name, SQL expression) pairs set as
    attributes of the instance and `condition` an SQL condition joined with AND (the table
    is `t`); the parameters of `get` are those of `extra`, then the key, then those of
    `condition`."""

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

    def _prepare(self, connection):
        qn = connection.ops.quote_name
        meta = self.model._meta
        fields = list(meta.concrete_fields)
        columns = [f"t.{qn(f.column)}" for f in fields]
        columns += [f"({sql}) AS {qn(name)}" for name, sql in self.extra]
        # Model tables and columns only: every value is a parameter.
        sql = f"SELECT {', '.join(columns)} FROM {qn(meta.db_table)} t"  # noqa: S608
        where = [f"t.{qn(meta.get_field(self.key).column)} = %s"] if self.key else []
        if self.condition:
            where.append(f"({self.condition})")
        if where:
            sql += f" WHERE {' AND '.join(where)}"
        if self.order_by:
            sql += f" ORDER BY {self.order_by}"
        if self.limit is not None:
            sql += f" LIMIT {int(self.limit)}"
        converters = []
        for index, field in enumerate(fields):
            col = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if found:
                converters.append((index, col, found))
        prepared = (sql, [f.attname for f in fields], converters)
        self._prepared[connection.alias] = prepared
        return prepared

    def get(self, *params):
        """The first row's instance, or None."""
        rows = self._read(params, many=False)
        return rows[0] if rows else None

    def all(self, *params) -> list:
        """Every row's instance, in `order_by`'s order, at most `limit`."""
        return self._read(params, many=True)

    def _read(self, params, many: bool) -> list:
        connection = connections[router.db_for_read(self.model)]
        sql, attnames, converters = self._prepared.get(connection.alias) or self._prepare(
            connection
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if many else [cursor.fetchone()]
        instances = []
        for row in rows:
            if row is None:
                continue
            values = list(row[: len(attnames)])
            for index, col, functions in converters:
                value = values[index]
                for function in functions:
                    value = function(value, col, connection)
                values[index] = value
            instance = self.model.from_db(connection.alias, attnames, values)
            for (name, _sql), value in zip(self.extra, row[len(attnames) :], strict=True):
                setattr(instance, name, value)
            instances.append(instance)
        return instances
