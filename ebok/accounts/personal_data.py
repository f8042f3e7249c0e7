"""The export of everything eBOK holds about a user (RODO art. 15 access, art. 20
portability) as one ZIP of JSON files, built on request.

What goes in: the account, consents given at registration, login history, notification
settings, personal tokens (never their secret), the user's own actions from the audit
log, and for every customer the user acts for: its data, sites, contracts, meters,
readings, invoices with lines, payments, letters (with the company's replies, without
internal notes) and change-of-data requests. Secrets (password hashes, token digests,
tracking tokens) never go in; a PESEL is masked as everywhere in the portal.

The number of queries does not grow with the number of customers or rows: every kind
is one query across all the user's customers, streamed in chunks.
"""

import io
import json
import zipfile
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ebok.accounts.models import LoginEvent, PersonalAccessToken, Registration
from ebok.billing.models import Invoice, InvoiceLine, NotificationPreference, Payment
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.core.models import AuditLogEntry, CompanySettings
from ebok.customers.models import Customer, DataChangeRequest
from ebok.insight.models import (
    AnnualInformation,
    CustomerInsightSettings,
    InsightAlert,
    InsightPreference,
)
from ebok.letters.models import Attachment, Letter

# Never exported: secrets and internal bookkeeping.
SECRET_FIELDS = {
    "password",
    "token_hash",
    "key_hash",
    "tracking_token_hash",
    "submission_key",
    "session_generation",
}


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def _dump(value) -> bytes:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, indent=2).encode()


def _row(obj, exclude=()) -> dict:
    """The object's concrete fields by name (foreign keys as ids), secrets left out."""
    out = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS or f.name in exclude:
            continue
        value = getattr(obj, f.attname)
        if hasattr(value, "name") and f.get_internal_type() == "FileField":
            value = value.name or ""
        out[f.attname] = value
    return out


def _by_customer(rows, key="customer_id") -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _account(user) -> dict:
    data = _row(
        user,
        exclude=("is_superuser", "is_staff"),
    )
    prefs = NotificationPreference.objects.filter(user=user).first()
    data["notification_preferences"] = (
        _row(prefs, exclude=("id", "user"))
        if prefs
        else {"new_invoices": True, "payment_reminders": True}
    )
    insight = InsightPreference.objects.filter(user=user).first()
    data["insight_preferences"] = (
        _row(insight, exclude=("id", "user"))
        if insight
        else {"consumption_alerts": True, "legalisation_alerts": True}
    )
    data["groups"] = list(user.groups.values_list("name", flat=True))
    return data


