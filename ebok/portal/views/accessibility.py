"""The accessibility statement ("Deklaracja dostępności"), public.

Laid out as the statutory form of the Polish act on digital accessibility of public
bodies' websites (ustawa z 4 kwietnia 2019 r.): entity and site, dates, compliance
status, how the statement was prepared, feedback and contact, the complaint procedure
ending with the Commissioner for Human Rights, building accessibility. Company data
comes from the company settings; the free-form parts (building accessibility and
anything the company adds) from its `accessibility_statement` text.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

from ebok.core.models import CompanySettings

# The compliance assessment belongs to the software: update these dates whenever the
# assessment below (and the automated accessibility tests behind it) changes.
STATEMENT_PREPARED_ON = date(2026, 11, 23)
STATEMENT_REVIEWED_ON = date(2026, 11, 23)


def published_on() -> date:
    """EBOK_PUBLISHED_ON (YYYY-MM-DD) when configured, else the statement's date."""
    if not settings.EBOK_PUBLISHED_ON:
        return STATEMENT_PREPARED_ON
    try:
        return date.fromisoformat(settings.EBOK_PUBLISHED_ON)
    except ValueError as exc:
        raise ImproperlyConfigured("EBOK_PUBLISHED_ON must be a date, YYYY-MM-DD.") from exc


def statement(request):
    published = published_on()
    context = {
        "config": CompanySettings.get(),
        "base_url": request.build_absolute_uri("/"),
        "published_on": published,
        "updated_on": max(published, STATEMENT_REVIEWED_ON),
        "prepared_on": STATEMENT_PREPARED_ON,
        "reviewed_on": STATEMENT_REVIEWED_ON,
    }
    return render(request, "portal/accessibility.html", context)
