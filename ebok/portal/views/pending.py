"""Menu entries whose feature is not built yet say so honestly instead of faking it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

FEATURES = {
    "registration": _("Rejestracja"),
    "reminder": _("Przypomnienie hasła lub loginu"),
    "password_change": _("Zmiana hasła"),
    "invoices": _("Faktury"),
    "balance": _("Saldo płatności"),
    "contracts": _("Wykaz umów i liczników"),
    "data_change": _("Zmiana danych"),
    "remark": _("Wysłanie uwagi"),
    "requests": _("Wnioski internetowe"),
    "letters": _("Pisma"),
}


def _render(request, feature):
    return render(request, "portal/pending.html", {"title": FEATURES[feature]})


@login_required
def pending(request, feature):
    return _render(request, feature)


def public_pending(request, feature):
    return _render(request, feature)
