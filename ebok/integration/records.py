"""What billing sends: one record schema per kind, derived from the mirror models.

A schema accepts exactly the model's billing fields plus the external ids of the
records it points to (``"customer": "C123"``); any other field is an error. Types and
lengths come from the model fields, so the schema and the database never disagree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)

from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.customers.models import Customer
from ebok.insight.models import DailyTemperature, HeatedArea, HourlyConsumption

MAX_VERSION = 2**63 - 1


# PostgreSQL text cannot hold NUL; refuse it for every database alike (a regex checked
# in pydantic-core, much cheaper than a Python validator on a million records).
NO_NUL = r"^[^\x00]*$"


class RecordSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


def _field_type(f: models.Field) -> tuple[Any, Any]:
    """(annotation, default) for one model field."""
    if f.choices:
        annotation: Any = Literal[tuple(str(v) for v, _label in f.choices)]
        default = f.default if f.has_default() else ...
        return annotation, default
    if isinstance(f, models.CharField):
        annotation = Annotated[
            str, Field(max_length=f.max_length, min_length=0 if f.blank else 1, pattern=NO_NUL)
        ]
        if f.has_default():
            return annotation, f.default
        return annotation, ("" if f.blank else ...)
    if isinstance(f, models.BooleanField):
        return bool, f.default if f.has_default() else False
    if isinstance(f, models.DecimalField):
        annotation = Annotated[
            Decimal, Field(max_digits=f.max_digits, decimal_places=f.decimal_places)
        ]
        if f.null:
            return annotation | None, None
        return annotation, (f.default if f.has_default() else ...)
    if isinstance(f, models.DateTimeField):
        return (AwareDatetime | None, None) if f.null else (AwareDatetime, ...)
    if isinstance(f, models.DateField):
        return (date | None, None) if f.null else (date, ...)
    if isinstance(f, models.PositiveSmallIntegerField):
        return Annotated[int, Field(ge=0, le=32767)], ...
    raise TypeError(f"no schema type for {f!r}")


def _build_schema(
    name: str, model, fields: list[str], refs: dict, extra: dict | None = None, base=RecordSchema
):
    ext_id = Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]
    definitions: dict[str, Any] = {
        "external_id": (ext_id, ...),
        "version": (Annotated[int, Field(ge=0, le=MAX_VERSION)], ...),
        "billing_updated_at": (AwareDatetime | None, None),
        "cancelled_at": (AwareDatetime | None, None),
    }
    for fname in fields:
        definitions[fname] = _field_type(model._meta.get_field(fname))
    for ref in refs.values():
        annotation = Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]
        definitions[ref.name] = (annotation | None, None) if ref.nullable else (annotation, ...)
    definitions.update(extra or {})
    return create_model(name, __base__=base, **definitions)


@dataclass(frozen=True)
class Ref:
    """A pointer to another mirrored record, sent as its external id."""

    name: str  # field name in the record and on the model ("customer")
    model: type
    nullable: bool = False

    @property
    def attname(self) -> str:
        return f"{self.name}_id"


@dataclass
class Spec:
    kind: str
    model: type
    schema: type[BaseModel]
    fields: list[str]
    refs: dict[str, Ref] = field(default_factory=dict)
    # Fields of the record that are not columns (invoice lines, files).
    extras: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """Columns written from a record, in a fixed order (besides external_id)."""
        return [
            "version",
            "billing_updated_at",
            "cancelled_at",
            *self.fields,
            *(r.attname for r in self.refs.values()),
        ]

    @property
    def decimal_fields(self) -> set[str]:
        return {
            f for f in self.fields if isinstance(self.model._meta.get_field(f), models.DecimalField)
        }


# --- schemas with cross-field rules -----------------------------------------------------


class _ContractRules(RecordSchema):
    @model_validator(mode="after")
    def _dates(self):
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date before start_date")
        return self


INVOICE_LINE_FIELDS = [
    "position",
    "component",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "net_amount",
    "vat_rate",
    "vat_amount",
]

InvoiceLineRecord = create_model(
    "InvoiceLineRecord",
    __base__=RecordSchema,
    **{name: _field_type(InvoiceLine._meta.get_field(name)) for name in INVOICE_LINE_FIELDS},
)


class _InvoiceRules(RecordSchema):
    @model_validator(mode="after")
    def _totals(self):
        if self.gross_amount != self.net_amount + self.vat_amount:
            raise ValueError("gross_amount is not net_amount + vat_amount")
        if self.due_date < self.issue_date:
            raise ValueError("due_date before issue_date")
        positions = [line.position for line in self.lines]
        if len(positions) != len(set(positions)):
            raise ValueError("duplicate line position")
        return self


def _spec(kind, model, fields, refs=(), extra=None, base=RecordSchema, overrides=None):
    refs = {r.name: r for r in refs}
    schema_name = "".join(p.capitalize() for p in kind.split("_")) + "Record"
    return Spec(
        kind=kind,
        model=model,
        schema=_build_schema(
            schema_name, model, fields, refs, {**(overrides or {}), **(extra or {})}, base
        ),
        fields=list(fields),
        refs=refs,
        extras=tuple((extra or {}).keys()),
    )


SPECS: dict[str, Spec] = {
    s.kind: s
    for s in [
        _spec(
            "customers",
            Customer,
            [
                "payer_code",
                "kind",
                "name",
                "nip",
                "regon",
                "pesel",
                "street",
                "postal_code",
                "city",
                "correspondence_name",
                "correspondence_street",
                "correspondence_postal_code",
                "correspondence_city",
                "phone",
                "fax",
                "email",
                "marketing_objection",
                "bank_account",
            ],
        ),
        _spec(
            "sites",
            Site,
            ["code", "name", "street", "postal_code", "city"],
            [Ref("customer", Customer)],
        ),
        _spec(
            "contracts",
            Contract,
            ["number", "start_date", "end_date", "tariff_group", "ordered_capacity_mw"],
            [Ref("customer", Customer), Ref("site", Site)],
            base=_ContractRules,
        ),
        _spec(
            "meters",
            Meter,
            [
                "serial_number",
                "meter_type",
                "location",
                "unit",
                "installed_on",
                "legalisation_valid_until",
                "removed_on",
            ],
            [
                Ref("customer", Customer),
                Ref("site", Site),
                Ref("contract", Contract, nullable=True),
            ],
        ),
        _spec(
            "readings",
            Reading,
            ["read_on", "value", "consumption", "source"],
            [Ref("meter", Meter)],
            # A meter's register never goes below zero (a database constraint too).
            overrides={
                "value": (Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)], ...)
            },
        ),
        _spec(
            "invoices",
            Invoice,
            [
                "number",
                "kind",
                "issue_date",
                "sale_date",
                "due_date",
                "period_start",
                "period_end",
                "net_amount",
                "vat_amount",
                "gross_amount",
                "paid_amount",
                "in_debt_collection",
                "bank_account",
                "ksef_number",
            ],
            [
                Ref("customer", Customer),
                Ref("contract", Contract, nullable=True),
                Ref("corrected_invoice", Invoice, nullable=True),
            ],
            extra={
                "lines": (list[InvoiceLineRecord], []),
                "pdf_base64": (
                    Annotated[str, Field(max_length=20_000_000)] | None,
                    None,
                ),
                "ksef_xml": (
                    Annotated[str, Field(max_length=5_000_000, pattern=NO_NUL)] | None,
                    None,
                ),
            },
            base=_InvoiceRules,
        ),
        _spec(
            "payments",
            Payment,
            ["paid_on", "amount", "title"],
            [Ref("customer", Customer), Ref("invoice", Invoice, nullable=True)],
        ),
        # The company's outdoor temperature series (heat insight: degree days).
        _spec(
            "temperatures",
            DailyTemperature,
            ["day", "mean_temperature"],
            overrides={
                "mean_temperature": (
                    Annotated[Decimal, Field(ge=-60, le=60, max_digits=4, decimal_places=1)],
                    ...,
                )
            },
        ),
        # Optional heated floor area of a site (GJ per m² in the tariff group comparison).
        _spec(
            "heated_areas",
            HeatedArea,
            ["area_m2"],
            [Ref("site", Site)],
            overrides={
                "area_m2": (
                    Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2)],
                    ...,
                )
            },
        ),
        # Optional hourly consumption of remotely read meters (peak-demand estimate).
        _spec(
            "hourly_consumption",
            HourlyConsumption,
            ["hour_start", "consumption"],
            [Ref("meter", Meter)],
            overrides={
                "consumption": (
                    Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=4)],
                    ...,
                )
            },
        ),
    ]
}

KINDS = list(SPECS)

# Silence "imported but unused" for names only used in annotations built at runtime.
_unused = (datetime,)
