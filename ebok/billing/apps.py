from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "ebok.billing"
    label = "billing"
    verbose_name = _("Rozliczenia")

    def ready(self):
        from ebok.billing import signals

        signals.connect()