def build_export(user, *, now=None) -> tuple[str, bytes]:
    """(filename, ZIP bytes) of the user's personal data."""
    now = now or timezone.now()
    customers = list(Customer.objects.filter(accesses__user=user).order_by("payer_code"))
    ids = [c.pk for c in customers]
    files: dict[str, object] = {}

    files["konto.json"] = _account(user)
    files["dostep-do-kontrahentow.json"] = [
        {
            "customer_id": a.customer_id,
            "payer_code": a.customer.payer_code,
            "granted_at": a.granted_at,
        }
        for a in user.customer_accesses.select_related("customer").order_by("granted_at")
    ]
    registrations = Q(user=user)
    if user.email:
        registrations |= Q(email__iexact=user.email)
    files["rejestracje-i-zgody.json"] = [
        _row(r) for r in Registration.objects.filter(registrations).order_by("created_at")
    ]
    files["historia-logowan.json"] = [
        _row(e, exclude=("user",))
        for e in LoginEvent.objects.filter(user=user).order_by("created_at")
    ]
    files["tokeny-dostepu.json"] = [
        _row(t, exclude=("user",))
        for t in PersonalAccessToken.objects.filter(user=user).order_by("created_at")
    ]
    files["powiadomienia-o-zuzyciu.json"] = [
        _row(a, exclude=("user",)) for a in InsightAlert.objects.filter(user=user).order_by("pk")
    ]
    files["dziennik-zdarzen.json"] = [
        _row(e, exclude=("user",))
        for e in AuditLogEntry.objects.filter(user=user).order_by("created_at")
    ]

    sites = _by_customer(_row(s) for s in Site.objects.filter(customer_id__in=ids).order_by("code"))
    contracts = _by_customer(
        _row(c) for c in Contract.objects.filter(customer_id__in=ids).order_by("start_date")
    )
    meters_qs = Meter.objects.filter(customer_id__in=ids).order_by("serial_number")
    meters = _by_customer(_row(m) for m in meters_qs)
    meter_owner = {m["id"]: m["customer_id"] for rows in meters.values() for m in rows}
    readings: dict = {}
    for r in (
        Reading.objects.filter(meter__customer_id__in=ids)
        .order_by("meter_id", "read_on")
        .iterator(chunk_size=5000)
    ):
        row = _row(r)
        row["meter_serial_number"] = None
        readings.setdefault(meter_owner.get(r.meter_id), []).append(row)
    serials = {m["id"]: m["serial_number"] for rows in meters.values() for m in rows}
    for rows in readings.values():
        for row in rows:
            row["meter_serial_number"] = serials.get(row["meter_id"])
    lines: dict = {}
    for line in InvoiceLine.objects.filter(invoice__customer_id__in=ids).order_by(
        "invoice_id", "position"
    ):
        lines.setdefault(line.invoice_id, []).append(_row(line, exclude=("invoice",)))
    invoices = _by_customer(
        {**_row(i, exclude=("ksef_xml",)), "lines": lines.get(i.pk, [])}
        for i in Invoice.objects.filter(customer_id__in=ids).order_by("issue_date", "number")
    )
    payments = _by_customer(
        _row(p) for p in Payment.objects.filter(customer_id__in=ids).order_by("paid_on")
    )
    attachments: dict = {}
    for a in Attachment.objects.filter(letter__customer_id__in=ids).order_by("created_at"):
        attachments.setdefault(a.letter_id, []).append(_row(a, exclude=("letter", "file")))
    letters = _by_customer(
        {
            **_row(letter, exclude=("assigned_to",)),
            "attachments": attachments.get(letter.pk, []),
        }
        for letter in Letter.objects.filter(customer_id__in=ids).order_by("created_at")
    )
    changes = _by_customer(
        _row(d, exclude=("applied_by",))
        for d in DataChangeRequest.objects.filter(customer_id__in=ids).order_by("created_at")
    )
    annual_letters = _by_customer(
        _row(i, exclude=("pdf", "issued_by"))
        for i in AnnualInformation.objects.filter(customer_id__in=ids).order_by("year")
    )
    thresholds = {
        t.customer_id: t.alert_threshold_percent
        for t in CustomerInsightSettings.objects.filter(customer_id__in=ids)
    }
    for c in customers:
        folder = f"kontrahenci/{c.payer_code}"
        data = _row(c)
        data["pesel"] = c.masked_pesel
        files[f"{folder}/kontrahent.json"] = data
        files[f"{folder}/obiekty.json"] = sites.get(c.pk, [])
        files[f"{folder}/umowy.json"] = contracts.get(c.pk, [])
        files[f"{folder}/liczniki.json"] = meters.get(c.pk, [])
        files[f"{folder}/odczyty.json"] = readings.get(c.pk, [])
        files[f"{folder}/faktury.json"] = invoices.get(c.pk, [])
        files[f"{folder}/wplaty.json"] = payments.get(c.pk, [])
        files[f"{folder}/pisma.json"] = letters.get(c.pk, [])
        files[f"{folder}/zmiany-danych.json"] = changes.get(c.pk, [])
        files[f"{folder}/informacje-roczne.json"] = annual_letters.get(c.pk, [])
        data["insight_alert_threshold_percent"] = thresholds.get(
            c.pk, CustomerInsightSettings.DEFAULT_THRESHOLD
        )

    stamp = timezone.localtime(now)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("CZYTAJ-MNIE.txt", _readme(user, customers, stamp))
        for name, value in files.items():
            zf.writestr(name, _dump(value))
    filename = f"moje-dane-{user.get_username()}-{stamp:%Y%m%d-%H%M}.zip"
    filename = "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in filename)
    return filename, out.getvalue()


def _readme(user, customers, stamp) -> str:
    config = CompanySettings.get()
    # The archive is a document of the company: in Polish, like the letters it sends.
    with translation.override("pl"):
        lines = [
            _("Dane osobowe przetwarzane w eBOK – kopia dla użytkownika %(login)s")
            % {"login": user.get_username()},
            _("Przygotowano: %(when)s") % {"when": f"{stamp:%d-%m-%Y %H:%M}"},
            _("Administrator danych: %(company)s") % {"company": config.company_name},
            "",
            _(
                "Archiwum zawiera wszystkie dane, które eBOK przechowuje o Twoim koncie i o "
                "kontrahentach, w których imieniu działasz (art. 15 i 20 RODO). Pliki są w "
                "formacie JSON (UTF-8), który można wczytać do innego programu. Nazwy pól "
                "są techniczne (po angielsku); daty w formacie ISO 8601, kwoty w złotych."
            ),
            "",
            _("Pliki:"),
            "  konto.json – " + _("dane konta i ustawienia powiadomień"),
            "  dostep-do-kontrahentow.json – " + _("kontrahenci, w których imieniu działasz"),
            "  rejestracje-i-zgody.json – "
            + _("zgłoszenia rejestracyjne z udzielonymi zgodami i oświadczeniami"),
            "  historia-logowan.json – " + _("logowania udane i nieudane"),
            "  tokeny-dostepu.json – " + _("tokeny dostępu do danych (bez samych tokenów)"),
            "  dziennik-zdarzen.json – " + _("czynności wykonane z Twojego konta"),
            "  powiadomienia-o-zuzyciu.json – "
            + _("powiadomienia o zużyciu i legalizacji liczników wysłane do Ciebie"),
            "  kontrahenci/<kod płatnika>/ – "
            + _(
                "dane kontrahenta, obiekty, umowy, liczniki, odczyty, faktury, wpłaty, pisma, "
                "informacje roczne"
            ),
            "",
            _(
                "Nie ma tu haseł ani tokenów (przechowujemy tylko ich skróty), numer PESEL "
                "jest zamaskowany. Pliki PDF faktur i załączniki pism pobierzesz w eBOK."
            ),
            "",
            _("Kontrahenci: %(n)d") % {"n": len(customers)},
        ]
    return "\n".join(lines) + "\n"
