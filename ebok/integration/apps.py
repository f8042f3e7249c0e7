from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "ebok.integration"
    label = "integration"
    verbose_name = _("integracja z systemem rozliczeń")

    def ready(self):
        from ebok.integration import export

        export.connect_sources()
