"""Import a batch file exported by the billing system (CSV or JSON Lines).

For nightly full or incremental exports and for the first load, where an API call per
thousands of records would be clumsy. Same rules as the API: upsert by external_id,
newer versions only, explicit cancellations; `--dry-run` reports without writing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ebok.integration import files
from ebok.integration.importer import DEFAULT_CHUNK, import_records
from ebok.integration.models import ImportBatch
from ebok.integration.records import KINDS


class Command(BaseCommand):
    help = "Import billing records from a CSV or JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind", choices=KINDS, help="record kind (default: from the file name)"
        )
        parser.add_argument("--format", choices=files.FORMATS, help="default: from the extension")
        parser.add_argument("--delimiter", default=";", help="CSV delimiter (default ';')")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and compare, write nothing"
        )
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--show-errors", type=int, default=20, help="list at most this many errors"
        )

    def handle(
        self,
        *args,
        path: Path,
        kind,
        format,
        delimiter,
        dry_run,
        chunk_size,
        no_progress,
        show_errors,
        **options,
    ):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        fmt = format or files.guess_format(path)
        if fmt is None:
            raise CommandError("Cannot tell the format from the extension; use --format csv|jsonl.")
        kind = kind or files.guess_kind(path)
        if kind is None:
            raise CommandError(
                f"Cannot tell the kind from the file name; use --kind ({', '.join(KINDS)})."
            )
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        if len(delimiter) != 1:
            raise CommandError("The delimiter must be one character.")

        bar = tqdm(
            total=files.count_records(path, fmt),
            unit=" rec",
            disable=True if no_progress else None,
            file=self.stderr._out,
            desc=kind,
        )
        with bar:
            summary = import_records(
                kind,
                files.read_file(path, kind, fmt, delimiter),
                dry_run=dry_run,
                keep_results=False,
                chunk_size=chunk_size,
                source=ImportBatch.Source.FILE,
                file_name=path.name,
                progress=bar.update,
            )
        elapsed = bar.format_dict.get("elapsed") or 0
        c = summary.counts
        prefix = "DRY RUN (nothing written): " if dry_run else ""
        self.stdout.write(
            f"{prefix}{kind} from {path.name}: {summary.total} records — "
            f"created {c['created']}, updated {c['updated']}, unchanged {c['unchanged']}, "
            f"errors {c['error']}"
            + (f" in {elapsed:.1f} s ({summary.total / elapsed:,.0f} records/s)" if elapsed else "")
        )
        for err in summary.errors[:show_errors]:
            self.stdout.write(f"  record {err.index + 1} ({err.external_id or '?'}): {err.message}")
        if c["error"] > min(show_errors, len(summary.errors)):
            self.stdout.write(
                f"  … {c['error'] - min(show_errors, len(summary.errors))} more errors"
            )
