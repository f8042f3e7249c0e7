"""The export feed: what customers send through the portal, for billing or a document
system to pick up exactly once.

Each kind of thing is a `Source`, a small adapter: the model, when an object enters
the feed, how it is serialised and which files go with it. A `post_save` handler puts
an `ExportItem` in the feed (in the same transaction as the object) the first time the
object qualifies; the consumer reads pages in id order with a cursor and acknowledges
what it stored, and acknowledged items never come back. Adding a source is one more
`Source(...)` in `SOURCES`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_save
from django.http import FileResponse
from django.utils import timezone

from ebok.integration.models import ExportItem

# Never handed over: secrets and internal bookkeeping.
PRIVATE_FIELDS = {
    "token_hash",
    "tracking_token_hash",
    "submission_key",
    "password",
    "ip",
    "consent_text",
}


def _plain(obj, exclude=()) -> dict:
    """Concrete fields of a model instance as JSON-safe values (foreign keys as ids)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in PRIVATE_FIELDS or f.name in exclude:
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.attname if f.is_relation else f.name] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _customer_keys(obj) -> dict:
    customer = getattr(obj, "customer", None)
    if customer is None:
        return {"customer_external_id": None}
    return {"customer_external_id": customer.external_id, "payer_code": customer.payer_code}


@dataclass
class Source:
    name: str
    model_label: str
    include: Callable[[models.Model], bool] = lambda obj: True
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    serialize: Callable[[models.Model], dict] = field(
        default=lambda obj: {**_customer_keys(obj), **_plain(obj)}
    )
    # (obj) -> iterable of attachment model instances with .file, .original_name, ...
    attachments: Callable[[models.Model], list] | None = None
    attachment_model_label: str = ""
    attachment_owner: str = ""  # attachment field pointing at the source object

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def attachment_model(self):
        return apps.get_model(self.attachment_model_label) if self.attachment_model_label else None


def _related_plain(obj, accessor: str):
    try:
        related = getattr(obj, accessor)
    except models.ObjectDoesNotExist:
        return None
    return _plain(related, exclude=("letter",))


def _online_request(letter) -> dict | None:
    """The key integrators read an online request's answers from; the answers live on
    the letter itself (decision 'One source of truth for letter data')."""
    if letter.kind != "online_request":
        return None
    return {
        "customer_id": letter.customer_id,
        "request_type": letter.request_type,
        "data": letter.structured_data,
        "created_at": _plain(letter)["created_at"],
    }


def _serialize_letter(letter) -> dict:
    data = {**_plain(letter), **_customer_keys(letter)}
    data["direction"] = "in"  # only incoming letters enter the feed; kept for consumers
    data["online_request"] = _online_request(letter)
    data["data_change_request"] = _related_plain(letter, "data_change_request")
    return data


SOURCES: list[Source] = [
    # Every incoming letter: letters, remarks, online requests and change-of-data
    # requests (the last two carry their structured data under their own key).
    Source(
        name="letter",
        model_label="letters.Letter",
        include=lambda letter: letter.kind != "reply",
        select_related=("customer", "data_change_request"),
        prefetch_related=("attachments",),
        serialize=_serialize_letter,
        attachments=lambda letter: list(letter.attachments.all()),
        attachment_model_label="letters.Attachment",
        attachment_owner="letter",
    ),
    # A registration once its e-mail address is confirmed (unconfirmed ones are noise).
    Source(
        name="registration",
        model_label="accounts.Registration",
        include=lambda reg: reg.email_confirmed_at is not None,
        select_related=("customer",),
    ),
]


def available_sources() -> dict[str, Source]:
    """Sources whose models exist in this installation."""
    result = {}
    for source in SOURCES:
        try:
            source.model  # noqa: B018 - resolves the label
        except LookupError:
            continue
        result[source.name] = source
    return result


def _on_save(source: Source):
    def handler(sender, instance, raw=False, **kwargs):
        if raw or not source.include(instance):
            return
        ExportItem.objects.get_or_create(source=source.name, object_id=str(instance.pk))

    return handler


_handlers = []


def connect_sources():
    for source in available_sources().values():
        handler = _on_save(source)
        _handlers.append(handler)  # signals hold weak references
        post_save.connect(handler, sender=source.model, dispatch_uid=f"ebok-export-{source.name}")


def _attachment_dict(source: Source, attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": getattr(attachment, "original_name", "") or attachment.file.name,
        "content_type": getattr(attachment, "content_type", "application/octet-stream"),
        "size": getattr(attachment, "size", None),
        "sha256": getattr(attachment, "sha256", ""),
        "url": f"/api/v1/export/attachments/{source.name}/{attachment.pk}",
    }


def feed_page(request, cursor: int = 0, limit: int = 100) -> dict:
    """Unacknowledged items after `cursor`, oldest first. A constant number of queries:
    one for the items plus, per source on the page, one for the objects and one per
    prefetched relation."""
    sources = available_sources()
    items = list(
        ExportItem.objects.filter(
            id__gt=cursor, acknowledged_at__isnull=True, source__in=sources
        ).order_by("id")[: limit + 1]
    )
    has_more = len(items) > limit
    items = items[:limit]
    objects: dict[tuple[str, str], models.Model] = {}
    for name in {i.source for i in items}:
        source = sources[name]
        ids = [i.object_id for i in items if i.source == name]
        qs = source.model._default_manager.filter(pk__in=ids)
        if source.select_related:
            qs = qs.select_related(*source.select_related)
        if source.prefetch_related:
            qs = qs.prefetch_related(*source.prefetch_related)
        for obj in qs:
            objects[(name, str(obj.pk))] = obj
    out = []
    for item in items:
        source = sources[item.source]
        obj = objects.get((item.source, item.object_id))
        if obj is None:
            continue
        out.append(
            {
                "id": item.pk,
                "source": item.source,
                "object_id": item.object_id,
                "created_at": item.created_at.isoformat(),
                "data": source.serialize(obj),
                "attachments": [
                    _attachment_dict(source, a)
                    for a in (source.attachments(obj) if source.attachments else [])
                ],
            }
        )
    next_cursor = items[-1].pk if items else cursor
    return {"items": out, "next_cursor": next_cursor, "has_more": has_more}


def acknowledge(ids: list[int], api_key=None) -> dict:
    """Mark items as stored by the consumer. Acknowledging twice is harmless."""
    ids = sorted(set(ids))
    found = dict(ExportItem.objects.filter(pk__in=ids).values_list("pk", "acknowledged_at"))
    fresh = [pk for pk in ids if pk in found and found[pk] is None]
    ExportItem.objects.filter(pk__in=fresh, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=api_key
    )
    return {
        "acknowledged": fresh,
        "already_acknowledged": [pk for pk in ids if pk in found and found[pk] is not None],
        "unknown": [pk for pk in ids if pk not in found],
    }


def attachment_response(source_name: str, attachment_id: int):
    """The file of an attachment whose owner is in the feed, or None."""
    source = available_sources().get(source_name)
    if source is None or source.attachment_model is None:
        return None
    attachment = source.attachment_model._default_manager.filter(pk=attachment_id).first()
    if attachment is None:
        return None
    owner_id = getattr(attachment, f"{source.attachment_owner}_id")
    if not ExportItem.objects.filter(source=source.name, object_id=str(owner_id)).exists():
        return None
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=getattr(attachment, "original_name", None) or attachment.file.name,
        content_type=getattr(attachment, "content_type", None) or "application/octet-stream",
    )
