"""The embedded default cache: Django's database cache with an atomic `incr`.

Rate limits count with `cache.add(key, 1, window)` then `cache.incr(key)`. Django's
database cache implements `incr` as get-then-set, which loses counts when two processes
increment at once and, worse, resets the entry's expiry to the default timeout (a
one-hour window would become five minutes). Here `incr` reads the row under a lock
(SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction mode takes the
write lock when the transaction starts) and updates only the value, so the window keeps
its end and concurrent increments from any worker are all counted.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def validate_key(self, key):
        """No memcached compatibility warnings: this backend takes any key (every page
        reads several; Django's check walks each key's characters)."""

    def get(self, key, default=None, version=None):
        return self.get_many([key], version).get(key, default)

    def get_many(self, keys, version=None):
        """Django's read with the expiry compared in SQL: no datetime conversion per row.
        An expired row is left for the culling that every `set` runs."""
        if not keys:
            return {}
        key_map = {self.make_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        sql = _get_many_sql(connection, self._table, len(key_map))
        expires = connection.ops.adapt_datetimefield_value(tz_now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [*key_map, expires])
            rows = cursor.fetchall()
        result = {}
        for key, value in rows:
            value = connection.ops.process_clob(value)
            result[key_map[key]] = pickle.loads(base64.b64decode(value.encode()))  # noqa: S301 - our own cache table
        return result

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "  # noqa: S608 - quoted identifiers, value is a parameter
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is not None:
                value, expires = row
                expression = models.Expression(output_field=models.DateTimeField())
                converters = connection.ops.get_db_converters(
                    expression
                ) + expression.get_db_converters(connection)
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    row = None
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))  # noqa: S301 - our own cache table
            new_value = value + delta
            pickled = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608
                f"WHERE {quote_name('cache_key')} = %s",
                [pickled.decode("latin1"), key],
            )
        return new_value


_GET_MANY_SQL = {}


def _get_many_sql(connection, table, count):
    key = (connection.vendor, table, count)
    if key not in _GET_MANY_SQL:
        _GET_MANY_SQL[key] = _build_get_many_sql(connection, table, count)
    return _GET_MANY_SQL[key]


def _build_get_many_sql(connection, table, count):
    quote_name = connection.ops.quote_name
    return (
        f"SELECT {quote_name('cache_key')}, {quote_name('value')} FROM {quote_name(table)} "  # noqa: S608 - quoted identifiers, keys are parameters
        f"WHERE {quote_name('cache_key')} IN ({', '.join(['%s'] * count)}) "
        f"AND {quote_name('expires')} >= %s"
    )
