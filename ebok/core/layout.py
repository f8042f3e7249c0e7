"""The page layout's data: the menus and what the header and footer show.

The markup is in ebok/templates/jinja/layout/ (Jinja2, see core/jinja.py); the Django
base templates call it through `{% layout "part" %}`.
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

PORTAL_MENU = [
    ("portal:customer", _("Kontrahent")),
    ("portal:invoices", _("Faktury podgląd-pdf")),
    ("portal:contracts", _("Wykaz umów i liczników")),
    ("portal:insight", _("Analiza zużycia")),
    ("portal:requests", _("Wnioski internetowe")),
    ("portal:letters", _("Pisma")),
    ("portal:my_interruptions", _("Przerwy w dostawie")),
    ("portal:password_change", _("Zmiana hasła")),
    ("portal:home", _("Strona główna")),
]

# (url name, label, who sees it): a tuple of permissions of which any one suffices.
READER = "read_backoffice"
BACKOFFICE_MENU = [
    ("backoffice:dashboard", _("Pulpit"), ()),
    ("backoffice:registrations", _("Rejestracje"), (READER, "verify_registration")),
    ("backoffice:customers", _("Kontrahenci"), (READER, "view_customer_data")),
    ("backoffice:letters", _("Pisma"), (READER, "handle_letters")),
    ("backoffice:announcements", _("Komunikaty"), (READER, "manage_announcements")),
    ("backoffice:interruptions", _("Przerwy"), ("manage_interruptions",)),
    ("backoffice:api_keys", _("Integracja"), (READER, "manage_api_keys")),
    ("backoffice:settings", _("Ustawienia"), (READER, "manage_configuration")),
]
# Shown instead of the settings to someone who may read the audit log only.
AUDIT_ITEM = ("backoffice:audit", _("Dziennik zdarzeń"), ("view_audit_log",))


def backoffice_menu(user):
    def allowed(perms):
        return not perms or any(user.has_perm(f"accounts.{p}") for p in perms)

    items = [(name, label) for name, label, perms in BACKOFFICE_MENU if allowed(perms)]
    if not allowed(BACKOFFICE_MENU[-1][2]) and allowed(AUDIT_ITEM[2]):
        items.append(AUDIT_ITEM[:2])
    return items


_languages = None


def languages():
    """(code, name in its own language) of every language the portal speaks."""
    global _languages  # settings.LANGUAGES is fixed for the life of the process
    if _languages is None:
        _languages = [
            (code, get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES
        ]
    return _languages


class _NoRequest:
    """Stands for the request where a page is rendered without one (server errors)."""

    path = ""

    def get_full_path(self):
        return ""


class _CsrfInput:
    """The hidden CSRF field, asked for the token only when a form is rendered."""

    def __init__(self, request):
        self.request = request

    def __html__(self):
        if isinstance(self.request, _NoRequest):
            return ""
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(self.request)
        )

    __str__ = __html__


def context(context) -> dict:
    """What the layout's parts read, taken from the Django template context."""
    request = context.get("request") or _NoRequest()
    user = context.get("user")
    return {
        "kind": "public",
        "request": request,
        "user": user,
        "config": context.get("company_settings"),
        "language": get_language(),
        "languages": languages(),
        "csrf_input": _CsrfInput(request),
        # Lazy values stay lazy: the parts that print them evaluate them.
        "messages": context.get("messages", ()),
        "current_customer": context.get("current_customer"),
        "customer_choices": context.get("customer_choices", ()),
        "interruption_banner": context.get("interruption_banner", ()),
        "page_generation_ms": context.get("page_generation_ms", ""),
        "portal_menu": PORTAL_MENU,
        "backoffice_menu": backoffice_menu,
        "perm": (lambda name: user.has_perm(f"accounts.{name}"))
        if user is not None
        else (lambda name: False),
    }
