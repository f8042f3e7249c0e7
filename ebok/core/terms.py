"""Versions of the terms of use and of the privacy notice.

The schedule of versions is copied into the (cached) company settings, so finding the
version in force costs no query on a page view. `add_version` is the only way a version
is created: it stores the checked PDF, rewrites the schedule and writes the audit entry
in one transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from ebok.core import uploads
from ebok.core.audit import log_action
from ebok.core.models import CompanySettings, TermsDocument


@dataclass(frozen=True)
class ScheduledVersion:
    id: int
    kind: str
    version: str
    effective_from: date


def _schedule(config: CompanySettings) -> list[ScheduledVersion]:
    return [
        ScheduledVersion(
            item["id"], item["kind"], item["version"], date.fromisoformat(item["effective_from"])
        )
        for item in config.terms_schedule or []
    ]


def current(kind: str, *, config=None, today=None) -> ScheduledVersion | None:
    """The version of `kind` in force today (None when none was ever uploaded)."""
    config = config or CompanySettings.get()
    today = today or timezone.localdate()
    in_force = [v for v in _schedule(config) if v.kind == kind and v.effective_from <= today]
    return max(in_force, key=lambda v: (v.effective_from, v.id), default=None)


def upcoming(kind: str, *, config=None, today=None) -> list[ScheduledVersion]:
    config = config or CompanySettings.get()
    today = today or timezone.localdate()
    return sorted(
        (v for v in _schedule(config) if v.kind == kind and v.effective_from > today),
        key=lambda v: v.effective_from,
    )


def rebuild_schedule() -> None:
    """Copy every version into the configuration row (inside the caller's transaction)."""
    config, _created = CompanySettings.objects.select_for_update().get_or_create(
        pk=CompanySettings.SINGLETON_PK
    )
    config.terms_schedule = [
        {
            "id": d.pk,
            "kind": d.kind,
            "version": d.version,
            "effective_from": d.effective_from.isoformat(),
        }
        for d in TermsDocument.objects.order_by("effective_from", "id")
    ]
    config.save(update_fields=["terms_schedule"])


def add_version(
    *, kind: str, version: str, effective_from: date, checked: uploads.CheckedUpload, request
) -> TermsDocument:
    """Store a checked PDF as a new version; raises uploads.StorageFailure."""
    stored = uploads.store_file(checked)
    try:
        with transaction.atomic():
            document = TermsDocument.objects.create(
                kind=kind,
                version=version,
                effective_from=effective_from,
                file_path=stored.path,
                file_name=stored.name,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=request.user if request is not None else None,
            )
            rebuild_schedule()
            log_action(
                "core.terms.version_added",
                request=request,
                obj=document,
                data={
                    "kind": kind,
                    "version": version,
                    "effective_from": effective_from.isoformat(),
                    "sha256": stored.sha256,
                },
            )
    except Exception:
        uploads.delete_stored([stored.path])
        raise
    return document
