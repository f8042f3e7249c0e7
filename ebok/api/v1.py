"""The billing-system integration API (django-ninja). Schema at /api/v1/openapi.json,
documentation page at /api/v1/docs (Swagger UI served from our own static files).

Thin by design: parse, call a service in `ebok.integration`, return.
"""

from typing import Annotated, Any

from django.conf import settings
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError
from pydantic import ConfigDict, Field

from ebok.api import interruptions, personal
from ebok.api.auth import ScopeDenied, export_auth, import_auth
from ebok.integration import export
from ebok.integration.importer import import_records
from ebok.integration.records import SPECS

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"title": "Detail"}},
    "required": ["detail"],
    "title": "Error",
}
ERROR_ANSWERS = {
    "400": "The request could not be read (malformed JSON, NUL characters).",
    "401": "Missing or invalid key (`Authorization: Bearer <key>`).",
    "403": "The key does not have the scope this operation needs.",
    "422": "Input that does not match the schema (wrong types, out of range); "
    "`detail` lists each error.",
}


class EbokApi(NinjaAPI):
    """The API whose schema documents the error answers every operation can give:
    400 and 422 for bad input, 401 and 403 for operations behind a key."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                codes = ["400"]
                if operation.get("parameters") or operation.get("requestBody"):
                    codes.append("422")
                if operation.get("security"):
                    codes += ["401", "403"]
                for code in codes:
                    operation["responses"].setdefault(
                        code,
                        {
                            "description": ERROR_ANSWERS[code],
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                    )
        return schema


api = EbokApi(
    title="eBOK integration API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
    description=(
        "Import of billing data and the export feed of what customers send. "
        "Authenticate with `Authorization: Bearer <key>`; see docs/integration.md."
    ),
)


@api.exception_handler(ScopeDenied)
def scope_denied(request, exc):
    return api.create_response(
        request,
        {"detail": "This API key does not have the scope this operation needs."},
        status=403,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(
        request, {"detail": "Missing or invalid API key (Authorization: Bearer <key>)."}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: Any


class ImportRequest(Strict):
    records: list[dict[str, Any]]


class RecordResultOut(Schema):
    index: int
    external_id: str
    status: str = Field(description="created, updated, unchanged or error")
    message: str = ""


class Counts(Schema):
    created: int
    updated: int
    unchanged: int
    error: int


class ImportResponse(Schema):
    batch_id: int | None
    kind: str
    dry_run: bool
    counts: Counts
    results: list[RecordResultOut]


class ImportOptions(Schema):
    dry_run: bool = False


def _inline(schema: dict) -> dict:
    """The record's JSON schema with its $defs inlined (for the request body docs)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def _import_operation(kind: str):
    spec = SPECS[kind]
    body_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["records"],
        "properties": {
            "records": {
                "type": "array",
                "maxItems": settings.EBOK_API_IMPORT_MAX_RECORDS,
                "items": _inline(spec.schema.model_json_schema()),
            }
        },
    }

    def operation(request, payload: ImportRequest, options: Query[ImportOptions]):
        if len(payload.records) > settings.EBOK_API_IMPORT_MAX_RECORDS:
            detail = (
                f"At most {settings.EBOK_API_IMPORT_MAX_RECORDS} records per call; "
                "split the batch or use a batch file."
            )
            return api.create_response(request, {"detail": detail}, status=413)
        summary = import_records(
            kind, payload.records, dry_run=options.dry_run, api_key=request.api_key
        )
        return {
            "batch_id": summary.batch.pk if summary.batch else None,
            "kind": kind,
            "dry_run": options.dry_run,
            "counts": summary.counts,
            "results": [r.__dict__ for r in summary.results],
        }

    operation.__name__ = f"import_{kind}"
    api.post(
        f"/import/{kind}",
        auth=import_auth,
        response={200: ImportResponse, 413: Error},
        summary=f"Import {kind} (upsert by external_id)",
        description=(
            f"Creates or updates {kind} by `external_id`. A record whose `version` is not "
            "newer than the stored one never overwrites it. Every record gets a result: "
            "created, updated, unchanged or error (with a message). Unknown fields are an "
            "error. Cancel a record by sending a newer version with `cancelled_at`."
        ),
        tags=["import"],
        openapi_extra={
            "requestBody": {
                "content": {"application/json": {"schema": body_schema}},
                "required": True,
            }
        },
    )(operation)


for _kind in SPECS:
    _import_operation(_kind)


class FeedQuery(Schema):
    cursor: int = Field(
        0, ge=0, le=2**62, description="`next_cursor` of the previous page; 0 to start"
    )
    limit: int = Field(100, ge=1, le=500)


class FeedItem(Schema):
    id: int
    source: str
    object_id: str
    created_at: str
    data: dict[str, Any]
    attachments: list[dict[str, Any]]


class FeedPage(Schema):
    items: list[FeedItem]
    next_cursor: int
    has_more: bool


# Strict: `true` or `"2"` is no id (pydantic would turn them into 1 and 2).
DbId = Annotated[int, Field(ge=1, le=2**63 - 1, strict=True)]


class AckRequest(Strict):
    ids: list[DbId] = Field(max_length=1000)


class AckResponse(Schema):
    acknowledged: list[int]
    already_acknowledged: list[int]
    unknown: list[int]


@api.get(
    "/export/items",
    auth=export_auth,
    response=FeedPage,
    tags=["export"],
    summary="What customers sent and nobody has picked up yet",
)
def export_items(request, query: Query[FeedQuery]):
    return export.feed_page(request, cursor=query.cursor, limit=query.limit)


@api.post(
    "/export/ack",
    auth=export_auth,
    response=AckResponse,
    tags=["export"],
    summary="Confirm items were stored; they leave the feed",
)
def export_ack(request, payload: AckRequest):
    return export.acknowledge(payload.ids, api_key=request.api_key)


@api.get(
    "/export/attachments/{source}/{attachment_id}",
    auth=export_auth,
    tags=["export"],
    response={200: None, 404: Error},
    summary="Download one attachment of a feed item",
)
def export_attachment(request, source: str, attachment_id: int = Path(..., ge=1, le=2**63 - 1)):
    response = export.attachment_response(source, attachment_id)
    if response is None:
        return api.create_response(request, {"detail": "No such attachment."}, status=404)
    return response


# Customers' personal feed (personal access tokens): ebok/api/personal.py.
personal.install(api)
# Heat supply interruptions from the dispatch system: ebok/api/interruptions.py.
interruptions.install(api)


@api.get("/ping", summary="Check that the API answers", auth=None)
def ping(request):
    return {"status": "ok"}
