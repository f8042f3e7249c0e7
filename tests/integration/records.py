"""Builders of billing records as the billing system sends them (plain JSON dicts)."""


def customer(ext="C1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "payer_code": kw.pop("payer_code", f"P-{ext}"),
        "name": "Wspólnota Mieszkaniowa ul. Długa 5",
        "street": "ul. Długa 5",
        "postal_code": "85-001",
        "city": "Bydgoszcz",
        **kw,
    }


def site(ext="S1", customer="C1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "customer": customer,
        "code": f"W-{ext}",
        "street": "ul. Długa 5",
        "postal_code": "85-001",
        "city": "Bydgoszcz",
        **kw,
    }


def meter(ext="M1", customer="C1", site="S1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "customer": customer,
        "site": site,
        "serial_number": f"SN-{ext}",
        "meter_type": "Kamstrup MULTICAL 603",
        "installed_on": "2019-06-01",
        **kw,
    }


def reading(ext="R1", meter="M1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "meter": meter,
        "read_on": "2026-10-31",
        "value": "1234.500",
        "consumption": "45.250",
        "source": "remote",
        **kw,
    }


def invoice(ext="F1", customer="C1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "customer": customer,
        "number": kw.pop("number", f"FV/{ext}"),
        "issue_date": "2026-10-31",
        "sale_date": "2026-10-31",
        "due_date": kw.pop("due_date", "2026-11-14"),
        "net_amount": "800.00",
        "vat_amount": "184.00",
        "gross_amount": "984.00",
        "lines": [
            {
                "position": 1,
                "component": "heat",
                "description": "Opłata za ciepło",
                "quantity": "10.0000",
                "unit": "GJ",
                "unit_price": "80.0000",
                "net_amount": "800.00",
                "vat_rate": "23.00",
                "vat_amount": "184.00",
            }
        ],
        **kw,
    }


def payment(ext="P1", customer="C1", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "customer": customer,
        "paid_on": "2026-11-05",
        "amount": "100.00",
        **kw,
    }
