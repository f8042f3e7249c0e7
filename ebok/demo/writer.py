"""Fast bulk inserts of plain tuples for the demo and benchmark generator.

A 100,000-customer dataset has tens of millions of rows; building a model instance per
row costs more than the insert itself. `TableWriter` collects tuples in a fixed column
order, fills the columns the generator does not set with the field defaults, and hands
them to a sink that inserts each table's rows with one `executemany`. The column list
comes from the model's metadata, so a field added to a model later is filled with its
default instead of breaking the generator. Ids are precomputed by the caller (`next_id`).

`ThreadedSink` inserts in a second thread with its own connection while the main thread
generates the next chunk: SQLite releases the GIL while it writes, so on a 2-core machine
generation and insertion overlap.
"""

import queue
import threading

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max


def next_id(model) -> int:
    """The first free primary key of `model` (ids are assigned by the generator)."""
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class TableWriter:
    def __init__(self, model, fields: list[str]):
        opts = model._meta
        given = [opts.get_field(name) for name in fields]
        rest = [f for f in opts.concrete_fields if f.name not in fields and f.attname not in fields]
        self.tail = tuple(
            f.get_db_prep_save(f.get_default(), connection)
            if f.has_default() or not f.null
            else None
            for f in rest
        )
        columns = [f.column for f in given + rest]
        if len(set(columns)) != len(columns):
            raise ValueError(f"{model.__name__}: a column is given twice in {fields}")
        qn = connection.ops.quote_name
        # Identifiers come from model metadata, values are parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(opts.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        self.rows: list[tuple] = []
        self.count = 0
        tail = self.tail
        append = self.rows.append
        # The hot path: one call per generated row.
        self.add = (lambda row: append(row + tail)) if tail else append

    def take(self) -> tuple[str, list[tuple]]:
        """The collected rows (and the statement inserting them); starts a new batch."""
        rows = self.rows[:]
        self.rows.clear()
        self.count += len(rows)
        return self.sql, rows


def _insert(batches) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, rows in batches:
            if rows:
                cursor.executemany(sql, rows)


class InlineSink:
    """Inserts in the calling thread, inside the caller's transaction if there is one."""

    def __init__(self, prepare=None, finish=None):
        self.finish = finish
        if prepare:
            prepare()

    def write(self, batches) -> None:
        _insert(batches)

    def close(self) -> None:
        if self.finish:
            self.finish()


class ThreadedSink:
    """Inserts in a background thread (own connection), one transaction per chunk.

    The queue is bounded, so generation never runs more than two chunks ahead.
    `prepare`/`finish` run in the writer thread (e.g. connection PRAGMAs).
    """

    def __init__(self, prepare=None, finish=None):
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, args=(prepare, finish), name="demo-writer", daemon=True
        )
        self.thread.start()

    def _run(self, prepare, finish):
        try:
            if prepare:
                prepare()
            while (batches := self.queue.get()) is not None:
                if self.error is None:
                    _insert(batches)
            if finish:
                finish()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            self.error = exc
            while self.queue.get() is not None:  # let the producer finish and see the error
                pass
        finally:
            connection.close()

    def write(self, batches) -> None:
        if self.error is not None:
            self.close()
        self.queue.put(batches)

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def reset_sequences(models) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
