"""The sub-navigation of /obsluga/ustawienia/: one list, so a new settings page is one
entry here (its URL name, its label and the permission that shows the link).

    SECTIONS.append(Section("backoffice:fuel_mix", _("Paliwa i emisje"), "accounts.manage_configuration"))
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str
    perm: str = "accounts.manage_configuration"


SECTIONS: list[Section] = [
    Section("backoffice:settings", _("Dane firmy")),
    Section("backoffice:settings_history", _("Historia zmian")),
    Section("backoffice:terms", _("Regulamin i RODO")),
    Section("backoffice:fuel_mix", _("Paliwa i emisje")),
    Section("backoffice:insight", _("Analiza zużycia"), "accounts.access_backoffice"),
    Section("backoffice:letters_config", _("Pisma i typy uwag"), "accounts.handle_letters"),
    Section("backoffice:request_types", _("Wnioski internetowe")),
    Section("backoffice:operators", _("Pracownicy BOK"), "accounts.manage_operators"),
    Section("backoffice:audit", _("Dziennik zdarzeń"), "accounts.view_audit_log"),
]


def visible_sections(request) -> list[dict]:
    """The entries the user may open (auditors see all, read-only), with the current one
    marked."""
    user = request.user
    reader = user.has_perm("accounts.read_backoffice")
    items = []
    for section in SECTIONS:
        if not (user.has_perm(section.perm) or reader):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": section.label, "current": request.path == url})
    return items
