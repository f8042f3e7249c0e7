from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterruptionsConfig(AppConfig):
    name = "ebok.interruptions"
    label = "interruptions"
    verbose_name = _("przerwy w dostawie ciepła")
