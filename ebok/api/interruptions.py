"""Heat supply interruptions pushed by the dispatch system (scope `interruptions`).

PUT /api/v1/interruptions/{external_id}   create or bring up to date (idempotent)
GET /api/v1/interruptions/{external_id}   what eBOK holds, with the matched site count
"""

from datetime import datetime
from typing import Literal

from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from ebok.api.auth import ApiKeyAuth
from ebok.integration.models import ApiKey
from ebok.interruptions import matching, services
from ebok.interruptions.models import Interruption

interruptions_auth = ApiKeyAuth(ApiKey.Scope.INTERRUPTIONS)
router = Router(tags=["interruptions"], auth=interruptions_auth)

ExternalId = Path(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/-]+$")


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class AddressIn(Strict):
    street: str = Field(min_length=1, max_length=200, description="Street name, e.g. 'ul. Gdańska'")
    number_from: str = Field("", max_length=10, description="First house number, e.g. '10' or '5A'")
    number_to: str = Field("", max_length=10, description="Last house number (inclusive)")
    parity: Literal["all", "odd", "even"] = "all"
    city: str = Field("", max_length=100)


class InterruptionIn(Strict):
    kind: Literal["planned", "failure"]
    affects: Literal["heating", "hot_water", "both"]
    starts_at: datetime = Field(description="ISO 8601 with a time zone")
    expected_end_at: datetime
    status: Literal["announced", "in_progress", "extended", "ended", "cancelled"] = "announced"
    ended_at: datetime | None = None
    description: str = Field("", max_length=2000)
    sites: list[str] = Field(
        default_factory=list, max_length=5000, description="Site or substation codes"
    )
    addresses: list[AddressIn] = Field(default_factory=list, max_length=500)


class InterruptionOut(Schema):
    id: int
    external_id: str
    kind: str
    affects: str
    status: str
    starts_at: datetime
    expected_end_at: datetime
    ended_at: datetime | None
    matched_sites: int
    result: str = ""


class Error(Schema):
    detail: str


def _out(interruption: Interruption, result: str = "") -> dict:
    return {
        "id": interruption.pk,
        "external_id": interruption.external_id,
        "kind": interruption.kind,
        "affects": interruption.affects,
        "status": interruption.status,
        "starts_at": interruption.starts_at,
        "expected_end_at": interruption.expected_end_at,
        "ended_at": interruption.ended_at,
        "matched_sites": interruption.sites.count(),
        "result": result,
    }


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive")
    return value


@router.put(
    "/{external_id}",
    response={200: InterruptionOut, 201: InterruptionOut, 409: Error, 422: Error},
    summary="Create or update an interruption by the dispatch system's id (idempotent)",
)
def put_interruption(request, payload: InterruptionIn, external_id: str = ExternalId):
    try:
        _aware(payload.starts_at), _aware(payload.expected_end_at), _aware(payload.ended_at)
    except ValueError:
        return Status(
            422, {"detail": "Times must carry a time zone (e.g. 2026-12-03T08:00:00+01:00)."}
        )
    ranges = []
    for a in payload.addresses:
        low, high = a.number_from.strip().upper(), a.number_to.strip().upper()
        if (low and matching.house_number(low) is None) or (
            high and matching.house_number(high) is None
        ):
            return Status(422, {"detail": f"Not a house number in {a.street}: {low!r} / {high!r}."})
        if high and not low:
            return Status(422, {"detail": f"number_to without number_from in {a.street}."})
        if low and high and matching.house_number(high) < matching.house_number(low):
            return Status(422, {"detail": f"number_to is before number_from in {a.street}."})
        ranges.append(
            matching.AddressRange(
                street=a.street.strip(),
                number_from=low,
                number_to="" if high == low else high,
                parity=a.parity,
                city=a.city.strip(),
            )
        )
    data = services.InterruptionData(
        kind=payload.kind,
        affects=payload.affects,
        starts_at=payload.starts_at,
        expected_end_at=payload.expected_end_at,
        description=payload.description.strip(),
        site_codes=matching.parse_site_codes(",".join(payload.sites)),
        ranges=ranges,
    )
    try:
        data.validate()
    except services.InterruptionError as exc:
        return Status(422, {"detail": str(exc)})
    try:
        interruption, result = services.push(
            external_id, data, payload.status, ended_at=payload.ended_at
        )
    except services.InterruptionError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201 if result == "created" else 200, _out(interruption, result))


@router.get(
    "/{external_id}",
    response={200: InterruptionOut, 404: Error},
    summary="The interruption eBOK holds for this id",
)
def get_interruption(request, external_id: str = ExternalId):
    interruption = Interruption.objects.filter(external_id=external_id).first()
    if interruption is None:
        return Status(404, {"detail": "No interruption with this external id."})
    return Status(200, _out(interruption))


def install(api) -> None:
    api.add_router("/interruptions", router)
