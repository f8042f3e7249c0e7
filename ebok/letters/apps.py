from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "ebok.letters"
    label = "letters"
    verbose_name = _("Pisma")

    def ready(self):
        from ebok.letters import signals

        signals.connect()
